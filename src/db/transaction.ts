import { CompiledQuery, type DatabaseConnection, type Dialect, type KyselyProps, Transaction } from 'kysely'
import type { Database, Db } from './database.ts'

// deadlock_detected, serialization_failure: PostgreSQL aborted the transaction and it is safe to run again.
const RETRYABLE = new Set(['40P01', '40001'])

/**
 * Runs `work` in a transaction, again (up to 5 times) when PostgreSQL aborts it for a deadlock.
 * Concurrent writes to the same tags lock tag rows (appearance_count triggers) in an order no
 * single transaction controls; retrying is the standard answer and keeps the API free of 500s.
 *
 * On a pool whose clients pipeline (connect.ts), statements that `work` starts without awaiting
 * the one before travel together: they reach PostgreSQL in the order they were started and run
 * in that order, each with its own snapshot, but one round trip serves them all.
 */
export async function inTransaction<T>(db: Db, work: Work<T>): Promise<T> {
  const pipelined = PIPELINED.get(db)
  for (let attempt = 1; ; attempt++) {
    try {
      return pipelined
        ? await pipelinedTransaction(db, pipelined, work)
        : await db.transaction().execute(async (trx) => resultOf(await work(trx)))
    } catch (error) {
      const code = (error as { code?: string }).code
      if (attempt >= 5 || !code || !RETRYABLE.has(code)) throw error
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt))
    }
  }
}

type Work<T> = (trx: Transaction<Database>) => Promise<T | Last<T>>

const LAST = Symbol('last statement')
type Last<T> = { [LAST]: Promise<T> }

/**
 * What `work` returns when its last statement is a read whose result is the transaction's
 * result: the statement already started, not awaited. The commit then goes out right behind it.
 */
export function last<T>(statement: Promise<T>): Last<T> {
  // awaited once the commit is sent; until then its failure must not count as unhandled
  statement.catch(() => {})
  return { [LAST]: statement }
}

const isLast = <T>(value: T | Last<T>): value is Last<T> =>
  typeof value === 'object' && value !== null && LAST in value

const resultOf = <T>(value: T | Last<T>): Promise<T> | T => (isLast(value) ? value[LAST] : value)

/** What a Transaction needs besides its executor; built once per pipelining Kysely instance. */
type TransactionProps = Omit<KyselyProps, 'executor'>

/** Kysely instances (the pool's root instance) whose connections pipeline. */
const PIPELINED = new WeakMap<Db, TransactionProps>()

export function markPipelined(db: Db, dialect: Dialect): void {
  // the driver is never used: a Transaction opens no transaction or connection of its own
  PIPELINED.set(db, { config: { dialect }, dialect, driver: dialect.createDriver() })
}

/**
 * Kysely's own transactions send one statement at a time (it waits for each result before it
 * sends the next, and for `begin` before the first). This one binds `work` to the connection
 * directly: `begin` goes out with the first statement, and statements started together go out
 * together.
 */
async function pipelinedTransaction<T>(db: Db, props: TransactionProps, work: Work<T>): Promise<T> {
  const executor = db.getExecutor()
  return executor.provideConnection(async (connection: DatabaseConnection) => {
    const trx = new Transaction<Database>({
      ...props,
      executor: executor.withConnectionProvider({ provideConnection: (consumer) => consumer(connection) }),
    })
    const run = (text: string) => connection.executeQuery(CompiledQuery.raw(text))
    // Not awaited before `work`: BEGIN fails only when the connection does, and then every
    // statement queued behind it fails the same way.
    const begin = run('begin')
    begin.catch(() => {})
    let result: T | Last<T>
    try {
      result = await work(trx)
      await begin
    } catch (error) {
      await run('rollback').catch(() => {})
      throw error
    }
    const commit = run('commit')
    commit.catch(() => {})
    // a last statement that fails aborts the transaction: the COMMIT then answers ROLLBACK, and
    // the statement's own error is the one thrown
    const value = await resultOf(result)
    const { rows } = await commit
    // PostgreSQL answers COMMIT with ROLLBACK when an earlier statement's error left the
    // transaction aborted (an error `work` swallowed)
    if ((rows[0] as { command?: string } | undefined)?.command === 'ROLLBACK') {
      throw new Error('The transaction was rolled back: one of its statements failed')
    }
    return value
  })
}

// in_failed_sql_transaction: a statement sent after another failed; never the cause
const ABORTED = '25P02'

/**
 * Awaits every promise, then throws the first rejection if any, else gives their values. Unlike
 * Promise.all, nothing is still running on the transaction's connection when the caller's
 * rollback goes out. The error thrown is the first one that is not "current transaction is
 * aborted": an entry listed first may have failed that way only because a statement of a later
 * entry failed before its own (the real error, the one to answer, log and retry on).
 */
export async function settleAll<const T extends readonly unknown[]>(
  promises: T,
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const results = await Promise.allSettled(promises)
  const reasons = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []))
  if (reasons.length > 0) {
    throw reasons.find((reason) => (reason as { code?: unknown } | null)?.code !== ABORTED) ?? reasons[0]
  }
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as {
    -readonly [K in keyof T]: Awaited<T[K]>
  }
}
