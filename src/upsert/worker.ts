// The upsert worker: loops in the server process ("claimers", each on its own connection) that
// apply queued jobs in batches. A batch is a run of consecutive queued jobs of one space, applied
// one after another in ONE transaction that also marks each job finished: a crash rolls the
// batch back and its jobs stay queued, to be done once after a restart. Each job runs under a
// savepoint, so a record that is rejected undoes its own writes only. One commit per batch
// instead of one per job is most of the speed; several claimers serve several spaces at once.
// Plain SQL on the app's own Kysely instance, so it runs on PGlite (one connection: one claimer)
// as on PostgreSQL.

import { sql } from 'kysely'
import type { Db } from '../db/database.ts'
import { inTransaction } from '../db/transaction.ts'
import { refusedByDatabase } from '../shared/errors.ts'
import type { Tenant } from '../shared/tenant.ts'
import * as repo from './upsert.repository.ts'
import { apply, Rejection } from './upsert.service.ts'

export interface WorkerOptions {
  /** Fallback poll, for jobs another process enqueued (ms). */
  pollMs?: number
  /** A job that fails this many times for a reason that is not the record's is rejected. */
  maxAttempts?: number
  /** Batches applied at once, each on its own connection (PGlite: 1). */
  claimers?: number
  /** The most jobs of one batch (one transaction). */
  batchSize?: number
  log?: { error(obj: unknown, msg: string): void }
  /** Record the contacts' history (HISTORY); on unless told */
  history?: boolean
}

export interface UpsertWorker {
  /** A job of this space was enqueued: look now rather than at the next poll. */
  wake(groupId?: number): void
  /** Finishes the batch in hand, then stops. */
  stop(): Promise<void>
}

const RETENTION_MS = 7 * 24 * 3600 * 1000
const CLEANUP_EVERY_MS = 3600 * 1000
const FAILURE_PAUSE_MS = 1000
// Every job of a batch is a subtransaction; past 64 in one transaction PostgreSQL's snapshots of
// every other session get slower (the subtransaction cache overflows).
const MAX_BATCH = 50

type Outcome = 'none' | 'finished' | 'failed'

/**
 * The record's fault: a Rejection, or a value the database refuses (refusedByDatabase, or
 * SQLSTATE class 23 "integrity constraint violation"). Retrying those would fail the same way.
 */
function rejectionReason(error: unknown): string | undefined {
  if (error instanceof Rejection) return error.message
  const code = (error as { code?: unknown }).code
  if (refusedByDatabase(error) || (typeof code === 'string' && code.startsWith('23')))
    return `invalid data: ${(error as Error).message}`
  return undefined
}

const internalError = (attempt: number, error: unknown) =>
  `internal error after ${attempt} attempts: ${(error as Error).message}`

type Claim = (groupId: number) => void

/**
 * The job's space, as the key (and user) that queued it: the contact's history names them, and a
 * contact it creates has that user for author.
 */
function jobTenant(job: repo.ClaimedJob, history: boolean): Tenant {
  return {
    groupId: job.group_id,
    apiKeyId: job.api_key_id ?? 0,
    ...(job.user_id !== null ? { userId: job.user_id } : {}),
    channel: 'upsert',
    route: 'POST /contacts/upsert',
    ...(history ? {} : { history: false }),
  }
}

/** Claims one job and applies it, with its done mark, in one transaction. */
async function runOne(
  db: Db,
  maxAttempts: number,
  log: WorkerOptions['log'],
  onClaim: Claim,
  history: boolean,
): Promise<Outcome> {
  let failed: { group_id: number; id: number } | undefined
  try {
    return await inTransaction(db, async (trx) => {
      const job = await repo.claimJob(trx)
      if (!job) return 'none'
      onClaim(job.group_id)
      failed = job
      const tenant = jobTenant(job, history)
      await sql`savepoint upsert_record`.execute(trx)
      try {
        const { contactId, rule } = await apply(trx, tenant, job.payload)
        await repo.finishJob(trx, job, { status: 'done', contact_id: contactId, rule })
      } catch (error) {
        const reason = rejectionReason(error)
        if (reason === undefined) throw error
        // the record's writes are undone; the rejection is recorded in the same transaction
        await sql`rollback to savepoint upsert_record`.execute(trx)
        await repo.finishJob(trx, job, { status: 'rejected', reason })
      }
      return 'finished'
    })
  } catch (error) {
    if (!failed) throw error
    log?.error({ err: error, job: failed.id }, 'upsert job failed; it stays queued')
    const counted = await repo.countAttempt(db, failed)
    if (counted && counted.attempt >= maxAttempts)
      await repo.finishJob(db, failed, { status: 'rejected', reason: internalError(counted.attempt, error) })
    return 'failed'
  }
}

/** A statement sent without waiting for its answer: a failure shows in the statements after it. */
const send = (statement: Promise<unknown>) => {
  statement.catch(() => {})
}

/**
 * The oldest claimable job and up to `size - 1` jobs after it in its space, applied in order in
 * one transaction, then all marked finished by one statement. Each job runs under a savepoint
 * (sent with the job's first statement), so a rejected record undoes only its own writes. Any
 * other failure throws: the whole batch is undone.
 */
