import { type ExpressionBuilder, sql } from 'kysely'
import type { Database, Db, RoleType } from '../db/database.ts'

export interface ProfileColumns {
  firstname?: string | null
  surname?: string | null
  phone?: string | null
  address?: string | null
  city?: string | null
  postal?: string | null
  location?: string | null
  avatar?: string | null
  birthdate?: string | null
  status?: string | null
}

function memberQuery(db: Db, groupId: number) {
  return db
    .selectFrom('space_user as m')
    .innerJoin('app_user as u', 'u.id', 'm.user_id')
    .innerJoin('role as r', (join) =>
      join.onRef('r.group_id', '=', 'm.group_id').onRef('r.id', '=', 'm.role_id'),
    )
    .where('m.group_id', '=', groupId)
    .select([
      'u.id',
      'u.mail',
      'u.locale',
      'u.two_factor_enable',
      'u.created_at as account_created_at',
      'm.firstname',
      'm.surname',
      'm.phone',
      'm.address',
      'm.city',
      'm.postal',
      'm.location',
      'm.avatar',
      'm.birthdate',
      'm.status',
      'm.advanced_search',
      'm.created_at',
      'm.updated_at',
      'r.id as role_id',
      'r.type as role_type',
      'r.name as role_name',
      'r.color as role_color',
      'r.order as role_order',
      'r.web as role_web',
      'r.mobile as role_mobile',
    ])
}

export type MemberRow = Awaited<ReturnType<typeof getMember>> & {}

export function getMember(db: Db, groupId: number, userId: number) {
  return memberQuery(db, groupId).where('m.user_id', '=', userId).executeTakeFirst()
}

export function listMembers(
  db: Db,
  groupId: number,
  { limit, offset, sort }: { limit?: number | undefined; offset: number; sort: boolean },
) {
  let query = memberQuery(db, groupId)
  if (sort)
    query = query.orderBy(sql`lower(m.surname)`).orderBy(sql`lower(m.firstname)`).orderBy(sql`lower(u.mail)`)
  query = query.orderBy('u.id').offset(offset)
  return (limit === undefined ? query : query.limit(limit)).execute()
}

export async function countMembers(db: Db, groupId: number): Promise<number> {
  const row = await db
    .selectFrom('space_user')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('group_id', '=', groupId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export function membersByIds(db: Db, groupId: number, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([])
  return memberQuery(db, groupId).where('m.user_id', 'in', ids).execute()
}

/** The spaces a user belongs to, in id order. */
export async function spacesOf(db: Db, userId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('space_user')
    .select('group_id')
    .where('user_id', '=', userId)
    .orderBy('group_id')
    .execute()
  return rows.map((r) => r.group_id)
}

export function findUserByMail(db: Db, mail: string) {
  return db
    .selectFrom('app_user')
    .selectAll()
    .where(sql`lower(mail)`, '=', mail.trim().toLowerCase())
    .executeTakeFirst()
}

export function findUser(db: Db, id: number) {
  return db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst()
}

export function insertUser(db: Db, mail: string, passwordHash: string | null) {
  return db
    .insertInto('app_user')
    .values({ mail: mail.trim(), password_hash: passwordHash })
    .returning(['id'])
    .executeTakeFirstOrThrow()
}

export function insertMember(
  db: Db,
  groupId: number,
  userId: number,
  roleId: number,
  profile: ProfileColumns,
) {
  return db
    .insertInto('space_user')
    .values({ group_id: groupId, user_id: userId, role_id: roleId, ...profile })
    .execute()
}

export function updateMember(db: Db, groupId: number, userId: number, values: ProfileColumns) {
  return db
    .updateTable('space_user')
    .set({ ...values, updated_at: sql`now()` })
    .where('group_id', '=', groupId)
    .where('user_id', '=', userId)
    .executeTakeFirst()
}

export function updateUser(
  db: Db,
  userId: number,
  values: { mail?: string; locale?: string | null; password_hash?: string },
) {
  return db
    .updateTable('app_user')
    .set({ ...values, updated_at: sql`now()` })
    .where('id', '=', userId)
    .execute()
}

export function setRole(
  db: Db,
  groupId: number,
  userId: number,
  values: { role_id: number; advanced_search?: string | null; saved_filters_id?: number | null },
) {
  return db
    .updateTable('space_user')
    .set({ ...values, updated_at: sql`now()` })
    .where('group_id', '=', groupId)
    .where('user_id', '=', userId)
    .executeTakeFirst()
}

export function removeMember(db: Db, groupId: number, userId: number) {
  return db
    .deleteFrom('space_user')
    .where('group_id', '=', groupId)
    .where('user_id', '=', userId)
    .executeTakeFirst()
}

const ofType = (type: RoleType) => (eb: ExpressionBuilder<Database, 'space_user'>) =>
  eb.exists(
    eb
      .selectFrom('role')
      .select(sql`1`.as('one'))
      .whereRef('role.group_id', '=', 'space_user.group_id')
      .whereRef('role.id', '=', 'space_user.role_id')
      .where('role.type', '=', type),
  )

/** Superadmins of the space, locked until the transaction ends (two demotions cannot race). */
export async function lockSuperadmins(db: Db, groupId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('space_user')
    .select('user_id')
    .where('group_id', '=', groupId)
    .where(ofType('superadmin'))
    .forUpdate()
    .execute()
  return rows.map((r) => r.user_id)
}
