// The one query of a search: tenant scope first, then the compiled filter, then a stable order
// (the sort key, then id in the same direction, so pages never overlap) and the page.
import { type RawBuilder, type SqlBool, sql } from 'kysely'
import { contactColumns } from '../contacts/contacts.repository.ts'
import type { ContactRow, Db } from '../db/database.ts'
import { unprepared } from '../db/prepared.ts'
import type { Tenant } from '../shared/tenant.ts'
import type { Root, Search } from './ast.ts'
import { compileRoot, countSet, type DictionaryTest } from './compile.ts'
import { after, exactRank, type SeekPosition, sortExpression } from './order.ts'

/**
 * Contacts of the space matching the query: a Kysely query to select from, page or count. Never
 * a prepared statement: its plan must follow the values (how many contacts a city has).
 * `limited`: the caller takes a page or a batch (ORDER BY … LIMIT), which changes how relation
 * tests under an OR are best probed (compile.ts, Probing).
 */
export function matching(db: Db, tenant: Tenant, query: Root, { limited = false } = {}) {
  return db
    .selectFrom('contact')
    .where('contact.group_id', '=', tenant.groupId)
    .where(compileRoot(query, tenant.groupId, { limited }))
    .modifyEnd(unprepared)
}

/**
 * One page, each row with its `sort_key`. With `last` (where the previous page ended), a keyset
 * seek past it; without, OFFSET page × per_page.
 */
export async function page(db: Db, tenant: Tenant, search: Search, last?: SeekPosition) {
  const exact = search.ranked ? exactRank(search.query) : null
  if (exact) return rankedPage(db, tenant, search, exact)
  const direction = search.ascending ? sql`asc` : sql`desc`
  const sortKey = sortExpression(search.sort)
  const ordered = matching(db, tenant, search.query, { limited: true })
    .select(contactColumns)
    .select(sql<string | number | null>`${sortKey}`.as('sort_key'))
    .orderBy(sql`${sortKey} ${direction}`)
    .orderBy(sql`"contact"."id" ${direction}`)
  if (!last)
    return (
      ordered
        .limit(search.perPage)
        // no deep-paging limit: a page past any base is empty, even past what a bigint offset holds
        .offset(Math.min(search.page * search.perPage, Number.MAX_SAFE_INTEGER))
        .execute()
    )
  const seek = after(search.sort, search.ascending, last)
  const rows = await ordered.where(seek.first).limit(search.perPage).execute()
  if (!seek.next || rows.length === search.perPage) return rows
  const rest = await ordered
    .where(seek.next)
    .limit(search.perPage - rows.length)
    .execute()
  return [...rows, ...rest]
}

/**
 * A page ranked by exact `eql` matches (order.ts, exactRank), then id: the exact matches, in id
 * order and cut after the rows this page can need, then, only when they are fewer than that
 * (a one-time filter: PostgreSQL skips the scan otherwise), the other matches likewise; both in
 * rank, id order, OFFSET page × per_page. Each segment walks an index and stops early as an
 * unranked page does; reading the others only when needed keeps PostgreSQL from scanning for
 * non-exact rows that do not exist (`city eql "Lyon"`: every match is exact). One statement,
 * one snapshot. `sort_key` holds the rank (0 exact, 1 not).
 */
async function rankedPage(db: Db, tenant: Tenant, search: Search, exact: RawBuilder<SqlBool>) {
  const direction = search.ascending ? sql`asc` : sql`desc`
  const offset = Math.min(search.page * search.perPage, Number.MAX_SAFE_INTEGER)
  const needed = Math.min(offset + search.perPage, Number.MAX_SAFE_INTEGER)
  const segment = (rank: number, test: RawBuilder<SqlBool>) =>
    matching(db, tenant, search.query, { limited: true })
      .select(contactColumns)
      .select(sql<number>`${rank}::int`.as('sort_key'))
      .where(test)
      .orderBy(sql`"contact"."id" ${direction}`)
      .limit(needed)
  const short = sql<SqlBool>`(select count(*) from exact) < ${needed}::bigint`
  const { rows } = await sql<PageRow>`
    with exact as materialized ${segment(0, exact)}
    select * from ((select * from exact) union all ${segment(1, sql`not coalesce(${exact}, false)`).where(short)}) contact
    order by contact.sort_key, contact.id ${direction} limit ${search.perPage}::bigint offset ${offset}::bigint
    ${unprepared}`.execute(db)
  return rows
}

