// The import's 'rebuild' mode drops indexes and foreign keys of shared tables, so it runs here on
// a database of its own (with DB_DRIVER=pg the other test files share one, and would wait on it).
import { sql } from 'kysely'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { type BenchDatabase, freshDatabase } from '../../bench/setup.ts'
import { driver } from '../../test/app.ts'
import type { OpenDatabase } from '../db/open.ts'
import type { Tenant } from '../shared/tenant.ts'
import * as spaces from '../spaces/spaces.service.ts'
import { ensureForms, generateContacts } from './generate.ts'
import { type ImportOptions, importContacts, StrictImportError } from './import.ts'

let fresh: BenchDatabase
let database: OpenDatabase
let tenant: Tenant

beforeAll(async () => {
  fresh = await freshDatabase(driver)
  database = await fresh.open()
  const space = await spaces.createSpace(database.db, 'Rebuild')
  tenant = { groupId: space.id, apiKeyId: 0 }
})
afterAll(async () => {
  await database?.close()
  await fresh?.drop()
})

/** Every index and foreign key of the schema, as the catalogue defines them. */
async function structure() {
  const { rows } = await sql<{ definition: string }>`
    select indexdef as definition from pg_indexes where schemaname = current_schema()
    union all
    select conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
    from pg_constraint where contype = 'f' and connamespace = current_schema()::regnamespace
    order by 1`.execute(database.db)
  return rows.map((r) => r.definition)
}

async function load(count: number, seed: number, options: ImportOptions = {}) {
  const forms = await ensureForms(database.db, tenant)
  async function* records() {
    let line = 0
    for (const value of generateContacts(count, seed, forms)) yield { line: ++line, value }
    if (options.strict) yield { line: ++line, value: { gender: 'nope', firstname: 'X' } }
  }
  return importContacts(database, tenant, records(), { batchSize: 100, ...options })
}

const countOf = async (table: 'contact' | 'contact_tag' | 'form_data') =>
  Number(
    (
      await database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

test("'auto' rebuilds the indexes on the first load only, and puts back exactly what was there", async () => {
  const before = await structure()
  expect(before.some((d) => d.includes('contact_surname_trgm'))).toBe(true)
  const first = await load(300, 1)
  expect(first).toMatchObject({ imported: 300, indexesRebuilt: true })
  expect(await structure()).toEqual(before)
  const second = await load(50, 2)
  expect(second).toMatchObject({ imported: 50, indexesRebuilt: false })
  expect(await countOf('contact')).toBe(350)
  // the rebuilt indexes serve the data loaded before they were built
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from contact where surname_norm like '%' || 'ma' || '%'`.execute(database.db)
  const { rows: scanned } = await sql<{ n: number }>`
    select count(*)::int as n from contact where strpos(surname_norm, 'ma') > 0`.execute(database.db)
  expect(rows[0]!.n).toBe(scanned[0]!.n)
  expect(rows[0]!.n).toBeGreaterThan(0)
  // COPY fires the triggers that keep the city dictionary (migration 0010): every city is in it
  const { rows: cities } = await sql<{ missing: number; known: number }>`
    select (select count(*)::int from contact c where c.address_city_norm is not null and not exists
              (select 1 from contact_city d where d.group_id = c.group_id and d.norm = c.address_city_norm)) as missing,
           (select count(*)::int from contact_city where group_id = ${tenant.groupId}) as known`.execute(
    database.db,
  )
  expect(cities[0]).toMatchObject({ missing: 0 })
  expect(cities[0]!.known).toBeGreaterThan(5)
})

test("a failed 'rebuild' import leaves the rows, the indexes and the foreign keys as they were", async () => {
  const before = await structure()
  const counts = [await countOf('contact'), await countOf('contact_tag'), await countOf('form_data')]
  await expect(load(250, 3, { indexes: 'rebuild', strict: true })).rejects.toThrow(StrictImportError)
  expect(await structure()).toEqual(before)
  expect([await countOf('contact'), await countOf('contact_tag'), await countOf('form_data')]).toEqual(counts)
})

test("'rebuild' on a loaded table keeps the foreign keys checked: relation rows all name a contact", async () => {
  const summary = await load(120, 4, { indexes: 'rebuild' })
  expect(summary).toMatchObject({ imported: 120, indexesRebuilt: true })
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from contact_tag ct
    where not exists (select 1 from contact c where c.group_id = ct.group_id and c.id = ct.contact_id)`.execute(
    database.db,
  )
  expect(rows[0]!.n).toBe(0)
  // the restored foreign key is enforced again
  await expect(
    sql`insert into contact_tag (group_id, tag_id, contact_id)
        select group_id, id, -1 from tag where group_id = ${tenant.groupId} limit 1`.execute(database.db),
  ).rejects.toThrow(/foreign key/)
})

test.skipIf(driver !== 'pg')(
  'an index that fails to build after the commit: the rows stay, the error says so, the rest is built',
  async () => {
    const before = await structure()
    const contacts = await countOf('contact')
    await sql`insert into pending_index (name, statement)
      values ('broken', 'create index broken on contact (no_such_column)')`.execute(database.db)
    await expect(load(40, 5, { indexes: 'rebuild' })).rejects.toThrow(
      /^The 40 contacts are imported, but building their indexes failed: .*no_such_column/,
    )
    expect(await countOf('contact')).toBe(contacts + 40)
    expect(await structure()).toEqual(before)
    const { rows } = await sql<{ name: string }>`select name from pending_index`.execute(database.db)
    expect(rows).toEqual([{ name: 'broken' }])
    await sql`delete from pending_index`.execute(database.db)
  },
)
