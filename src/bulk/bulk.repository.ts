// Set-based writes of the importer: one COPY per table per batch, on the import's own
// transaction (db/copy.ts: a pooled client's COPY FROM STDIN on PostgreSQL, a blob on PGlite).
import { type Insertable, sql } from 'kysely'
import type { CopyIn } from '../db/copy.ts'
import type { Database, Db } from '../db/database.ts'
import type { IndexStatement } from '../db/pending-indexes.ts'

/**
 * Session settings of a bulk write (this transaction only): new GIN entries (trigram and word
 * indexes of the search columns) go to a large pending list merged in bulk, far cheaper than one
 * index insertion per row, and the merge gets memory to sort in.
 */
export async function tuneForBulk(db: Db): Promise<void> {
  await sql`set local gin_pending_list_limit = '256MB'`.execute(db)
  await sql`set local work_mem = '128MB'`.execute(db)
}

/** Reserves `count` contact ids up front, so relation rows can name their contact. */
export async function allocateContactIds(db: Db, count: number): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    select nextval(pg_get_serial_sequence('contact', 'id'))::int8 as id from generate_series(1, ${count}::int)`.execute(
    db,
  )
  return rows.map((r) => Number(r.id))
}

/** Where a bulk write goes: the transaction, and COPY on its connection. */
export interface BulkTarget {
  db: Db
  copyIn: CopyIn
}

/**
 * Inserts rows (every row with the first one's keys) by COPY: faster than expanding one JSON
 * parameter with json_populate_recordset, on PostgreSQL and PGlite alike (BENCHMARKS.md).
 */
export async function insertRows<T extends keyof Database>(
  target: BulkTarget,
  table: T,
  rows: Record<string, unknown>[],
): Promise<void> {
  if (rows.length === 0) return
  await target.copyIn(table, rows)
}

/** The tables an import writes the bulk of: their indexes are the cost of an import. */
const INDEXED_TABLES = ['contact', 'contact_tag', 'contact_action', 'form_data', 'note', 'interaction']

/** True when no space has a contact yet: the first load of a server. */
export async function noContactsYet(db: Db): Promise<boolean> {
  const row = await db.selectFrom('contact').select('id').limit(1).executeTakeFirst()
  return row === undefined
}

/** What dropIndexesAndForeignKeys dropped, as the statements that put it back. */
export interface Dropped {
  indexes: IndexStatement[]
  foreignKeys: string[]
}

/**
 * Drops what makes a row-by-row load slow on the imported tables, their secondary indexes and
 * their foreign keys (each inserted row runs one lookup and one row lock per foreign key), and
 * returns the statements that put them back. Primary keys and unique indexes stay. Inside the
 * import's transaction: a rollback restores everything, and until the commit the tables are
 * locked against every space (and the tables the foreign keys point to, space, tag, form and
 * action, take no writes).
 */
export async function dropIndexesAndForeignKeys(db: Db): Promise<Dropped> {
  const tables = sql`(select t.oid from pg_class t where t.relnamespace = current_schema()::regnamespace
      and t.relname = any(${INDEXED_TABLES}::text[]))`
  const { rows: foreignKeys } = await sql<{ tbl: string; name: string; definition: string }>`
    select conrelid::regclass::text as tbl, quote_ident(conname) as name, pg_get_constraintdef(oid) as definition
    from pg_constraint where contype = 'f' and conrelid in ${tables} order by 1, 2`.execute(db)
  const { rows: indexes } = await sql<{ name: string; definition: string }>`
    select indexrelid::regclass::text as name, pg_get_indexdef(indexrelid) as definition
    from pg_index where indrelid in ${tables} and not indisunique order by 1`.execute(db)
  // all the locks at once, in one order, rather than one table at a time as the drops go
  await sql`lock table ${sql.join(INDEXED_TABLES.map((t) => sql.table(t)))} in access exclusive mode`.execute(
    db,
  )
  for (const fk of foreignKeys) await sql.raw(`alter table ${fk.tbl} drop constraint ${fk.name}`).execute(db)
  for (const index of indexes) await sql.raw(`drop index ${index.name}`).execute(db)
  return {
    indexes: indexes.map((index) => ({ name: index.name, statement: index.definition })),
    foreignKeys: foreignKeys.map((fk) => `alter table ${fk.tbl} add constraint ${fk.name} ${fk.definition}`),
  }
}

/** Runs statements dropIndexesAndForeignKeys returned (the catalogue's text, never user input). */
export async function restore(db: Db, statements: string[]): Promise<void> {
  if (statements.length === 0) return
  // one sort in memory per index instead of spilling to disk (this transaction only)
  await sql`set local maintenance_work_mem = '512MB'`.execute(db)
  for (const statement of statements) await sql.raw(statement).execute(db)
}

const IMPORTED_TABLES = [
  'contact',
  'contact_tag',
  'tag',
  'form_data',
  'note',
  'interaction',
  'contact_action',
]

/**
 * After a bulk write: planner statistics, the visibility map (index-only counts) and the GIN
 * pending lists merged (tuneForBulk let them grow), now rather than on the first searches.
 * PGlite has no autovacuum at all; on PostgreSQL it would come, but later.
 */
export async function refreshStatistics(db: Db): Promise<void> {
  const tables = sql.join(IMPORTED_TABLES.map((t) => sql.table(t)))
  await sql`vacuum (analyze) ${tables}`.execute(db)
}

/**
 * A savepoint around one row of an import with --update: a row the upsert rejects half way
 * (after its contact was written) leaves nothing, and the import's transaction goes on.
 */
export async function savepoint(db: Db): Promise<void> {
  await sql`savepoint import_row`.execute(db)
}

export async function releaseSavepoint(db: Db): Promise<void> {
  await sql`release savepoint import_row`.execute(db)
}

export async function rollbackToSavepoint(db: Db): Promise<void> {
  await sql`rollback to savepoint import_row`.execute(db)
}

/** A committed import of the space, recorded in the import's transaction. */
export async function insertImportRun(
  db: Db,
  run: Omit<Insertable<Database['import_run']>, 'id' | 'created_at'>,
): Promise<number> {
  const row = await db.insertInto('import_run').values(run).returning('id').executeTakeFirstOrThrow()
  return Number(row.id)
}

/** The latest committed import of this file (by checksum) into the space. */
export async function findImportRun(db: Db, groupId: number, checksum: string) {
  return db
    .selectFrom('import_run')
    .selectAll()
    .where('group_id', '=', groupId)
    .where('checksum', '=', checksum)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
}
