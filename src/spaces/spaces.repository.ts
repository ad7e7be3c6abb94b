import type { Db, KeyScope } from '../db/database.ts'

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

const KEY_COLUMNS = [
  'id',
  'group_id',
  'name',
  'key_prefix',
  'scope',
  'user_id',
  'created_at',
  'revoked_at',
] as const

export function insertApiKey(
  db: Db,
  groupId: number,
  values: {
    name: string | null
    keyPrefix: string
    keyHash: string
    scope: KeyScope
    userId?: number | null
  },
) {
  return db
    .insertInto('api_key')
    .values({
      group_id: groupId,
      name: values.name,
      key_prefix: values.keyPrefix,
      key_hash: values.keyHash,
      scope: values.scope,
      user_id: values.userId ?? null,
    })
    .returning(KEY_COLUMNS)
    .executeTakeFirstOrThrow()
}

/**
 * Auth runs before the space is known: the lookup is by hash alone (a reference-table read), with
 * the role and contacts of the user the key acts as.
 */
export function findActiveKeyByHash(db: Db, keyHash: string) {
  return db
    .selectFrom('api_key as k')
    .leftJoin('space_user as m', (join) =>
      join.onRef('m.group_id', '=', 'k.group_id').onRef('m.user_id', '=', 'k.user_id'),
    )
    .leftJoin('role as r', (join) =>
      join.onRef('r.group_id', '=', 'm.group_id').onRef('r.id', '=', 'm.role_id'),
    )
    .select([
      'k.id',
      'k.group_id',
      'k.scope',
      'k.user_id',
      'r.type as role',
      'm.advanced_search as contact_scope',
    ])
    .where('k.key_hash', '=', keyHash)
    .where('k.revoked_at', 'is', null)
    .executeTakeFirst()
}

export function listApiKeys(db: Db, groupId: number) {
  return db.selectFrom('api_key').select(KEY_COLUMNS).where('group_id', '=', groupId).orderBy('id').execute()
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
