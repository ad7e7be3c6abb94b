import type { Insertable, Updateable } from 'kysely'
import { anyOf } from '../db/any.ts'
import type { Db, FileTable, InteractionTable } from '../db/database.ts'
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
    .where('contact_id', '=', anyOf(contactIds))
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
    .where('interaction_id', '=', anyOf(interactionIds))
    .orderBy('interaction_id')
    .orderBy('id')
    .execute()
}

export function findInteraction(db: Db, tenant: Tenant, contactId: number, id: number) {
  return db
    .selectFrom('interaction')
    .select(interactionColumns)
    .where('group_id', '=', tenant.groupId)
    .where('contact_id', '=', contactId)
    .where('id', '=', id)
    .executeTakeFirst()
}

export function insertInteraction(db: Db, row: Insertable<InteractionTable>) {
  return db.insertInto('interaction').values(row).returning('id').executeTakeFirstOrThrow()
}

export function updateInteraction(db: Db, tenant: Tenant, id: number, values: Updateable<InteractionTable>) {
  return db
    .updateTable('interaction')
    .set({ ...values, updated_at: new Date() })
    .where('group_id', '=', tenant.groupId)
    .where('id', '=', id)
    .execute()
}

/** Deletes the interaction; its files' metadata go with it (FK cascade). */
export async function deleteInteraction(db: Db, tenant: Tenant, contactId: number, id: number) {
  const row = await db
    .deleteFrom('interaction')
    .where('group_id', '=', tenant.groupId)
    .where('contact_id', '=', contactId)
    .where('id', '=', id)
    .returning('id')
    .executeTakeFirst()
  return row !== undefined
}

export function insertFiles(db: Db, rows: Insertable<FileTable>[]) {
  return db.insertInto('file').values(rows).execute()
}

export function updateFile(db: Db, tenant: Tenant, id: number, values: Updateable<FileTable>) {
  return db
    .updateTable('file')
    .set(values)
    .where('group_id', '=', tenant.groupId)
    .where('id', '=', id)
    .execute()
}

export function deleteFilesExcept(db: Db, tenant: Tenant, interactionId: number, keep: number[]) {
  let query = db
    .deleteFrom('file')
    .where('group_id', '=', tenant.groupId)
    .where('interaction_id', '=', interactionId)
  if (keep.length > 0) query = query.where('id', 'not in', keep)
  return query.execute()
}
