// SQL of backups: the catalogue (columns, keys, sequences), reading tables through a cursor in the
// backup's snapshot, and the checks and sequence moves around a restore. Table and column names
// come from the code's list of tables and from the catalogue, never from a request.
import { sql } from 'kysely'
import type { Db } from '../db/database.ts'
import { unprepared } from '../db/prepared.ts'
import type { Row } from './archive.ts'

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`

export interface TableShape {
  /** stored columns in table order; generated ones are left out (the database computes them) */
  columns: string[]
  primaryKey: string[]
}

export async function tableShape(db: Db, table: string): Promise<TableShape> {
  const { rows } = await sql<{ name: string; key: number | null }>`
    select a.attname as name, array_position(i.indkey::int2[], a.attnum) as key
    from pg_attribute a
    left join pg_index i on i.indrelid = a.attrelid and i.indisprimary
    where a.attrelid = ${`public.${quote(table)}`}::regclass and a.attnum > 0 and not a.attisdropped
      and a.attgenerated = ''
    order by a.attnum`.execute(db)
  const primaryKey = rows
    .filter((r) => r.key !== null)
    .sort((a, b) => a.key! - b.key!)
    .map((r) => r.name)
  return { columns: rows.map((r) => r.name), primaryKey }
}

/** Every table of the schema (the backup's list is checked against it). */
export async function schemaTables(db: Db): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select c.relname as name from pg_class c
    where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
    order by 1`.execute(db)
  return rows.map((r) => r.name)
}

export async function lastMigration(db: Db): Promise<string | null> {
  const { rows } = await sql<{ name: string }>`
    select name from kysely_migration order by name desc limit 1`.execute(db)
  return rows[0]?.name ?? null
}

export async function spaceIds(db: Db): Promise<number[]> {
  const rows = await db.selectFrom('space').select('id').orderBy('id').execute()
  return rows.map((r) => r.id)
}

/**
 * A table's rows (their columns as text), in primary-key order, `size` at a time, through a
 * cursor of the transaction `trx`: the rows all come from the transaction's snapshot.
 */
export async function* readTable(
  trx: Db,
  table: string,
  shape: TableShape,
  space: number | null,
  size = 2000,
): AsyncGenerator<Row[]> {
  const select = shape.columns.map((c) => `${quote(c)}::text as ${quote(c)}`).join(', ')
  const order = shape.primaryKey.map(quote).join(', ')
  const scope =
    space === null ? sql`` : sql` where ${sql.ref(table === 'space' ? 'id' : 'group_id')} = ${space}`
  await sql`declare carnet_backup no scroll cursor for select ${sql.raw(select)} from ${sql.table(table)}${scope} order by ${sql.raw(order)} ${unprepared}`.execute(
    trx,
  )
  for (;;) {
    const { rows } = await sql<
      Record<string, string | null>
    >`fetch ${sql.lit(size)} from carnet_backup ${unprepared}`.execute(trx)
    if (rows.length === 0) break
    yield rows.map((r) => shape.columns.map((c) => r[c] ?? null))
  }
  await sql`close carnet_backup ${unprepared}`.execute(trx)
}

/**
 * After a restore, each identity (and the contact's address id) continues after the highest id
 * now stored, so new rows never take an id a restored row holds.
 */
export async function moveSequencesPast(db: Db, tables: string[]): Promise<void> {
  const { rows } = await sql<{ table: string; column: string; sequence: string }>`
    select c.relname as table, a.attname as column, pg_get_serial_sequence(quote_ident(c.relname), a.attname) as sequence
    from pg_attribute a join pg_class c on c.oid = a.attrelid
    where c.relnamespace = 'public'::regnamespace and a.attidentity <> '' and c.relname = any(${tables})`.execute(
    db,
  )
  const all = [...rows]
  if (tables.includes('contact'))
    all.push({ table: 'contact', column: 'address_id', sequence: 'address_id_seq' })
  for (const { table, column, sequence } of all) {
    // the sequence's name comes from the catalogue
    await sql`
      select setval(${sequence}::regclass, m)
      from (select max(${sql.ref(column)}) as m from ${sql.table(table)}) t
      where m >= (select case when is_called then last_value + 1 else last_value end from ${sql.raw(sequence)})`.execute(
      db,
    )
  }
}

/** Fresh planner statistics for restored tables. */
export async function analyze(db: Db, tables: string[]): Promise<void> {
  for (const table of tables) await sql`analyze ${sql.table(table)}`.execute(db)
}
