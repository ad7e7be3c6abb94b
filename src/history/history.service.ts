// The history of every change to a contact: who (key or user, and through which channel and
// route), when, and each changed field before and after. Written in the transaction of the change
// itself, so a change and its line commit or fail together.
import { requireContact } from '../contacts/contacts.parent.ts'
import type { ContactRow, Db } from '../db/database.ts'
import type { Tenant } from '../shared/tenant.ts'
import { type Change, type ContactState, changesBetween, listFields, rowChanges } from './history.changes.ts'
import * as repo from './history.repository.ts'
import type { HistoryEntry } from './history.schema.ts'

export type { ContactState }

/** Whether writes of this tenant record their history (HISTORY=off turns it off, to measure it). */
export const recording = (tenant: Tenant) => tenant.history !== false

/** A creation: the fields the contact was created with. */
export async function created(db: Db, tenant: Tenant, after: ContactState): Promise<void> {
  if (recording(tenant))
    await repo.insertChange(db, tenant, after.row.id, 'created', changesBetween(null, after))
}

/** An update: the fields that differ between the two states. */
export async function updated(
  db: Db,
  tenant: Tenant,
  before: ContactState,
  after: ContactState,
): Promise<void> {
  if (recording(tenant))
    await repo.insertChange(db, tenant, after.row.id, 'updated', changesBetween(before, after))
}

/**
 * An update that knows the row after it but has not read the lists again (PATCH): the database
 * compares them in the statement that writes the line, so the line costs no round trip of its
 * own. It must be started after every write of the lists.
 */
export async function updatedInPlace(
  db: Db,
  tenant: Tenant,
  before: ContactState,
  after: ContactRow,
): Promise<void> {
  if (!recording(tenant)) return
  await repo.insertUpdateComparingLists(
    db,
    tenant,
    after.id,
    rowChanges(before.row, after),
    listFields(before.relations),
  )
}

/** A change of one of the contact's lists made on its own (a note, an interaction). */
export async function changed(db: Db, tenant: Tenant, contactId: number, change: Change): Promise<void> {
  if (recording(tenant)) await repo.insertChange(db, tenant, contactId, 'updated', [change])
}

/**
 * An erasure: every line of the contact goes, values and all (whatever the HISTORY switch says),
 * and one line without values says who erased it and when.
 */
export async function erased(db: Db, tenant: Tenant, contactId: number): Promise<void> {
  await repo.deleteChanges(db, tenant, contactId)
  if (recording(tenant)) await repo.insertChange(db, tenant, contactId, 'erased', null)
}

/**
 * GET /v1/contacts/{id}/history, newest first. An erased contact still shows its erasure line;
 * an id with neither a contact nor a line is a 404.
 */
export async function list(
  db: Db,
  tenant: Tenant,
  contactId: number,
  page: { limit: number; offset: number },
): Promise<HistoryEntry[]> {
  const rows = await repo.listChanges(db, tenant, contactId, page.limit, page.offset)
  if (rows.length === 0 && page.offset === 0) await requireContact(db, tenant, contactId)
  return rows.map((row) => ({
    id: row.id,
    contact_id: row.contact_id,
    at: row.at,
    action: row.action,
    author: { api_key_id: row.api_key_id, user_id: row.user_id },
    channel: row.channel,
    route: row.route,
    changes: (row.changes as Change[] | null) ?? [],
  }))
}

export { authorColumns } from './history.repository.ts'
