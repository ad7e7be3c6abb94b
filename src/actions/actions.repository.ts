import { sql } from 'kysely'
import { anyOf } from '../db/any.ts'
import type { Db } from '../db/database.ts'
import { setLinks } from '../db/links.ts'
import type { Tenant } from '../shared/tenant.ts'

/**
 * Creates placeholder actions for ids the space has not seen yet, with those ids. Ids are the
 * space's own (see insertAction): nothing another space does moves them.
 */
export async function ensureActions(db: Db, tenant: Tenant, ids: number[]): Promise<void> {
  if (ids.length === 0) return
  // in id order, so that two writes creating the same new actions lock them in the same order
  const sorted = [...new Set(ids)].sort((a, b) => a - b)
  await db
    .insertInto('action')
    .values(sorted.map((id) => ({ group_id: tenant.groupId, id, name: `Action ${id}` })))
    .onConflict((oc) => oc.columns(['group_id', 'id']).doNothing())
    .execute()
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

/** The largest id an action may have: what the routes accept in action_ids (a 4-byte integer). */
export const MAX_ACTION_ID = 2_147_483_647

/**
 * A new action with the space's next id: one past its largest, or, once a client has named the
 * largest id there is, the lowest free one. Undefined when a concurrent insert took that id
 * first (the caller tries again).
 */
export function insertAction(db: Db, tenant: Tenant, action: { name: string; type: string }) {
  const g = tenant.groupId
  return db
    .insertInto('action')
    .columns(['group_id', 'id', 'name', 'type'])
    .expression(
      sql`select ${g}::bigint, coalesce(
        (select max(id) + 1 from action where group_id = ${g} having max(id) < ${MAX_ACTION_ID}),
        (select min(a.id) + 1 from action a where a.group_id = ${g} and a.id < ${MAX_ACTION_ID}
           and not exists (select from action b where b.group_id = ${g} and b.id = a.id + 1)),
        1), ${action.name}, ${action.type}`,
    )
    .onConflict((oc) => oc.columns(['group_id', 'id']).doNothing())
    .returning(['id', 'name', 'type', 'created_at', 'updated_at'])
    .executeTakeFirst()
}
