// Contacts as POST/GET/PATCH/DELETE /contacts see them. PATCH is a full replace, as in Qomon;
// POST always creates (matching and merging are upsert's job).
import * as actions from '../actions/actions.service.ts'
import type { ContactRow, ContactUpdate, Db, NewContact } from '../db/database.ts'
import { inTransaction, last, settleAll } from '../db/transaction.ts'
import * as answers from '../forms/answers.service.ts'
import * as history from '../history/history.service.ts'
import * as notes from '../notes/notes.service.ts'
import { errors } from '../shared/errors.ts'
import type { Tenant } from '../shared/tenant.ts'
import * as tags from '../tags/tags.service.ts'
import { coordinatesRule, toCoordinates } from './address.ts'
import { actionIdsOf, type ContactRelations, toContact, toContactColumns } from './contacts.mapping.ts'
import type { RelationColumns } from './contacts.repository.ts'
import * as repo from './contacts.repository.ts'
import { type Contact, type ContactInput, IDENTITY_FIELDS, identifiable } from './contacts.schema.ts'

const INPUT = 'body.data.contact'
/** A contact needs one of firstname, surname, mail, phone, mobile (docs/api.md, Contacts). */
function assertIdentifiable(input: ContactInput): void {
  if (identifiable(input)) return
  throw errors.invalidField(INPUT, `A contact needs at least one of ${IDENTITY_FIELDS.join(', ')}`, input)
}

function answerEntries(input: ContactInput): answers.AnswerEntry[] {
  const customKey = input.custom_fields ? 'custom_fields' : 'customfields'
  return [
    ...(input.formdatas ?? []).map((entry, i) => ({ input: entry, location: `${INPUT}.formdatas[${i}]` })),
    ...(input.custom_fields ?? input.customfields ?? []).map((entry, i) => ({
      input: entry,
      location: `${INPUT}.${customKey}[${i}]`,
    })),
  ]
}

const NO_RELATIONS: ContactRelations = { tags: [], actionIds: [], formdatas: [], customfields: [], notes: [] }

/**
 * Everything but the contact row, written the same way by create and replace. `current` is what
 * the contact carries now, read under its row lock: each relation writes only what differs. The
 * four touch different tables and none reads another's writes, so they run side by side: on
 * PostgreSQL their statements travel together (db/transaction.ts).
 */
async function writeRelations(
  db: Db,
  tenant: Tenant,
  id: number,
  input: ContactInput,
  current: ContactRelations,
): Promise<void> {
  const live = [...current.formdatas, ...current.customfields].sort((a, b) => a.id - b.id)
  await settleAll([
    tags.replaceForContact(db, tenant, id, input.tags ?? [], current.tags),
    actions.replaceForContact(db, tenant, id, actionIdsOf(input), current.actionIds),
    answers.replaceForContact(db, tenant, id, answerEntries(input), live),
    notes.replaceForContact(db, tenant, id, input.notes ?? [], current.notes),
  ])
}

/** Run inside a write's transaction with its result, before the commit (an Idempotency-Key's answer). */
export type BeforeCommit = (trx: Db, contact: Contact) => Promise<void>

export async function create(
  db: Db,
  tenant: Tenant,
  input: ContactInput,
  beforeCommit?: BeforeCommit,
): Promise<Contact> {
  assertIdentifiable(input)
  return inTransaction(db, async (trx) => {
    const id = await repo.insertContact(trx, tenant, {
      ...toContactColumns(input),
      ...toCoordinates(input.address),
    })
    await writeRelations(trx, tenant, id, input, NO_RELATIONS)
    let contact: Contact
    if (!history.recording(tenant)) {
      if (!beforeCommit) return last(get(trx, tenant, id))
      contact = await get(trx, tenant, id)
    } else {
      const after = contactOf(await repo.findContactWithRelations(trx, tenant, id))!
      // without an answer to store, the history line goes out with the commit right behind it
      const line = history.created(trx, tenant, after).then(() => toContact(after.row, after.relations))
      if (!beforeCommit) return last(line)
      contact = await line
    }
    await beforeCommit(trx, contact)
    return contact
  })
}

export async function replace(
  db: Db,
  tenant: Tenant,
  id: number,
  input: ContactInput,
  beforeCommit?: BeforeCommit,
): Promise<Contact> {
  // an unknown id is a 404 whatever the body says
  if (!identifiable(input) && !(await repo.contactExists(db, tenant, id)))
    throw errors.notFound('Contact', id)
  assertIdentifiable(input)
  const columns = { ...toContactColumns(input), lastchange: new Date() }
  const coordinates = coordinatesRule(input.address)
  return inTransaction(db, async (trx) => {
    // Started together (one round trip on PostgreSQL); the update runs once the lock is held.
    // The lock's read is the row before the update (the history's "before").
    const [found, rows] = await settleAll([
      repo.findContactForUpdate(trx, tenant, id),
      repo.updateContactWithRelations(trx, tenant, id, columns, coordinates),
    ])
    if (!found) throw errors.notFound('Contact', id)
    const updated = contactOf(rows)!
    await writeRelations(trx, tenant, id, input, updated.relations)
    // nothing after the update writes the contact row: the row it returned is the row as it is now
    // the history line (which compares the lists itself) and the read go out together, the
    // commit right behind them
    const read = repo
      .findRelations(trx, tenant, id)
      .then((rows) => toContact(updated.row, relationsOf(updated.row, rows)))
    const written = history.recording(tenant)
      ? settleAll([
          history.updatedInPlace(trx, tenant, { row: found, relations: updated.relations }, updated.row),
          read,
        ]).then(([, contact]) => contact)
      : read
    if (!beforeCommit) return last(written)
    const contact = await written
    await beforeCommit(trx, contact)
    return contact
  })
}

