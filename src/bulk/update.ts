// The rows of an import with --update: each goes through the upsert's own matching and merge
// (id, then mail, then names + birthdate + address; a value given replaces, tags and notes are
// added), so a file imported twice finds its contacts instead of doubling them. Form answers,
// notes and interactions already on the contact are not added again: re-importing a file
// changes nothing.
import type { ContactInput } from '../contacts/contacts.schema.ts'
import * as answers from '../forms/answers.service.ts'
import * as interactions from '../interactions/interactions.service.ts'
import * as notes from '../notes/notes.service.ts'
import type { Tenant } from '../shared/tenant.ts'
import { UpsertRecordSchema } from '../upsert/upsert.schema.ts'
import * as upsert from '../upsert/upsert.service.ts'
import * as repo from './bulk.repository.ts'
import type { PreparedRow, SpaceContext } from './rows.ts'

/** Keys the import reads its own way (form answers of the POST shape, interactions). */
const OWN_KEYS = new Set(['formdatas', 'customfields', 'custom_fields', 'interactions', 'notes'])
const RECORD_KEYS = Object.keys(UpsertRecordSchema.properties).filter((key) => !OWN_KEYS.has(key))

/** What a row did; a string is the reason it was rejected (nothing of it is written). */
export type Merged = 'created' | 'updated' | string

export async function mergeRow(
  target: repo.BulkTarget,
  tenant: Tenant,
  value: ContactInput,
  row: PreparedRow,
  space: SpaceContext,
): Promise<Merged> {
  const { db } = target
  const record: Record<string, unknown> = {}
  for (const key of RECORD_KEYS) if (key in value) record[key] = (value as Record<string, unknown>)[key]
  await repo.savepoint(db)
  try {
    const { contactId, rule } = await upsert.apply(db, tenant, record, { skipUnchanged: true })
    await addRelations(target, tenant, contactId, row, space)
    await repo.releaseSavepoint(db)
    return rule === 'created' ? 'created' : 'updated'
  } catch (error) {
    if (!(error instanceof upsert.Rejection)) throw error
    await repo.rollbackToSavepoint(db)
    return error.message
  }
}

async function addRelations(
  target: repo.BulkTarget,
  tenant: Tenant,
  contactId: number,
  row: PreparedRow,
  space: SpaceContext,
): Promise<void> {
  const { db } = target
  const added = row.answers.map((a) => ({
    form: space.forms.get(a.form_id)!,
    form_ref_id: a.form_ref_id,
    data: a.data,
  }))
  await answers.addForContact(db, tenant, contactId, added)
  if (row.notes.length > 0) {
    const known = new Set(
      ((await notes.listForContacts(db, tenant, [contactId])).get(contactId) ?? []).map((n) => n.data),
    )
    const fresh = row.notes.filter((n) => !known.has(n.data))
    if (fresh.length > 0)
      await notes.mergeForContact(
        db,
        tenant,
        contactId,
        fresh.map((n) => ({ content: n.data, pinned: n.pinned, only_super_admin: n.only_super_admin })),
      )
  }
  if (row.interactions.length > 0) {
    const keyOf = (i: {
      type: string
      sub_type: string | null
      title: string | null
      comments: string | null
    }) => JSON.stringify([i.type, i.sub_type, i.title, i.comments])
    const existing = (await interactions.listForContacts(db, tenant, [contactId])).get(contactId) ?? []
    const known = new Set(existing.map(keyOf))
    const fresh = row.interactions.filter((i) => !known.has(keyOf(i)))
    const group_id = tenant.groupId
    await repo.insertRows(
      target,
      'interaction',
      fresh.map((i) => ({ group_id, contact_id: contactId, ...i })),
    )
  }
}
