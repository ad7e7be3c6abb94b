// The upsert_job table: enqueue, claim, finish, read the receipt.
import { type RawBuilder, sql } from 'kysely'
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
  'api_key_id',
  'user_id',
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
      api_key_id: tenant.apiKeyId > 0 ? tenant.apiKeyId : null,
      user_id: tenant.userId ?? null,
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

/**
 * With the head of a space's queue locked (claimJob), locks the next `count` queued jobs of that
 * space, in id order. No other worker claims them (each has an older queued job: the head), so
 * the lock waits only for a single-row update of another process (a counted attempt), never
 * skips: the batch is a run of consecutive jobs.
 */
export function claimFollowers(db: Db, head: { group_id: number; id: number }, count: number) {
  return db
    .selectFrom('upsert_job')
    .select(jobColumns)
    .where('group_id', '=', head.group_id)
    .where('status', '=', 'queued')
    .where('id', '>', head.id)
    .orderBy('id')
    .limit(count)
    .forUpdate()
    .execute()
}

/** When the oldest job of the space still queued was accepted (null: none queued). */
export async function oldestQueued(db: Db, tenant: Tenant): Promise<Date | null> {
  const row = await db
    .selectFrom('upsert_job')
    .select('created_at')
    .where('group_id', '=', tenant.groupId)
    .where('status', '=', 'queued')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst()
  return row ? new Date(row.created_at) : null
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

export type Finished =
  | { id: number; status: 'done'; contact_id: number; rule: string; reason?: undefined }
  | { id: number; status: 'rejected'; reason: string; contact_id?: undefined; rule?: undefined }

/** Marks the jobs of a batch (all of one space) finished, in one statement of fixed text. */
export async function finishJobs(db: Db, groupId: number, jobs: Finished[]) {
  await sql`update upsert_job j
    set status = v.status, contact_id = v.contact_id, rule = v.rule, reason = v.reason, done_at = ${new Date()}
    from unnest(${jobs.map((j) => j.id)}::bigint[], ${jobs.map((j) => j.status)}::text[],
      ${jobs.map((j) => j.contact_id ?? null)}::bigint[], ${jobs.map((j) => j.rule ?? null)}::text[],
      ${jobs.map((j) => j.reason ?? null)}::text[]) as v(id, status, contact_id, rule, reason)
    where j.group_id = ${groupId} and j.id = v.id`.execute(db)
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

/** What identified a deleted contact. */
export interface Person {
  id: number
  nationbuilderid: number | null
  mail: string | null
  surname: string | null
  firstname: string | null
  phone: string | null
  mobile: string | null
}

const fold = (value: RawBuilder<unknown>) => sql`lower(f_unaccent(btrim(${value})))`

/**
 * Empties the payloads of the space's rejected upserts that name `person`: a rejected record was
 * applied to no contact, so it is tied to the person by what it carries: their id or
 * nationbuilderid as `id`, their mail (trimmed, case-insensitive), phone or mobile, or their
 * surname and firstname (folded as the matching rules fold them).
 */
export function forgetRejectedNaming(db: Db, tenant: Tenant, person: Person) {
  const field = (key: string) => sql`payload ->> ${key}`
  const named: RawBuilder<unknown>[] = [sql`${field('id')} = ${String(person.id)}`]
  if (person.nationbuilderid !== null) {
    named.push(sql`${field('id')} = ${String(person.nationbuilderid)}`)
    named.push(sql`${field('nationbuilderid')} = ${String(person.nationbuilderid)}`)
  }
  if (person.mail) named.push(sql`lower(btrim(${field('mail')})) = lower(btrim(${person.mail}::text))`)
  for (const phone of [person.phone, person.mobile]) {
    if (phone) {
      named.push(sql`btrim(${field('phone')}) = btrim(${phone}::text)`)
      named.push(sql`btrim(${field('mobile')}) = btrim(${phone}::text)`)
    }
  }
  if (person.surname) {
    named.push(
      sql`(${fold(field('surname'))} = ${fold(sql`${person.surname}::text`)}
        and coalesce(${fold(field('firstname'))}, '') = coalesce(${fold(sql`${person.firstname}::text`)}, ''))`,
    )
  }
  return db
    .updateTable('upsert_job')
    .set({ payload: '{}' })
    .where('group_id', '=', tenant.groupId)
    .where('status', '=', 'rejected')
    .where(sql<boolean>`jsonb_typeof(payload) = 'object' and (${sql.join(named, sql` or `)})`)
    .execute()
}
