// POST /contacts/upsert: accept (enqueue) now, apply later (worker.ts calls `apply`). Matching
// and merge follow docs/api.md (Upsert).

import * as actions from '../actions/actions.service.ts'
import { countOf } from '../contacts/contacts.parent.ts'
import {
  type ContactInput,
  IDENTITY_FIELDS,
  identifiable,
  MAX_ANSWERS_PER_CONTACT,
  MAX_NOTES_PER_CONTACT,
  MAX_TAGS_PER_CONTACT,
} from '../contacts/contacts.schema.ts'
import * as contacts from '../contacts/contacts.service.ts'
import type { Db, NewContact } from '../db/database.ts'
import { inTransaction } from '../db/transaction.ts'
import * as answers from '../forms/answers.service.ts'
import * as forms from '../forms/forms.service.ts'
import * as history from '../history/history.service.ts'
import * as notes from '../notes/notes.service.ts'
import { AppError, errors } from '../shared/errors.ts'
import type { Tenant } from '../shared/tenant.ts'
import { toDateOnly } from '../shared/time.ts'
import * as tags from '../tags/tags.service.ts'
import * as match from './match.repository.ts'
import { toContactChanges } from './upsert.merge.ts'
import { advancedAnswers, checkRecord, toContactInput } from './upsert.record.ts'
import * as repo from './upsert.repository.ts'
import type { Receipt, UpsertRecord } from './upsert.schema.ts'

export type Rule = 'id' | 'mail' | 'names_birthdate_address' | 'created'

/** A record the worker cannot apply: the job ends `rejected` with this reason. */
export class Rejection extends AppError {
  constructor(reason: string) {
    super('upsert_rejected', 422, reason)
  }
}

/** Stores the job; a record of the wrong shape is rejected at once (no worker needed). */
/** `beforeCommit` runs in the transaction that queues the job (an Idempotency-Key's answer). */
export async function enqueue(
  db: Db,
  tenant: Tenant,
  data: unknown,
  beforeCommit?: (trx: Db, id: number) => Promise<void>,
): Promise<number> {
  const problems = checkRecord(data)
  if (!beforeCommit) return repo.insertJob(db, tenant, data, problems)
  return inTransaction(db, async (trx) => {
    const id = await repo.insertJob(trx, tenant, data, problems)
    await beforeCommit(trx, id)
    return id
  })
}

export async function receipt(db: Db, tenant: Tenant, id: number): Promise<Receipt> {
  const job = await repo.findJob(db, tenant, id)
  if (!job) throw errors.notFound('Upsert', id)
  return job
}

const filled = (value: string | null | undefined): string | undefined =>
  value && value.trim() !== '' ? value : undefined

async function findMatch(
  db: Db,
  tenant: Tenant,
  record: UpsertRecord,
): Promise<{ id: number; rule: Rule } | undefined> {
  if (record.id != null) {
    const id = await match.byId(db, tenant, record.id)
    if (id === undefined) throw new Rejection(`unknown id: no contact has id or nationbuilderid ${record.id}`)
    return { id, rule: 'id' }
  }
  if (record.nationbuilderid != null) {
    const id = await match.byNationbuilderId(db, tenant, record.nationbuilderid)
    if (id !== undefined) return { id, rule: 'id' }
  }
  const firstname = filled(record.firstname)
  const surname = filled(record.surname)
  const mail = filled(record.mail)
  if (mail) {
    const id = await match.byMail(db, tenant, mail, { firstname, surname })
    if (id !== undefined) return { id, rule: 'mail' }
  }
  if (surname) {
    const address = record.address ?? {}
    const birthdate = filled(record.birthdate)
    const id = await match.byIdentity(db, tenant, {
      surname,
      firstname,
      birthdate: birthdate ? (toDateOnly(birthdate) ?? undefined) : undefined,
      address: {
        city: filled(address.city),
        postalcode: filled(String(address.postalcode ?? address.postal_code ?? '')),
        street: filled(address.street),
      },
    })
    if (id !== undefined) return { id, rule: 'names_birthdate_address' }
  }
  return undefined
}

/** Resolves every advanced-field answer before anything is written; unknown → rejection. */
async function resolveAnswers(db: Db, tenant: Tenant, record: UpsertRecord) {
  const resolved: answers.AddedAnswer[] = []
  for (const { family, answer, path } of advancedAnswers(record)) {
    const form = await forms.findByIdOrLabel(db, tenant, family, answer)
    if (!form) {
      const named = answer.id != null ? `id ${answer.id}` : `label ${JSON.stringify(answer.label ?? '')}`
      throw new Rejection(`${path}: no ${family} form with ${named}`)
    }
    const value = String(answer.value)
    if (answers.FREE_INPUT.has(form.type)) {
      const data = answers.normaliseFreeValue(form.type, value)
      if (data === null)
        throw new Rejection(
          `${path}: form ${form.id} needs a ${form.type} value, got ${JSON.stringify(value)}`,
        )
      resolved.push({ form, form_ref_id: form.refvalues[0]?.id ?? null, data })
      continue
    }
    const refvalue = forms.findRefvalue(form, value)
    if (!refvalue) {
      const known = form.refvalues.map((rv) => rv.value).join(', ')
      throw new Rejection(`${path}: form ${form.id} has no value ${JSON.stringify(value)} (values: ${known})`)
    }
    resolved.push({ form, form_ref_id: refvalue.id, data: refvalue.value })
  }
  return resolved
}

