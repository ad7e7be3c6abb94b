import type { Db } from '../db/database.ts'

const columns = ['id', 'type', 'name', 'color', 'order', 'web', 'mobile'] as const

export function list(db: Db, groupId: number) {
  return db
    .selectFrom('role')
    .select(columns)
    .where('group_id', '=', groupId)
    .orderBy('order')
    .orderBy('id')
    .execute()
}

export function find(db: Db, groupId: number, id: number) {
  return db
    .selectFrom('role')
    .select(columns)
    .where('group_id', '=', groupId)
    .where('id', '=', id)
    .executeTakeFirst()
}

export function findByType(db: Db, groupId: number, type: 'superadmin' | 'admin' | 'manager' | 'user') {
  return db
    .selectFrom('role')
    .select(columns)
    .where('group_id', '=', groupId)
    .where('type', '=', type)
    .executeTakeFirstOrThrow()
}
