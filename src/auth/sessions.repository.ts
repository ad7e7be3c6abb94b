import { sql } from 'kysely'
import type { Db } from '../db/database.ts'

export function insert(db: Db, groupId: number, userId: number, tokenHash: string, expiresAt: Date) {
  return db
    .insertInto('session')
    .values({ group_id: groupId, user_id: userId, token_hash: tokenHash, expires_at: expiresAt })
    .returning(['id'])
    .executeTakeFirstOrThrow()
}

/** The live session of a token, with what the request needs of its user (role, scope). */
export function findLive(db: Db, tokenHash: string) {
  return db
    .selectFrom('session as s')
    .innerJoin('space_user as m', (join) =>
      join.onRef('m.group_id', '=', 's.group_id').onRef('m.user_id', '=', 's.user_id'),
    )
    .innerJoin('role as r', (join) =>
      join.onRef('r.group_id', '=', 'm.group_id').onRef('r.id', '=', 'm.role_id'),
    )
    .select(['s.id', 's.group_id', 's.user_id', 'r.type as role', 'm.advanced_search'])
    .where('s.token_hash', '=', tokenHash)
    .where('s.revoked_at', 'is', null)
    .where('s.expires_at', '>', sql<string>`now()`)
    .executeTakeFirst()
}

export function revoke(db: Db, tokenHash: string) {
  return db
    .updateTable('session')
    .set({ revoked_at: sql`now()` })
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .execute()
}

/** Every live session of a user, in every space (a password change). */
export function revokeAllOf(db: Db, userId: number) {
  return db
    .updateTable('session')
    .set({ revoked_at: sql`now()` })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute()
}

/** A failed log-in: counted, and past `free` failures the account waits, doubling up to `max`. */
export function recordFailure(db: Db, userId: number, free: number, maxSeconds: number) {
  return db
    .updateTable('app_user')
    .set((eb) => ({
      failed_logins: eb('failed_logins', '+', 1),
      locked_until: sql`case when failed_logins + 1 > ${free}
        then now() + least(${maxSeconds}::float8, power(2, failed_logins + 1 - ${free})) * interval '1 second'
        else locked_until end`,
    }))
    .where('id', '=', userId)
    .execute()
}

export function clearFailures(db: Db, userId: number) {
  return db
    .updateTable('app_user')
    .set({ failed_logins: 0, locked_until: null })
    .where('id', '=', userId)
    .execute()
}