async function applyBatch(db: Db, size: number, onClaim: Claim, history: boolean): Promise<Outcome> {
  return inTransaction(db, async (trx) => {
    const head = await repo.claimJob(trx)
    if (!head) return 'none'
    onClaim(head.group_id)
    const jobs = [head, ...(await repo.claimFollowers(trx, head, size - 1))]
    const finished: repo.Finished[] = []
    for (const job of jobs) {
      const tenant = jobTenant(job, history)
      send(sql`savepoint upsert_record`.execute(trx))
      try {
        const { contactId, rule } = await apply(trx, tenant, job.payload)
        finished.push({ id: job.id, status: 'done', contact_id: contactId, rule })
      } catch (error) {
        const reason = rejectionReason(error)
        if (reason === undefined) throw error
        await sql`rollback to savepoint upsert_record`.execute(trx)
        finished.push({ id: job.id, status: 'rejected', reason })
      }
      send(sql`release savepoint upsert_record`.execute(trx))
    }
    await repo.finishJobs(trx, head.group_id, finished)
    return 'finished'
  })
}

/**
 * Applies the next batch (`batchSize` jobs at most). A batch that fails for a reason that is not
 * a record's is undone, and its jobs are then tried one at a time: the failing job is found, its
 * attempt counted, and the jobs before it kept. `onClaim` learns the space of each claim.
 */
export async function runBatch(
  db: Db,
  {
    maxAttempts = 10,
    batchSize = 1,
    log,
    history = true,
  }: Pick<WorkerOptions, 'maxAttempts' | 'batchSize' | 'log' | 'history'> = {},
  onClaim: Claim = () => {},
  onBatchFailed: () => void = () => {},
): Promise<Outcome> {
  const size = Math.min(Math.max(batchSize, 1), MAX_BATCH)
  if (size > 1) {
    try {
      return await applyBatch(db, size, onClaim, history)
    } catch (error) {
      log?.error({ err: error }, 'upsert batch failed; its jobs are tried one at a time')
      onBatchFailed()
    }
  }
  return runOne(db, maxAttempts, log, onClaim, history)
}

export function startWorker(db: Db, options: WorkerOptions = {}): UpsertWorker {
  const pollMs = options.pollMs ?? 500
  const batchSize = options.batchSize ?? 32
  let running = true
  let lastCleanup = 0
  /** bumped by every wake: a claimer that found nothing sleeps only if none came since it looked */
  let wakes = 0
  /** the spaces whose batch a claimer of this process holds: it claims again when done */
  const busy = new Map<number, number>()
  const sleepers = new Set<() => void>()
  /** `wakeable`: an enqueue ends the sleep (not the pause after a failure, nor at stop()) */
  const sleep = (ms: number, wakeable = true) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer)
        sleepers.delete(done)
        pauses.delete(done)
        resolve()
      }
      const timer = setTimeout(done, ms)
      if (wakeable) sleepers.add(done)
      else pauses.add(done)
    })
  const pauses = new Set<() => void>()
  const hold = (groupId: number) => busy.set(groupId, (busy.get(groupId) ?? 0) + 1)
  const release = (groupId: number) => {
    const left = (busy.get(groupId) ?? 1) - 1
    if (left > 0) busy.set(groupId, left)
    else busy.delete(groupId)
  }

  const claimer = async () => {
    let singles = 0
    while (running) {
      const seen = wakes
      let outcome: Outcome = 'failed'
      let held: number | undefined
      const claimed = (groupId: number) => {
        // a transaction run again (deadlock), or a batch tried again one job at a time, claims again
        if (held !== undefined) release(held)
        held = groupId
        hold(groupId)
      }
      try {
        // after a batch failed, one job at a time until the failing job is past
        const size = singles > 0 ? 1 : batchSize
        if (singles > 0) singles--
        const batch = {
          maxAttempts: options.maxAttempts,
          batchSize: size,
          log: options.log,
          history: options.history ?? true,
        }
        outcome = await runBatch(db, batch, claimed, () => {
          singles = batchSize
        })
        if (outcome === 'none' && Date.now() - lastCleanup > CLEANUP_EVERY_MS) {
          lastCleanup = Date.now()
          await repo.deleteFinishedBefore(db, new Date(Date.now() - RETENTION_MS))
        }
      } catch (error) {
        options.log?.error({ err: error }, 'upsert worker: cannot claim a job')
      } finally {
        if (held !== undefined) release(held)
      }
      // after a failure, give the database a moment before the job is tried again
      if (outcome === 'failed' && running) await sleep(Math.max(pollMs, FAILURE_PAUSE_MS), false)
      else if (outcome === 'none' && running && wakes === seen) await sleep(pollMs)
    }
  }
  const count = Math.max(1, options.claimers ?? 1)
  const loops = Array.from({ length: count }, claimer)

  return {
    wake(groupId) {
      // a claimer holding this space's batch claims again when it is done: no one else to wake
      if (groupId !== undefined && busy.has(groupId)) return
      wakes++
      for (const wake of [...sleepers]) wake()
    },
    async stop() {
      running = false
      for (const wake of [...sleepers, ...pauses]) wake()
      await Promise.all(loops)
    },
  }
}
