// A contact's links to tags or actions (contact_tag, contact_action): the same two writes for
// both tables, each one statement. Table and column names come from LINKS, never from input.
import { sql } from 'kysely'
import type { Tenant } from '../shared/tenant.ts'
import type { Db } from './database.ts'

const LINKS = { contact_tag: 'tag_id', contact_action: 'action_id' } as const
export type LinkTable = keyof typeof LINKS

const insertLinks = (table: LinkTable, tenant: Tenant, contactId: number, ids: number[]) =>
  sql`insert into ${sql.table(table)} (group_id, contact_id, ${sql.ref(LINKS[table])})
    select ${tenant.groupId}::int8, ${contactId}::int8, unnest(${ids}::int8[])
    on conflict do nothing`

/** The contact's links become exactly `ids`: removal and addition in one statement. */
export async function setLinks(
  db: Db,
  tenant: Tenant,
  table: LinkTable,
  contactId: number,
  ids: number[],
): Promise<void> {
  await sql`with removed as (
      delete from ${sql.table(table)}
      where group_id = ${tenant.groupId} and contact_id = ${contactId}
        and not (${sql.ref(LINKS[table])} = any(${ids}::int8[])))
    ${insertLinks(table, tenant, contactId, ids)}`.execute(db)
}

/** These links are added to the contact's (upsert); links it has stay. */
export async function addLinks(
  db: Db,
  tenant: Tenant,
  table: LinkTable,
  contactId: number,
  ids: number[],
): Promise<void> {
  if (ids.length > 0) await insertLinks(table, tenant, contactId, ids).execute(db)
}

/** Whether a contact linked to `current` must be written to be linked to exactly `wanted`. */
export function linksDiffer(wanted: readonly number[], current: readonly number[]): boolean {
  const has = new Set(current)
  return wanted.some((id) => !has.has(id)) || current.some((id) => !wanted.includes(id))
}
