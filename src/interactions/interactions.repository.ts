import type { Db } from '../db/database.ts'
import type { Tenant } from '../shared/tenant.ts'

export const interactionColumns = [
  'id',
  'contact_id',
  'group_id',
  'type',
  'sub_type',
  'title',
  'comments',
  'user_id',
  'only_super_admin',
  'created_at',
  'updated_at',
] as const

export const fileColumns = [
  'id',
  'interaction_id',
  'group_id',
  'owner_id',
  'subject',
  'url',
  'folder',
  'mime',
  'name',
  'is_interaction',
  'created',
] as const

export function listForContacts(db: Db, tenant: Tenant, contactIds: number[]) {
  return db
    .selectFrom('interaction')
    .select(interactionColumns)
    .where('group_id', '=', tenant.groupId)
    .where('contact_id', 'in', contactIds)
    .orderBy('contact_id')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute()
}

export function filesOf(db: Db, tenant: Tenant, interactionIds: number[]) {
  return db
    .selectFrom('file')
    .select(fileColumns)
    .where('group_id', '=', tenant.groupId)
    .where('interaction_id', 'in', interactionIds)
    .orderBy('interaction_id')
    .orderBy('id')
    .execute()
}
