// Set-based writes of the importer: one statement per table per batch. Rows travel as ONE JSON
// parameter expanded by json_populate_recordset, so a batch of any size is one round trip with
// no bound-parameter limit and the same SQL on PostgreSQL and PGlite (storage.md §5: array
// expansion runs at 40k rows/s on both; the cost of a contact is its indexes, not the transport).
import { sql } from 'kysely'
import type { Database, Db } from '../db/database.ts'

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

/** insert into <table> (<columns of the first row>) select them from the JSON rows. */
export async function insertRows<T extends keyof Database>(
  db: Db,
  table: T,
  rows: Record<string, unknown>[],
): Promise<void> {
  if (rows.length === 0) return
  const columns = sql.join(Object.keys(rows[0]!).map((c) => sql.ref(c)))
  await sql`insert into ${sql.table(table)} (${columns})
    select ${columns} from json_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(rows)}::json)`.execute(
    db,
  )
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
