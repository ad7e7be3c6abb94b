// Erasing a contact must read its own rows through indexes, never a whole table: at a million
// contacts a single sequential scan of the form answers made each DELETE cost tens of ms. Checked
// on the plans, with sequential scans disabled (the planner then picks one only when no index can
// serve the statement): every statement DELETE /contacts/{id} runs, and every foreign-key cascade
// or check that deleting a contact sets off (found in the catalogue, so a new table is checked).
import { CompiledQuery, Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { freshDatabase, type TestApp, testApp, testConfig } from '../../test/app.ts'
import { createContact } from '../../test/fixtures.ts'
import { buildApp } from '../app.ts'
import type { Database, Db } from '../db/database.ts'

let t: TestApp
let fresh: Awaited<ReturnType<typeof freshDatabase>>
beforeAll(async () => {
  // a database of its own: an import in another file (--indexes rebuild) drops the indexes of
  // the shared one for a while, and plans read then would scan
  fresh = await freshDatabase()
  t = await testApp({}, { connect: async () => fresh.conn })
})
afterAll(async () => {
  await t.app.close()
  await fresh.drop()
})

interface PlanNode {
  'Node Type': string
  'Relation Name'?: string
  'Index Name'?: string
  'Index Cond'?: string
  Plans?: PlanNode[]
}

/** The scans of `statement`'s plan, with sequential scans disabled for it alone. */
async function scansOf(db: Db, statement: CompiledQuery): Promise<PlanNode[]> {
  const plan = await db.transaction().execute(async (trx) => {
    await sql`set local enable_seqscan = off`.execute(trx)
    const { rows } = await trx.executeQuery<{ 'QUERY PLAN': unknown }>(
      CompiledQuery.raw(`explain (format json) ${statement.sql}`, [...statement.parameters]),
    )
    const json = rows[0]!['QUERY PLAN']
    return (typeof json === 'string' ? JSON.parse(json) : json) as { Plan: PlanNode }[]
  })
  const scans: PlanNode[] = []
  const walk = (node: PlanNode) => {
    if (/Scan/.test(node['Node Type'])) scans.push(node)
    for (const child of node.Plans ?? []) walk(child)
  }
  walk(plan[0]!.Plan)
  return scans
}

/**
 * A scan that reads a table, or a whole space of it: a sequential scan, or an index searched by
 * the space alone (every table's key starts with group_id, so that index always exists).
 */
function readsTooMuch(scan: PlanNode): boolean {
  if (scan['Node Type'] === 'Seq Scan') return true
  const cond = scan['Index Cond']
  if (cond === undefined) return /Index/.test(scan['Node Type']) // an index read in full
  return !/\b[a-z_]+ (=|<|>|<=|>=) /.test(cond.replace(/\bgroup_id = \S+/g, ''))
}

const describe = (scans: PlanNode[]) => JSON.stringify(scans.map(({ Plans: _, ...scan }) => scan))

test('DELETE /contacts/{id}: every statement it runs reads through an index', async () => {
  const space = await t.newSpace()
  const contact = await createContact(space, { tags: [{ name: 'erase' }], notes: [{ content: 'n' }] })
  const statements: CompiledQuery[] = []
  const dialect = t.conn.pglite
    ? new PGliteDialect({ pglite: t.conn.pglite })
    : new PostgresDialect({ pool: t.conn.pool! })
  const recording = new Kysely<Database>({
    dialect,
    log: (event) => {
      if (event.level === 'query') statements.push(event.query)
    },
  })
  const app = await buildApp({ config: testConfig, db: recording })
  try {
    const response = await app.inject({
      method: 'DELETE',
      url: `/contacts/${contact.id}`,
      headers: { authorization: `Bearer ${space.key}` },
    })
    expect(response.statusCode, response.body).toBe(200)
  } finally {
    await app.close()
  }
  const planned = statements.filter((s) => /^\s*(select|insert|update|delete|with)\b/i.test(s.sql))
  // the contact itself, and what points at it outside its own tables (saved answers, upsert jobs)
  expect(planned.some((s) => /delete from "contact"/i.test(s.sql))).toBe(true)
  for (const statement of planned) {
    const scans = await scansOf(t.conn.db, statement)
    // A rejected upsert was applied to no contact: it is tied to the person only by the values it
    // carries, so erasure reads the space's rejected upserts, through their partial index (a few
    // days' worth: finished jobs are purged after 7 days), and no other job.
    const allowed = (scan: PlanNode) =>
      /update "upsert_job" set "payload"/.test(statement.sql) && scan['Index Name'] === 'upsert_job_rejected'
    const tooMuch = scans.filter((scan) => readsTooMuch(scan) && !allowed(scan))
    expect(tooMuch, `${statement.sql}\n${describe(scans)}`).toEqual([])
  }
})

test('every foreign key that deleting a contact sets off finds its rows through an index', async () => {
  const { db } = t.conn
  // the tables whose rows point at a contact, and, through cascades, at those rows (file → interaction)
  const { rows: keys } = await sql<{ child: string; parent: string; columns: string[] }>`
    with recursive reached(child, parent, columns, action) as (
      select c.conrelid::regclass::text, c.confrelid::regclass::text,
        array(select a.attname::text from unnest(c.conkey) with ordinality k(n, i)
              join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n order by k.i),
        c.confdeltype
      from pg_constraint c where c.contype = 'f' and c.confrelid = 'contact'::regclass
      union
      select c.conrelid::regclass::text, c.confrelid::regclass::text,
        array(select a.attname::text from unnest(c.conkey) with ordinality k(n, i)
              join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n order by k.i),
        c.confdeltype
      from pg_constraint c join reached r on c.confrelid = r.child::regclass and r.action = 'c'
      where c.contype = 'f'
    )
    select child, parent, columns from reached order by child`.execute(db)
  const children = keys.map((k) => k.child)
  for (const table of ['contact_tag', 'form_data', 'note', 'interaction', 'file', 'contact_action'])
    expect(children).toContain(table)
  for (const key of keys) {
    // what PostgreSQL's cascade runs for each deleted parent row
    const where = key.columns.map((column, i) => `"${column}" = $${i + 1}`)
    const statement = CompiledQuery.raw(
      `delete from only ${key.child} where ${where.join(' and ')}`,
      key.columns.map((_, i) => i + 1),
    )
    const scans = await scansOf(db, statement)
    const what = `${key.child} (${key.columns.join(', ')}) → ${key.parent}\n${describe(scans)}`
    expect(scans.filter(readsTooMuch), what).toEqual([])
    // an index searched by every column of the key
    const searchedBy = (scan: PlanNode) =>
      key.columns.every((column) => new RegExp(`\\b${column} = `).test(scan['Index Cond'] ?? ''))
    expect(scans.some(searchedBy), what).toBe(true)
  }
})
