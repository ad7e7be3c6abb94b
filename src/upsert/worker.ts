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

/**
 * Claims a batch of jobs (the oldest claimable job and up to `batchSize - 1` after it in its
 * space) and applies them in order. A job that fails for a reason that is not the record's
 * ends the batch: the jobs before it are kept, its attempt is counted, the jobs after it stay
 * queued. `onClaim` learns the space before the jobs are applied.
 */
export async function runBatch(
  db: Db,
  { maxAttempts = 10, batchSize = 1, log }: Pick<WorkerOptions, 'maxAttempts' | 'batchSize' | 'log'> = {},
  onClaim: (groupId: number) => void = () => {},
): Promise<Outcome> {
  let current: { group_id: number; id: number } | undefined
  try {
    return await inTransaction(db, async (trx) => {
      current = undefined
      const head = await repo.claimJob(trx)
      if (!head) return 'none'
      onClaim(head.group_id)
      const size = Math.min(Math.max(batchSize, 1), MAX_BATCH)
      const jobs = size > 1 ? [head, ...(await repo.claimFollowers(trx, head, size - 1))] : [head]
      for (const job of jobs) {
        current = job
        const tenant = { groupId: job.group_id, apiKeyId: 0 }
        await sql`savepoint upsert_record`.execute(trx)
        try {
          const { contactId, rule } = await apply(trx, tenant, job.payload)
          await repo.finishJob(trx, job, { status: 'done', contact_id: contactId, rule })
        } catch (error) {
          // the record's writes are undone; what is recorded instead is in the same transaction
          await sql`rollback to savepoint upsert_record`.execute(trx)
          const reason = rejectionReason(error)
          if (reason === undefined) {
            log?.error({ err: error, job: job.id }, 'upsert job failed; it stays queued')
            const counted = await repo.countAttempt(trx, job)
            if (counted && counted.attempt >= maxAttempts)
              await repo.finishJob(trx, job, {
                status: 'rejected',
                reason: internalError(counted.attempt, error),
              })
            return 'failed'
          }
          await repo.finishJob(trx, job, { status: 'rejected', reason })
        }
        await sql`release savepoint upsert_record`.execute(trx)
      }
      current = undefined
      return 'finished'
    })
  } catch (error) {
    // the transaction itself failed (the connection, the commit): nothing of the batch is kept
    if (!current) throw error
    const failed = current
    log?.error({ err: error, job: failed.id }, 'upsert batch failed; its jobs stay queued')
    const counted = await repo.countAttempt(db, failed)
    if (counted && counted.attempt >= maxAttempts)
      await repo.finishJob(db, failed, { status: 'rejected', reason: internalError(counted.attempt, error) })
    return 'failed'
  }
}

export function startWorker(db: Db, options: WorkerOptions = {}): UpsertWorker {
  const pollMs = options.pollMs ?? 500
  const batch = { maxAttempts: options.maxAttempts, batchSize: options.batchSize ?? 32, log: options.log }
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
    while (running) {
      const seen = wakes
      let outcome: Outcome = 'failed'
      let held: number | undefined
      try {
        outcome = await runBatch(db, batch, (groupId) => {
          // a transaction run again (deadlock) claims again, maybe another space
          if (held !== undefined) release(held)
          held = groupId
          hold(groupId)
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
