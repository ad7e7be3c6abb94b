import { sql } from 'kysely'
import type { Db } from '../db/database.ts'
import type { Tenant } from '../shared/tenant.ts'

/** Claims the key for this request; false when another request holds it. */
export async function claim(db: Db, tenant: Tenant, key: string, hash: string): Promise<boolean> {
  const inserted = await db
    .insertInto('idempotency_key')
    .values({ group_id: tenant.groupId, key, request_hash: hash })
    .onConflict((oc) => oc.columns(['group_id', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst()
  return inserted !== undefined
}

/**
 * Takes over a key whose answer has expired (24 h), or whose first request never finished
 * (pending for more than `staleSeconds`: the process died). The condition is in the UPDATE, so
 * two requests cannot both take it over.
 */
export async function takeOver(
  db: Db,
  tenant: Tenant,
  key: string,
  hash: string,
  staleSeconds: number,
): Promise<boolean> {
  const row = await db
    .updateTable('idempotency_key')
    .set({
      request_hash: hash,
      status_code: null,
      content_type: null,
      response_body: null,
      created_at: new Date(),
    })
    .where('group_id', '=', tenant.groupId)
    .where('key', '=', key)
    .where((eb) =>
      eb.or([
        eb('created_at', '<', sql<string>`now() - interval '24 hours'`),
        eb.and([
          eb('status_code', 'is', null),
          eb('created_at', '<', sql<string>`now() - make_interval(secs => ${staleSeconds})`),
        ]),
      ]),
    )
    .returning('key')
    .executeTakeFirst()
  return row !== undefined
}

export function find(db: Db, tenant: Tenant, key: string) {
  return db
    .selectFrom('idempotency_key')
    .select(['request_hash', 'status_code', 'content_type', 'response_body'])
    .where('group_id', '=', tenant.groupId)
    .where('key', '=', key)
    .executeTakeFirst()
}

export function store(
  db: Db,
  tenant: Tenant,
  key: string,
  answer: {
    status_code: number
    content_type: string | null
    response_body: string
    contact_id: number | null
  },
) {
  return db
    .updateTable('idempotency_key')
    .set(answer)
    .where('group_id', '=', tenant.groupId)
    .where('key', '=', key)
    .execute()
}

export function release(db: Db, tenant: Tenant, key: string) {
  return db
    .deleteFrom('idempotency_key')
    .where('group_id', '=', tenant.groupId)
    .where('key', '=', key)
    .where('status_code', 'is', null)
    .execute()
}

export function deleteExpired(db: Db, tenant: Tenant) {
  return db
    .deleteFrom('idempotency_key')
    .where('group_id', '=', tenant.groupId)
    .where('created_at', '<', sql<string>`now() - interval '24 hours'`)
    .execute()
}

/** The saved answers that carry this contact (DELETE /contacts/{id}: nothing personal remains). */
export function forgetContact(db: Db, tenant: Tenant, contactId: number) {
  return db
    .deleteFrom('idempotency_key')
    .where('group_id', '=', tenant.groupId)
    .where('contact_id', '=', contactId)
    .execute()
}
