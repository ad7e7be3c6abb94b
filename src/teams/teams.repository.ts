import { sql } from 'kysely'
import type { Db } from '../db/database.ts'

const columns = [
  'id',
  'name',
  'description',
  'hide_users',
  'private',
  'address_id',
  'address',
  'created_at',
  'updated_at',
] as const

export type TeamRow = Awaited<ReturnType<typeof list>>[number]

/** Teams of the space; with `visibleTo`, only public ones and the private ones that user is in. */
export function list(
  db: Db,
  groupId: number,
  { visibleTo, onlyPublic = false }: { visibleTo?: number; onlyPublic?: boolean },
) {
  let query = db.selectFrom('team').select(columns).where('team.group_id', '=', groupId)
  if (onlyPublic) query = query.where('private', '=', false)
  if (visibleTo !== undefined)
    query = query.where((eb) =>
      eb.or([
        eb('private', '=', false),
        eb.exists(
          eb
            .selectFrom('team_member as tm')
            .select(sql`1`.as('one'))
            .whereRef('tm.group_id', '=', 'team.group_id')
            .whereRef('tm.team_id', '=', 'team.id')
            .where('tm.user_id', '=', visibleTo),
        ),
      ]),
    )
  return query.orderBy('id').execute()
}

export function find(db: Db, groupId: number, id: number) {
  return db
    .selectFrom('team')
    .select(columns)
    .where('group_id', '=', groupId)
    .where('id', '=', id)
    .executeTakeFirst()
}

export function membersOf(db: Db, groupId: number, teamIds: number[]) {
  if (teamIds.length === 0) return Promise.resolve([])
  return db
    .selectFrom('team_member')
    .select(['team_id', 'user_id', 'leader'])
    .where('group_id', '=', groupId)
    .where('team_id', 'in', teamIds)
    .orderBy('user_id')
    .execute()
}

export interface TeamValues {
  name: string
  description: string | null
  hide_users: boolean
  private: boolean
  address: string | null
}

export function insert(db: Db, groupId: number, values: TeamValues) {
  return db
    .insertInto('team')
    .values({ group_id: groupId, ...values })
    .returning('id')
    .executeTakeFirstOrThrow()
}

export function update(db: Db, groupId: number, id: number, values: TeamValues) {
  return db
    .updateTable('team')
    .set({ ...values, updated_at: sql`now()` })
    .where('group_id', '=', groupId)
    .where('id', '=', id)
    .returning('id')
    .executeTakeFirst()
}

export async function replaceMembers(
  db: Db,
  groupId: number,
  teamId: number,
  members: { user_id: number; leader: boolean }[],
): Promise<void> {
  await db.deleteFrom('team_member').where('group_id', '=', groupId).where('team_id', '=', teamId).execute()
  if (members.length > 0)
    await db
      .insertInto('team_member')
      .values(members.map((m) => ({ group_id: groupId, team_id: teamId, ...m })))
      .execute()
}

export function remove(db: Db, groupId: number, id: number) {
  return db
    .deleteFrom('team')
    .where('group_id', '=', groupId)
    .where('id', '=', id)
    .returning('id')
    .executeTakeFirst()
}
