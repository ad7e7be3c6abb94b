import type { Db } from '../db/database.ts'

export function insertSpace(db: Db, name: string) {
  return db
    .insertInto('space')
    .values({ name })
    .returning(['id', 'name', 'created_at'])
    .executeTakeFirstOrThrow()
}

export function listSpaces(db: Db) {
  return db.selectFrom('space').select(['id', 'name', 'created_at']).orderBy('id').execute()
}

export function findSpace(db: Db, id: number) {
  return db.selectFrom('space').select(['id', 'name']).where('id', '=', id).executeTakeFirst()
}

export async function countSpaces(db: Db): Promise<number> {
  const row = await db
    .selectFrom('space')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export function insertApiKey(
  db: Db,
  groupId: number,
  name: string | null,
  keyPrefix: string,
  keyHash: string,
) {
  return db
    .insertInto('api_key')
    .values({ group_id: groupId, name, key_prefix: keyPrefix, key_hash: keyHash })
    .returning(['id', 'group_id', 'name', 'key_prefix', 'created_at'])
    .executeTakeFirstOrThrow()
}

/** Auth runs before the space is known: the lookup is by hash alone (a reference-table read). */
export function findActiveKeyByHash(db: Db, keyHash: string) {
  return db
    .selectFrom('api_key')
    .select(['id', 'group_id'])
    .where('key_hash', '=', keyHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
}

export function listApiKeys(db: Db, groupId: number) {
  return db
    .selectFrom('api_key')
    .select(['id', 'group_id', 'name', 'key_prefix', 'created_at', 'revoked_at'])
    .where('group_id', '=', groupId)
    .orderBy('id')
    .execute()
}

export function revokeApiKey(db: Db, groupId: number, id: number) {
  return db
    .updateTable('api_key')
    .set({ revoked_at: new Date() })
    .where('group_id', '=', groupId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returning(['id'])
    .executeTakeFirst()
}
