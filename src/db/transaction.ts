import type { Transaction } from 'kysely'
import type { Database, Db } from './database.ts'

// deadlock_detected, serialization_failure: PostgreSQL aborted the transaction and it is safe to run again.
const RETRYABLE = new Set(['40P01', '40001'])

/**
 * Runs `work` in a transaction, again (up to 5 times) when PostgreSQL aborts it for a deadlock.
 * Concurrent writes to the same tags lock tag rows (appearance_count triggers) in an order no
 * single transaction controls; retrying is the standard answer and keeps the API free of 500s.
 */
export async function inTransaction<T>(db: Db, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work)
    } catch (error) {
      const code = (error as { code?: string }).code
      if (attempt >= 5 || !code || !RETRYABLE.has(code)) throw error
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt))
    }
  }
}
