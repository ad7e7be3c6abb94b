// Contacts as POST/GET/PATCH/DELETE /contacts see them. PATCH is a full replace (qomon-api.md
// 2.2 (4)); POST always creates (matching and merging are upsert's job).
import * as actions from '../actions/actions.service.ts'
import type { ContactRow, Db } from '../db/database.ts'
import { inTransaction } from '../db/transaction.ts'
import * as answers from '../forms/answers.service.ts'
import * as notes from '../notes/notes.service.ts'
import { errors } from '../shared/errors.ts'
import type { Tenant } from '../shared/tenant.ts'
import * as tags from '../tags/tags.service.ts'
import {
  actionIdsOf,
  type ContactRelations,
  toContact,
  toContactColumns,
  toCoordinates,
} from './contacts.mapping.ts'
import * as repo from './contacts.repository.ts'
import type { Contact, ContactInput } from './contacts.schema.ts'

const INPUT = 'body.data.contact'
const IDENTITY_FIELDS = ['firstname', 'surname', 'mail', 'phone', 'mobile'] as const

/** decisions.md (1): a contact needs one of firstname, surname, mail, phone, mobile. */
function assertIdentifiable(input: ContactInput): void {
  if (IDENTITY_FIELDS.some((field) => (input[field] ?? '').trim() !== '')) return
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

/** Everything but the contact row, written the same way by create and replace. */
async function writeRelations(db: Db, tenant: Tenant, id: number, input: ContactInput): Promise<void> {
  await tags.replaceForContact(db, tenant, id, input.tags ?? [])
  await actions.replaceForContact(db, tenant, id, actionIdsOf(input))
  await answers.replaceForContact(db, tenant, id, answerEntries(input))
  await notes.replaceForContact(db, tenant, id, input.notes ?? [])
}

export async function create(db: Db, tenant: Tenant, input: ContactInput): Promise<Contact> {
  assertIdentifiable(input)
  return inTransaction(db, async (trx) => {
    const id = await repo.insertContact(trx, tenant, {
      ...toContactColumns(input),
      ...toCoordinates(input.address),
    })
    await writeRelations(trx, tenant, id, input)
    return get(trx, tenant, id)
  })
}

export async function replace(db: Db, tenant: Tenant, id: number, input: ContactInput): Promise<Contact> {
  return inTransaction(db, async (trx) => {
    const previous = await repo.findContactForUpdate(trx, tenant, id)
    if (!previous) throw errors.notFound('Contact', id)
    assertIdentifiable(input)
    await repo.updateContact(trx, tenant, id, {
      ...toContactColumns(input),
      ...toCoordinates(input.address, previous),
      lastchange: new Date(),
    })
    await writeRelations(trx, tenant, id, input)
    return get(trx, tenant, id)
  })
}

export async function get(db: Db, tenant: Tenant, id: number): Promise<Contact> {
  const row = await repo.findContact(db, tenant, id)
  if (!row) throw errors.notFound('Contact', id)
  const relations = await loadRelations(db, tenant, [id])
  return toContact(row, relations.get(id)!)
}

export async function remove(db: Db, tenant: Tenant, id: number): Promise<{ id: number }> {
  if (!(await repo.deleteContact(db, tenant, id))) throw errors.notFound('Contact', id)
  return { id }
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