async function writeContact(
  db: Db,
  tenant: Tenant,
  input: ContactInput,
  found: { id: number } | undefined,
  options: ApplyOptions,
): Promise<number> {
  if (!found) {
    if (!identifiable(input)) {
      throw new Rejection(`no contact matched, and a new contact needs one of ${IDENTITY_FIELDS.join(', ')}`)
    }
    return contacts.insertRow(db, tenant, toContactChanges(input) as NewContact)
  }
  const previous = await contacts.findRowForUpdate(db, tenant, found.id)
  if (!previous) throw new Rejection(`contact ${found.id} disappeared`)
  const changes = toContactChanges(input, previous)
  // what POST and PATCH refuse, a merge must not make: a contact nobody can identify, which
  // a client could then not PATCH back unchanged (docs/api.md, Contacts)
  const after = { ...previous, ...changes }
  if (!identifiable(after)) {
    throw new Rejection(
      `this would clear every one of ${IDENTITY_FIELDS.join(', ')} of contact ${found.id}; a contact needs one`,
    )
  }
  if (
    options.skipUnchanged &&
    Object.entries(changes).every(([k, v]) => same(previous[k as keyof typeof previous], v))
  )
    return found.id
  // lastchange stays: it records changes made by a person, not by an API upsert (docs/api.md, Upsert)
  await contacts.updateRow(db, tenant, found.id, changes)
  return found.id
}

export interface ApplyOptions {
  /** Leave the contact row (and its UpdatedAt) alone when the merge changes none of its columns. */
  skipUnchanged?: boolean
}

/** A stored column and a merged value are the same (dates and numbers compared as text). */
function same(stored: unknown, merged: unknown): boolean {
  const text = (v: unknown) => (v instanceof Date ? v.toISOString() : v === undefined ? null : v)
  const a = text(stored)
  const b = text(merged)
  return a === b || (a !== null && b !== null && String(a) === String(b))
}

/** Merged lists past what PATCH accepts: GET's answer could no longer be PATCHed back. */
const tooMany = (contactId: number, count: number, what: string, most: number) =>
  `contact ${contactId} would have ${count} ${what}; a contact holds at most ${most} (what PATCH accepts)`

/** Applies one record inside the caller's transaction. Throws `Rejection` when it cannot. */
export async function apply(
  db: Db,
  tenant: Tenant,
  data: unknown,
  options: ApplyOptions = {},
): Promise<{ contactId: number; rule: Rule }> {
  const shape = checkRecord(data)
  if (shape) throw new Rejection(shape)
  const record = data as UpsertRecord
  const input = toContactInput(record)
  const added = await resolveAnswers(db, tenant, record)
  const found = await findMatch(db, tenant, record)
  const before =
    found && history.recording(tenant) ? await contacts.snapshot(db, tenant, found.id) : undefined
  const contactId = await writeContact(db, tenant, input, found, options)
  if (input.tags?.length) {
    await tags.addToContact(db, tenant, contactId, input.tags)
    const count = await countOf(db, tenant, 'contact_tag', contactId)
    if (count > MAX_TAGS_PER_CONTACT)
      throw new Rejection(tooMany(contactId, count, 'tags', MAX_TAGS_PER_CONTACT))
  }
  if (input.notes?.length) {
    const noteCount = await notes.mergeForContact(db, tenant, contactId, input.notes)
    if (noteCount > MAX_NOTES_PER_CONTACT)
      throw new Rejection(tooMany(contactId, noteCount, 'notes', MAX_NOTES_PER_CONTACT))
  }
  // Like any field (docs/api.md, Upsert), a non-empty list replaces the contact's actions, `null`
  // clears them, absent or empty leaves them (only tags and notes are merged)
  const actionIds = input.action_ids !== undefined ? input.action_ids : input.actions_ids
  if (actionIds === null || (actionIds && actionIds.length > 0)) {
    const current = (await actions.listForContacts(db, tenant, [contactId])).get(contactId) ?? []
    await actions.replaceForContact(db, tenant, contactId, actionIds ?? [], current)
  }
  const answerCounts = await answers.addForContact(db, tenant, contactId, added)
  for (const [list, count] of Object.entries(answerCounts ?? {}))
    if (count > MAX_ANSWERS_PER_CONTACT)
      throw new Rejection(tooMany(contactId, count, list, MAX_ANSWERS_PER_CONTACT))
  if (history.recording(tenant)) {
    const after = (await contacts.snapshot(db, tenant, contactId))!
    await (before ? history.updated(db, tenant, before, after) : history.created(db, tenant, after))
  }
  return { contactId, rule: found?.rule ?? 'created' }
}

/** Forgets the payloads of the upserts applied to this contact (it is being erased). */
export async function forgetContact(db: Db, tenant: Tenant, contactId: number): Promise<void> {
  await repo.forgetContact(db, tenant, contactId)
}

/** Forgets the payloads of the rejected upserts that name this person (they are being erased). */
export async function forgetRejectedNaming(db: Db, tenant: Tenant, person: repo.Person): Promise<void> {
  await repo.forgetRejectedNaming(db, tenant, person)
}