/** A row of a page: the contact's columns and its `sort_key`. */
type PageRow = Pick<ContactRow, (typeof contactColumns)[number]> & { sort_key: string | number | null }

/**
 * For each test over a tag row `t`, the ids of the space's tags passing it. One statement for
 * all of them: a space has tens to hundreds of tags, each row gets one boolean per test.
 */
export async function tagIdsPassing(
  db: Db,
  tenant: Tenant,
  tests: RawBuilder<SqlBool>[],
): Promise<number[][]> {
  const passing = tests.map((): number[] => [])
  if (tests.length === 0) return passing
  const { rows } = await sql<{ id: number; hits: (boolean | null)[] }>`
    select t.id, array[${sql.join(tests)}]::bool[] as hits from tag t where t.group_id = ${tenant.groupId}
    ${unprepared}`.execute(db)
  for (const row of rows) for (const [i, hit] of row.hits.entries()) if (hit) passing[i]!.push(Number(row.id))
  return passing
}

/**
 * For each test over a row `d` of its dictionary (compile.ts, dictionaryTest), the space's values
 * passing it. One statement; the dictionary's indexes answer each test (words for `eql`,
 * trigrams for `contains`, its primary key for `start_with` and ranges).
 */
export async function dictionaryValuesPassing(
  db: Db,
  tenant: Tenant,
  tests: DictionaryTest[],
): Promise<string[][]> {
  const passing = tests.map((): string[] => [])
  if (tests.length === 0) return passing
  const selects = tests.map(
    ({ table, test }, i) =>
      sql`select ${i}::int as i, d.norm from ${sql.table(table)} d where d.group_id = ${tenant.groupId} and ${test}`,
  )
  const { rows } = await sql<{
    i: number
    norm: string
  }>`${sql.join(selects, sql` union all `)} ${unprepared}`.execute(db)
  for (const row of rows) passing[row.i]!.push(row.norm)
  return passing
}

/**
 * The count of a query, compiled, with the snapshot it runs in (count-cache.ts): run it with
 * `runCount`; its text and parameters identify the space and the query. A query made only of
 * relation tests, or an OR with relation tests in its branches, counts a set of contact ids
 * (compile.ts, countSet) instead of probing the relations contact by contact.
 */
export function countStatement(db: Db, tenant: Tenant, query: Root) {
  // the statement's own snapshot (the active one), the one the count saw
  const snapshot = sql<string>`pg_current_snapshot()::text`
  const set = countSet(query, tenant.groupId)
  if (set) {
    const ids = set.distinct ? set.ids : sql`select distinct contact_id from (${set.ids}) s`
    return sql<{ total: number; snapshot: string }>`
      select count(*) as total, ${snapshot} as snapshot from (${ids}) ids ${unprepared}`.compile(db)
  }
  return matching(db, tenant, query)
    .select((eb) => [eb.fn.countAll<number>().as('total'), snapshot.as('snapshot')])
    .compile()
}

export async function runCount(
  db: Db,
  statement: ReturnType<typeof countStatement>,
): Promise<{ total: number; snapshot: string }> {
  const { rows } = await db.executeQuery<{ total: number; snapshot: string }>(statement)
  return { total: Number(rows[0]!.total), snapshot: rows[0]!.snapshot }
}

/** The database's snapshot now, as `countStatement` records it. */
export async function currentSnapshot(db: Db): Promise<string> {
  const { rows } = await sql<{ snapshot: string }>`select pg_current_snapshot()::text as snapshot`.execute(db)
  return rows[0]!.snapshot
}

/** One batch of matching contacts after `afterId`, in id order (exports walk the whole set). */
export function batchAfter(db: Db, tenant: Tenant, query: Root, afterId: number, size: number) {
  return matching(db, tenant, query, { limited: true })
    .select(contactColumns)
    .where('contact.id', '>', afterId)
    .orderBy('contact.id')
    .limit(size)
    .execute()
}
