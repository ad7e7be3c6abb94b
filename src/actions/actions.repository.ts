import { sql } from 'kysely'
import { anyOf } from '../db/any.ts'
import type { Db } from '../db/database.ts'
import { setLinks } from '../db/links.ts'
import type { Tenant } from '../shared/tenant.ts'

/**
 * Creates placeholder actions for ids not seen yet. Explicit ids leave the identity sequence
 * behind, so it is moved past the largest one: a later generated id (POST /v1/actions) cannot
 * collide. setval only moves forward here (guarded by the sequence's last value); PG15 and PGlite.
 */
export async function ensureActions(db: Db, tenant: Tenant, ids: number[]): Promise<void> {
  if (ids.length === 0) return
  await db
    .insertInto('action')
    .values(ids.map((id) => ({ group_id: tenant.groupId, id, name: `Action ${id}` })))
    .onConflict((oc) => oc.columns(['group_id', 'id']).doNothing())
    .execute()
  const max = Math.max(...ids)
  if (max < 1) return
  await sql`
    select setval(s.seq, ${max}::bigint)
    from (select pg_get_serial_sequence('action', 'id')::regclass as seq) s
    where ${max}::bigint > coalesce(pg_sequence_last_value(s.seq), 0)`.execute(db)
}

/** The contact's action links become exactly `ids` (one statement). */
export const setContactActions = (db: Db, tenant: Tenant, contactId: number, ids: number[]) =>
  setLinks(db, tenant, 'contact_action', contactId, ids)

export function listForContacts(db: Db, tenant: Tenant, contactIds: number[]) {
  return db
    .selectFrom('contact_action')
    .select(['contact_id', 'action_id'])
    .where('group_id', '=', tenant.groupId)
    .where('contact_id', '=', anyOf(contactIds))
    .orderBy('contact_id')
    .orderBy('action_id')
    .execute()
}

const actionColumns = ['a.id', 'a.name', 'a.type', 'a.created_at', 'a.updated_at'] as const

/** The space's actions by id, each with the number of contacts attached to it. */
export function listActions(db: Db, tenant: Tenant) {
  return db
    .selectFrom('action as a')
    .leftJoin('contact_action as ca', (join) =>
      join.onRef('ca.group_id', '=', 'a.group_id').onRef('ca.action_id', '=', 'a.id'),
    )
    .select([...actionColumns, sql<number>`count(ca.contact_id)::int`.as('contacts_count')])
    .where('a.group_id', '=', tenant.groupId)
    .groupBy(['a.group_id', 'a.id'])
    .orderBy('a.id')
    .execute()
}

export function insertAction(db: Db, tenant: Tenant, action: { name: string; type: string }) {
  return db
    .insertInto('action')
    .values({ ...action, group_id: tenant.groupId })
    .returning(['id', 'name', 'type', 'created_at', 'updated_at'])
    .executeTakeFirstOrThrow()
}
