// Named prepared statements (PostgreSQL only): which statements become one, on which connection.
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { afterEach, expect, inject, test } from 'vitest'
import { driver } from '../../test/app.ts'
import { parseQuery } from '../search/parse.ts'
import { matching } from '../search/search.repository.ts'
import { type Connection, createDb } from './connect.ts'
import type { Database } from './database.ts'
import { preparing } from './prepared.ts'

const open: { destroy(): Promise<void> }[] = []
afterEach(async () => {
  for (const db of open.splice(0)) await db.destroy()
})

/** A database handle on ONE connection, so pg_prepared_statements shows what it prepared. */
async function oneConnection(preparedStatements?: boolean): Promise<Connection> {
  const conn = await createDb({
    databaseUrl: inject('databaseUrl'),
    dataDir: '',
    poolSize: 1,
    preparedStatements,
  })
  open.push(conn.db)
  return conn
}

const preparedTexts = async (db: Kysely<Database>) =>
  (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(db)).rows.map(
    (r) => r.statement,
  )

test.skipIf(driver !== 'pg')(
  'a statement is prepared once per connection and reused, with its values bound',
  async () => {
    const { db } = await oneConnection()
    const byId = (id: number) => db.selectFrom('space').select('name').where('id', '=', id).execute()
    expect(await byId(-1)).toEqual([])
    expect(await byId(-2)).toEqual([])
    const texts = await preparedTexts(db)
    expect(texts.filter((t) => t.includes('from "space" where "id" = $1'))).toHaveLength(1)
  },
)

test.skipIf(driver !== 'pg')(
  'search statements are never prepared; nothing is with preparedStatements off',
  async () => {
    const { db } = await oneConnection()
    const tenant = { groupId: -1, apiKeyId: 0 }
    const root = parseQuery(
      { $all: [{ $all: [{ $condition: { attr: 'address.city', ope: 'eql', value: 'Lyon' } }] }] },
      { now: new Date(), formTypes: new Map() },
    )
    expect(await matching(db, tenant, root).select('contact.id').execute()).toEqual([])
    expect((await preparedTexts(db)).filter((t) => t.includes('address_city_norm'))).toEqual([])

    const off = await oneConnection(false)
    await off.db.selectFrom('space').select('name').where('id', '=', -1).execute()
    expect(await preparedTexts(off.db)).toEqual([])
  },
)

test.skipIf(driver !== 'pg')('past the cap, new statements run unnamed and still answer', async () => {
  const client = new pg.Client({ connectionString: inject('databaseUrl') })
  await client.connect()
  Object.assign(client, { release: () => {} })
  const pool = {
    connect: async () => preparing(client as pg.PoolClient, 2),
    end: () => client.end(),
    options: {},
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: pool as never }) })
  open.push(db)
  for (const n of [1, 2, 3, 4]) {
    const { rows } = await sql<{ n: number }>`select ${n}::int + ${sql.raw(String(n))} as n`.execute(db)
    expect(rows[0]!.n).toBe(2 * n)
  }
  // the check itself is the 5th distinct text: unnamed too
  expect(await preparedTexts(db)).toHaveLength(2)
})