/** The contact's row and relations as they are (the history's before and after of an upsert). */
export async function snapshot(
  db: Db,
  tenant: Tenant,
  id: number,
): Promise<history.ContactState | undefined> {
  return contactOf(await repo.findContactWithRelations(db, tenant, id))
}

export async function get(db: Db, tenant: Tenant, id: number): Promise<Contact> {
  const contact = contactOf(await repo.findContactWithRelations(db, tenant, id))
  if (!contact) throw errors.notFound('Contact', id)
  return toContact(contact.row, contact.relations)
}

/** The row and relations of `repo.findContactWithRelations`; undefined when there is no row. */
function contactOf(
  rows: (ContactRow & RelationColumns)[],
): { row: ContactRow; relations: ContactRelations } | undefined {
  if (rows.length === 0) return undefined
  const row = Object.fromEntries(
    repo.contactColumns.map((column) => [column, rows[0]![column]]),
  ) as ContactRow
  return { row, relations: relationsOf(row, rows) }
}

/** The relation rows of one contact (each a tag, an action, an answer or a note) sorted out. */
function relationsOf(contact: ContactRow, rows: RelationColumns[]): ContactRelations {
  const relations: ContactRelations = { tags: [], actionIds: [], formdatas: [], customfields: [], notes: [] }
  for (const r of rows) {
    if (r.rel === 'tag') {
      relations.tags.push({
        id: r.rel_id!,
        name: r.rel_name!,
        color: r.rel_color!,
        appearance_count: Number(r.rel_appearance_count ?? 0),
      })
    } else if (r.rel === 'action') relations.actionIds.push(r.rel_id!)
    else if (r.rel === 'answer') {
      const answer: answers.LiveAnswer = {
        id: r.rel_id!,
        group_id: contact.group_id,
        contact_id: contact.id,
        form_id: r.rel_form_id!,
        form_ref_id: r.rel_form_ref_id,
        data: r.rel_data!,
        date: r.rel_date,
        donedate: r.rel_donedate,
        created_at: r.rel_created_at!,
        updated_at: r.rel_updated_at!,
        deleted_at: r.rel_deleted_at,
        type_of_form: r.rel_type_of_form!,
        type: r.rel_type!,
      }
      ;(answer.type_of_form === 'custom_fields' ? relations.customfields : relations.formdatas).push(answer)
    } else if (r.rel === 'note') {
      relations.notes.push({
        id: r.rel_id!,
        contact_id: contact.id,
        group_id: contact.group_id,
        data: r.rel_data!,
        pinned: r.rel_pinned!,
        only_super_admin: r.rel_only_super_admin!,
        user_id: r.rel_user_id,
        created_at: r.rel_created_at!,
        updated_at: r.rel_updated_at!,
      })
    }
  }
  return relations
}

/**
 * Deletes the contact; its own rows go with it (cascade). Returns what named the person (id,
 * nationbuilderid, mail, phone, mobile, names), or undefined when it is not in the space.
 */
export function deleteRow(db: Db, tenant: Tenant, id: number) {
  return repo.deleteContact(db, tenant, id)
}

/** The contact's row, locked for the rest of the transaction (upsert's merge reads it first). */
export function findRowForUpdate(db: Db, tenant: Tenant, id: number): Promise<ContactRow | undefined> {
  return repo.findContactForUpdate(db, tenant, id)
}

/** Inserts a contact row as given (upsert computes its columns itself); returns its id. */
export function insertRow(db: Db, tenant: Tenant, values: Omit<NewContact, 'group_id'>): Promise<number> {
  return repo.insertContact(db, tenant, values)
}

/** Updates the columns given; `updated_at` moves, `lastchange` only if given. */
export function updateRow(db: Db, tenant: Tenant, id: number, values: ContactUpdate): Promise<void> {
  return repo.updateContact(db, tenant, id, values)
}

/** Relations of many contacts in a fixed number of queries (one per relation), never one per contact. */
export async function loadRelations(
  db: Db,
  tenant: Tenant,
  ids: number[],
): Promise<Map<number, ContactRelations>> {
  const [tagsOf, actionsOf, answersOf, notesOf] = await Promise.all([
    tags.listForContacts(db, tenant, ids),
    actions.listForContacts(db, tenant, ids),
    answers.listForContacts(db, tenant, ids),
    notes.listForContacts(db, tenant, ids),
  ])
  return new Map(
    ids.map((id) => [
      id,
      {
        tags: tagsOf.get(id) ?? [],
        actionIds: actionsOf.get(id) ?? [],
        formdatas: answersOf.get(id)?.formdatas ?? [],
        customfields: answersOf.get(id)?.customfields ?? [],
        notes: notesOf.get(id) ?? [],
      },
    ]),
  )
}

export type { ContactRow }
