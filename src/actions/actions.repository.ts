import type { Db } from '../db/database.ts'
import type { Tenant } from '../shared/tenant.ts'

export async function ensureActions(db: Db, tenant: Tenant, ids: number[]): Promise<void> {
  if (ids.length === 0) return
  await db
    .insertInto('action')
    .values(ids.map((id) => ({ group_id: tenant.groupId, id, name: `Action ${id}` })))
    .onConflict((oc) => oc.columns(['group_id', 'id']).doNothing())
    .execute()
}

export async function setContactActions(
  db: Db,
  tenant: Tenant,
  contactId: number,
  ids: number[],
): Promise<void> {
  let remove = db
    .deleteFrom('contact_action')
    .where('group_id', '=', tenant.groupId)
    .where('contact_id', '=', contactId)
  if (ids.length > 0) remove = remove.where('action_id', 'not in', ids)
  await remove.execute()
  if (ids.length === 0) return
  await db
    .insertInto('contact_action')
    .values(ids.map((id) => ({ group_id: tenant.groupId, action_id: id, contact_id: contactId })))
    .onConflict((oc) => oc.doNothing())
    .execute()
}

export function listForContacts(db: Db, tenant: Tenant, contactIds: number[]) {
  return db
    .selectFrom('contact_action')
    .select(['contact_id', 'action_id'])
    .where('group_id', '=', tenant.groupId)
    .where('contact_id', 'in', contactIds)
    .orderBy('contact_id')
    .orderBy('action_id')
    .execute()
}
