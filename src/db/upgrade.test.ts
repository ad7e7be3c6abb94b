// Upgrading a database that already holds contacts: a migration that derives data from them must
// derive it from what is there, on both engines.
import { sql } from 'kysely'
import { Migrator } from 'kysely/migration'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { freshDatabase } from '../../bench/setup.ts'
import { driver } from '../../test/app.ts'
import { type Connection, createDb } from './connect.ts'
import { migrateToLatest } from './migrate.ts'
import { migrations } from './migrations/index.ts'

let fresh: Awaited<ReturnType<typeof freshDatabase>>
let conn: Connection

beforeAll(async () => {
  fresh = await freshDatabase(driver)
  conn = await createDb({
    databaseUrl: fresh.env.DATABASE_URL,
    dataDir: fresh.env.DATA_DIR ?? '',
    poolSize: 1,
  })
})
afterAll(async () => {
  await conn?.db.destroy()
  await fresh?.drop()
})

test('migration 0010 fills the city dictionary from the contacts already there', async () => {
  const migrator = new Migrator({ db: conn.db, provider: { getMigrations: async () => migrations } })
  const before = await migrator.migrateTo('0009_form_data_covering')
  expect(before.error).toBeUndefined()
  const { rows } = await sql<{
    id: number
  }>`insert into space (name) values ('Upgrade') returning id`.execute(conn.db)
  const space = Number(rows[0]!.id)
  for (const city of ['Lyon 3e', 'LYON 3E', 'Saint-Étienne', null, 'Nantes'])
    await sql`insert into contact (group_id, surname, address_city) values (${space}, 'U', ${city})`.execute(
      conn.db,
    )

  expect(await migrateToLatest(conn.db)).toContain('0010_city_dictionary')
  const { rows: cities } = await sql<{ norm: string; words: string }>`
    select norm, words::text as words from contact_city where group_id = ${space} order by norm`.execute(
    conn.db,
  )
  expect(cities).toEqual([
    { norm: 'lyon 3e', words: "'3e' 'lyon'" },
    { norm: 'nantes', words: "'nantes'" },
    { norm: 'saint-etienne', words: "'etienne' 'saint'" },
  ])
  const { rows: columns } = await sql<{ n: number }>`
    select count(*)::int as n from information_schema.columns
    where table_name = 'contact' and column_name = 'address_city_words'`.execute(conn.db)
  expect(columns[0]!.n).toBe(0)
})
