import { sql } from 'kysely'
import type { Db } from '../db/database.ts'

function withRole(db: Db) {
  return db
    .selectFrom('invitation as i')
    .innerJoin('role as r', (join) =>
      join.onRef('r.group_id', '=', 'i.group_id').onRef('r.id', '=', 'i.role_id'),
    )
    .select([
      'i.id',
      'i.group_id',
      'i.email',
      'i.mobile_phone',
      'i.role_id',
      'i.created_at',
      'i.last_sent',
      'i.user_id',
      'i.expires_at',
      'i.accepted_at',
      'r.name as role_name',
      'r.order as role_order',
      'r.type as role_type',
    ])
}

export type InvitationRow = Awaited<ReturnType<typeof list>>[number]

export function list(db: Db, groupId: number) {
  return withRole(db).where('i.group_id', '=', groupId).orderBy('i.id').execute()
}

export function find(db: Db, groupId: number, id: number) {
  return withRole(db).where('i.group_id', '=', groupId).where('i.id', '=', id).executeTakeFirst()
}

/** By token, in any space (the token is the only credential of whoever accepts). */
export function findByToken(db: Db, tokenHash: string, { lock = false } = {}) {
  const query = withRole(db)
    .innerJoin('space as s', 's.id', 'i.group_id')
    .select('s.name as space_name')
    .where('i.token_hash', '=', tokenHash)
  return (lock ? query.forUpdate('i') : query).executeTakeFirst()
}

/** The invitation still waiting for this e-mail in the space, if any. */
export function findPending(db: Db, groupId: number, email: string) {
  return db
    .selectFrom('invitation')
    .select('id')
    .where('group_id', '=', groupId)
    .where(sql`lower(email)`, '=', email.trim().toLowerCase())
    .where('accepted_at', 'is', null)
    .executeTakeFirst()
}

export interface InvitationValues {
  email: string
  mobile_phone: string | null
  role_id: number
  token_hash: string
  expires_at: Date
  user_id?: number | null
}

export function insert(db: Db, groupId: number, values: InvitationValues) {
  return db
    .insertInto('invitation')
    .values({ group_id: groupId, ...values })
    .returning('id')
    .executeTakeFirstOrThrow()
}

/** An invitation sent again: a new token and expiry (the old token stops working). */
export function renew(db: Db, groupId: number, id: number, values: InvitationValues) {
  return db
    .updateTable('invitation')
    .set({ ...values, created_at: sql`now()`, last_sent: null })
    .where('group_id', '=', groupId)
    .where('id', '=', id)
    .execute()
}

export function markSent(db: Db, groupId: number, id: number) {
  return db
    .updateTable('invitation')
    .set({ last_sent: sql`now()` })
    .where('group_id', '=', groupId)
    .where('id', '=', id)
    .execute()
}

export function markAccepted(db: Db, groupId: number, id: number, userId: number) {
  return db
    .updateTable('invitation')
    .set({ accepted_at: sql`now()`, user_id: userId })
    .where('group_id', '=', groupId)
    .where('id', '=', id)
    .execute()
}

export function remove(db: Db, groupId: number, id: number) {
  return db
    .deleteFrom('invitation')
    .where('group_id', '=', groupId)
    .where('id', '=', id)
    .returning('id')
    .executeTakeFirst()
}
