// Indexes an import dropped, built again after its commit on several connections at once
// (src/bulk/import.ts): PostgreSQL 15 builds a GIN index on one core, and one transaction runs one
// statement at a time, so inside the import's transaction the second core idled through most of
// the rebuild. Each index is a row of pending_index written in the import's transaction; the
// transaction that builds an index deletes its row. So an index is either built or still listed,
// whatever stops the process, and what is listed is built when a process next opens the database
// (open.ts). Foreign keys and unique indexes are never listed: they are restored in the import's
// transaction, so a write that gets in before an index is built is checked as always, only slower.
import { sql } from 'kysely'
import type { Db } from './database.ts'
import { unprepared } from './prepared.ts'
import { inTransaction } from './transaction.ts'

export interface IndexStatement {
  name: string
  /** the catalogue's definition (pg_get_indexdef), never input */
  statement: string
}

export async function recordPendingIndexes(db: Db, indexes: IndexStatement[]): Promise<void> {
  if (indexes.length === 0) return
  await sql`insert into pending_index (name, statement)
    select * from unnest(${indexes.map((i) => i.name)}::text[], ${indexes.map((i) => i.statement)}::text[])`.execute(
    db,
  )
}

/**
 * Builds one listed index (not one of `failed`) in a transaction of its own, GIN indexes first
 * (the longest builds); false when none is left. An index another builder has taken is skipped,
 * not waited for. When the build fails, its row stays and the index joins `failed`.
 */
async function buildNext(db: Db, failed: Map<string, Error>): Promise<boolean> {
  let name: string | undefined
  try {
    return await inTransaction(db, async (trx) => {
      const { rows } = await sql<IndexStatement>`
        delete from pending_index where name = (
          select name from pending_index where not (name = any(${[...failed.keys()]}::text[]))
          order by statement ilike '% using gin %' desc, position
          limit 1 for update skip locked)
        returning name, statement`.execute(trx)
      if (rows.length === 0) return false
      name = rows[0]!.name
      // one sort in memory per index instead of spilling to disk (this transaction only)
      await sql`set local maintenance_work_mem = '512MB'`.execute(trx)
      await sql`${sql.raw(rows[0]!.statement)} ${unprepared}`.execute(trx)
      return true
    })
  } catch (error) {
    if (name === undefined) throw error
    failed.set(name, error as Error)
    return true
  }
}

/**
 * Builds every listed index, `lanes` at a time (on PostgreSQL, each on a connection of its own).
 * One that fails stays listed, the others are built, then the first failure is thrown.
 */
export async function buildPendingIndexes(db: Db, lanes: number): Promise<void> {
  const { rows } = await sql<{ listed: boolean }>`
    select to_regclass('pending_index') is not null as listed`.execute(db)
  if (!rows[0]?.listed) return // a schema from before migration 0016
  const failed = new Map<string, Error>()
  const lane = async () => {
    while (await buildNext(db, failed)) {}
  }
  await Promise.all(Array.from({ length: lanes }, lane))
  const [first] = failed
  if (first) throw new Error(`index ${first[0]}: ${first[1].message}`, { cause: first[1] })
}
