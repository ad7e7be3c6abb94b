// The upsert worker: a loop in the server process that applies queued jobs one at a time, each
// in ONE transaction that also marks the job finished. A crash mid-job rolls everything back and
// the job stays queued: after a restart it is done, once. Plain SQL on the app's own Kysely
// instance, so it runs on PGlite (one connection, no pool) as on PostgreSQL.

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
  log?: { error(obj: unknown, msg: string): void }
  /** Told of every job finished: applied ('done') or rejected. */
  onFinished?: (status: 'done' | 'rejected') => void
}

export interface UpsertWorker {
  /** An enqueue happened: look now rather than at the next poll. */
  wake(): void
  /** Finishes the job in hand, then stops. */
  stop(): Promise<void>
  /** Running, and it went round its loop within the last minute (a job or a poll). */
  alive(): boolean
}

const STALLED_MS = 60_000

const RETENTION_MS = 7 * 24 * 3600 * 1000
const CLEANUP_EVERY_MS = 3600 * 1000
const FAILURE_PAUSE_MS = 1000

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

/** Claims and applies one job. */
export async function runOne(
  db: Db,
  maxAttempts = 10,
  log?: WorkerOptions['log'],
  onFinished?: WorkerOptions['onFinished'],
): Promise<Outcome> {
  let failed: { group_id: number; id: number } | undefined
  try {
    let status: 'done' | 'rejected' = 'done'
    const outcome = await inTransaction(db, async (trx): Promise<Outcome> => {
      // a retried transaction starts again from here
      status = 'done'
      const job = await repo.claimJob(trx)
      if (!job) return 'none'
      failed = job
      const tenant = { groupId: job.group_id, apiKeyId: 0 }
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
        status = 'rejected'
      }
      return 'finished'
    })
    if (outcome === 'finished') onFinished?.(status)
    return outcome
  } catch (error) {
    if (!failed) throw error
    log?.error({ err: error, job: failed.id }, 'upsert job failed; it stays queued')
    const counted = await repo.countAttempt(db, failed)
    if (counted && counted.attempt >= maxAttempts) {
      await repo.finishJob(db, failed, {
        status: 'rejected',
        reason: `internal error after ${counted.attempt} attempts: ${(error as Error).message}`,
      })
      onFinished?.('rejected')
    }
    return 'failed'
  }
}

export function startWorker(db: Db, options: WorkerOptions = {}): UpsertWorker {
  const pollMs = options.pollMs ?? 500
  let running = true
  let woken = false
  let wakeUp: (() => void) | undefined
  let lastCleanup = 0
  let lastBeat = Date.now()
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms)
      wakeUp = () => {
        clearTimeout(timer)
        resolve()
      }
    })

  const loop = (async () => {
    while (running) {
      lastBeat = Date.now()
      woken = false
      let outcome: Outcome = 'failed'
      try {
        outcome = await runOne(db, options.maxAttempts, options.log, options.onFinished)
        if (outcome === 'none' && Date.now() - lastCleanup > CLEANUP_EVERY_MS) {
          lastCleanup = Date.now()
          await repo.deleteFinishedBefore(db, new Date(Date.now() - RETENTION_MS))
        }
      } catch (error) {
        options.log?.error({ err: error }, 'upsert worker: cannot claim a job')
      }
      // after a failure, give the database a moment before the job is tried again
      if (outcome === 'failed' && running) await sleep(Math.max(pollMs, FAILURE_PAUSE_MS))
      else if (outcome === 'none' && running && !woken) await sleep(pollMs)
    }
  })()

  return {
    wake() {
      woken = true
      wakeUp?.()
    },
    async stop() {
      running = false
      wakeUp?.()
      await loop
    },
    alive: () => running && Date.now() - lastBeat < STALLED_MS,
  }
}
