// The upsert_job table: enqueue, claim, finish, read the receipt.
import { sql } from 'kysely'
import type { Db } from '../db/database.ts'
import type { Tenant } from '../shared/tenant.ts'

export const jobColumns = [
  'group_id',
  'id',
  'status',
  'payload',
  'contact_id',
  'rule',
  'reason',
  'attempt',
] as const

export async function insertJob(
  db: Db,
  tenant: Tenant,
  payload: unknown,
  rejection: string | null,
): Promise<number> {
  const row = await db
    .insertInto('upsert_job')
    .values({
      group_id: tenant.groupId,
      payload: JSON.stringify(payload),
      ...(rejection ? { status: 'rejected', reason: rejection, done_at: new Date() } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export function findJob(db: Db, tenant: Tenant, id: number) {
  return db
    .selectFrom('upsert_job')
    .select(['id', 'status', 'contact_id', 'rule', 'reason'])
    .where('group_id', '=', tenant.groupId)
    .where('id', '=', id)
    .executeTakeFirst()
}

/**
 * Locks the oldest queued job that has no older queued job in its space, for the rest of the
 * transaction. Jobs locked by another worker are skipped, and so are the jobs queued behind them
 * (the older job is still queued), so one space's jobs run one at a time, in id order, however
 * many workers share the database. Across spaces on purpose: the worker serves every space (each
 * job then runs with its own space's tenant).
 */
export function claimJob(db: Db) {
  return db
    .selectFrom('upsert_job as j')
    .select(jobColumns.map((c) => `j.${c}` as const))
    .where('j.status', '=', 'queued')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('upsert_job as e')
            .select(sql`1`.as('one'))
            .whereRef('e.group_id', '=', 'j.group_id')
            .where('e.status', '=', 'queued')
            .whereRef('e.id', '<', 'j.id'),
        ),
      ),
    )
    .orderBy('j.id')
    .limit(1)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst()
}

export type ClaimedJob = NonNullable<Awaited<ReturnType<typeof claimJob>>>

export function finishJob(
  db: Db,
  job: { group_id: number; id: number },
  result:
    | { status: 'done'; contact_id: number; rule: 'id' | 'mail' | 'names_birthdate_address' | 'created' }
    | { status: 'rejected'; reason: string; contact_id?: number | null },
) {
  return db
    .updateTable('upsert_job')
    .set({ ...result, done_at: new Date() })
    .where('group_id', '=', job.group_id)
    .where('id', '=', job.id)
    .execute()
}

/** After a failure that was not the record's fault: count the attempt, keep the job queued. */
export function countAttempt(db: Db, job: { group_id: number; id: number }) {
  return db
    .updateTable('upsert_job')
    .set((eb) => ({ attempt: eb('attempt', '+', 1) }))
    .where('group_id', '=', job.group_id)
    .where('id', '=', job.id)
    .where('status', '=', 'queued')
    .returning('attempt')
    .executeTakeFirst()
}

/** Receipts are kept a while for clients that poll, then deleted (every space: housekeeping). */
export function deleteFinishedBefore(db: Db, before: Date) {
  return db
    .deleteFrom('upsert_job')
    .where('status', '<>', 'queued')
    .where('done_at', '<', before.toISOString())
    .execute()
}

/** The payloads of the upserts applied to a deleted contact: the receipts stay, the data goes. */
export function forgetContact(db: Db, tenant: Tenant, contactId: number) {
  return db
    .updateTable('upsert_job')
    .set({ payload: '{}' })
    .where('group_id', '=', tenant.groupId)
    .where('contact_id', '=', contactId)
    .execute()
}

/** The queue across every space, for monitoring: jobs waiting, and when the oldest was queued. */
export async function queueStats(db: Db): Promise<{ depth: number; oldest: string | null }> {
  const row = await db
    .selectFrom('upsert_job')
    .where('status', '=', 'queued')
    .select((eb) => [eb.fn.countAll<number>().as('depth'), eb.fn.min('created_at').as('oldest')])
    .executeTakeFirstOrThrow()
  return { depth: Number(row.depth), oldest: row.oldest }
}
