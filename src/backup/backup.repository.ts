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
  const scope = space === null ? sql`` : spaceScope(table, space)
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

/** The rows of one space: users have no group_id, so a space holds the users who are its members. */
function spaceScope(table: string, space: number) {
  if (table === 'app_user')
    return sql` where id in (select user_id from space_user where group_id = ${space})`
  return sql` where ${sql.ref(table === 'space' ? 'id' : 'group_id')} = ${space}`
}

/** The archive's users go to a temporary table first: some may exist here already (mergeUsers). */
export async function stageUsers(trx: Db): Promise<string> {
  await sql`create temporary table restored_user (like app_user) on commit drop`.execute(trx)
  return 'restored_user'
}

/**
 * Adds the staged users that are not here yet; a user already here under the same id and mail
 * (another space's member) is kept as it is. The ids added are returned. Throws a message when
 * an id or a mail here belongs to someone else than in the archive.
 */
export async function mergeUsers(trx: Db): Promise<{ added: number[]; clash: string | null }> {
  const { rows: clashes } = await sql<{ id: string; mail: string }>`
    select s.id::text as id, s.mail from restored_user s
    join app_user u on u.id = s.id or lower(u.mail) = lower(s.mail)
    where not (u.id = s.id and lower(u.mail) = lower(s.mail))
    limit 1`.execute(trx)
  const clash = clashes[0]
  if (clash) return { added: [], clash: `user ${clash.id} (${clash.mail})` }
  const { rows } = await sql<{ id: string }>`
    insert into app_user select s.* from restored_user s
    where not exists (select 1 from app_user u where u.id = s.id)
    returning id::text as id`.execute(trx)
  return { added: rows.map((r) => Number(r.id)), clash: null }
}

/** Users added by a restore of one space that are not members of it (a whole archive holds every user). */
export async function dropNonMembers(trx: Db, ids: number[]): Promise<void> {
  if (ids.length === 0) return
  await sql`delete from app_user u where u.id = any(${ids.map(String)}::bigint[])
    and not exists (select 1 from space_user m where m.user_id = u.id)`.execute(trx)
}

/** The built-in roles the space trigger just created for restored spaces: the archive's own replace them. */
export async function dropCreatedRoles(trx: Db, spaces: number[]): Promise<void> {
  if (spaces.length === 0) return
  await sql`delete from role where group_id = any(${spaces.map(String)}::bigint[])`.execute(trx)
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
  // contacts and teams draw their address ids from one sequence
  for (const table of ['contact', 'team'])
    if (tables.includes(table)) all.push({ table, column: 'address_id', sequence: 'address_id_seq' })
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
