import type { ContactChangeTable, Db } from '../db/database.ts'
import type { Tenant } from '../shared/tenant.ts'
import type { Change } from './history.changes.ts'

const columns = [
  'id',
  'contact_id',
  'at',
  'action',
  'channel',
  'route',
  'api_key_id',
  'user_id',
  'changes',
] as const

/** Who wrote, as the tenant says: the key, the user, the channel and the route. */
function authorOf(tenant: Tenant) {
  return {
    api_key_id: tenant.apiKeyId > 0 ? tenant.apiKeyId : null,
    user_id: tenant.userId ?? null,
    channel: tenant.channel ?? 'api',
    route: tenant.route ?? null,
  }
}

export async function insertChange(
  db: Db,
  tenant: Tenant,
  contactId: number,
  action: ContactChangeTable['action'],
  changes: Change[] | null,
): Promise<void> {
  await db
    .insertInto('contact_change')
    .values({
      group_id: tenant.groupId,
      contact_id: contactId,
      action,
      ...authorOf(tenant),
      changes: changes === null ? null : JSON.stringify(changes),
    })
    .execute()
}

/** The author columns of `tenant`, for rows written in bulk (the import). */
export const authorColumns = authorOf

/** A contact's changes, newest first. */
export function listChanges(db: Db, tenant: Tenant, contactId: number, limit: number, offset: number) {
  return db
    .selectFrom('contact_change')
    .select(columns)
    .where('group_id', '=', tenant.groupId)
    .where('contact_id', '=', contactId)
    .orderBy('id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute()
}

export async function deleteChanges(db: Db, tenant: Tenant, contactId: number): Promise<void> {
  await db
    .deleteFrom('contact_change')
    .where('group_id', '=', tenant.groupId)
    .where('contact_id', '=', contactId)
    .execute()
}
