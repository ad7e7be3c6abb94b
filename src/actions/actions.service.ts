import type { Db } from '../db/database.ts'
import type { Tenant } from '../shared/tenant.ts'
import * as repo from './actions.repository.ts'

/**
 * The contact is attached to exactly these actions afterwards. Actions are made in Qomon's UI,
 * which we do not have: an id we have not seen yet creates a placeholder action ("Action 12").
 */
export async function replaceForContact(
  db: Db,
  tenant: Tenant,
  contactId: number,
  ids: number[],
): Promise<void> {
  const unique = [...new Set(ids)]
  await repo.ensureActions(db, tenant, unique)
  await repo.setContactActions(db, tenant, contactId, unique)
}

export async function listForContacts(
  db: Db,
  tenant: Tenant,
  contactIds: number[],
): Promise<Map<number, number[]>> {
  const byContact = new Map<number, number[]>()
  if (contactIds.length === 0) return byContact
  for (const row of await repo.listForContacts(db, tenant, contactIds)) {
    const list = byContact.get(row.contact_id) ?? []
    list.push(row.action_id)
    byContact.set(row.contact_id, list)
  }
  return byContact
}
