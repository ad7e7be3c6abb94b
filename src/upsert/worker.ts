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
}

export interface UpsertWorker {
  /** An enqueue happened: look now rather than at the next poll. */
  wake(): void
  /** Finishes the job in hand, then stops. */
  stop(): Promise<void>
}

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
export async function runOne(db: Db, maxAttempts = 10, log?: WorkerOptions['log']): Promise<Outcome> {
  let failed: { group_id: number; id: number } | undefined
  try {
    return await inTransaction(db, async (trx) => {
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
      }
      return 'finished'
    })
  } catch (error) {
    if (!failed) throw error
    log?.error({ err: error, job: failed.id }, 'upsert job failed; it stays queued')
    const counted = await repo.countAttempt(db, failed)
    if (counted && counted.attempt >= maxAttempts) {
      await repo.finishJob(db, failed, {
        status: 'rejected',
        reason: `internal error after ${counted.attempt} attempts: ${(error as Error).message}`,
      })
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
      woken = false
      let outcome: Outcome = 'failed'
      try {
        outcome = await runOne(db, options.maxAttempts, options.log)
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
  }
}
