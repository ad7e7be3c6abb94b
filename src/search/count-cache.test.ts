// /kpi answers from memory only while the database is unchanged (count-cache.ts): every write,
// through the API or not, in this process or another, shows in the next count.
import { sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest'
import { driver, recordingDb, type Space, type TestApp, testApp } from '../../test/app.ts'
import { createContact } from '../../test/fixtures.ts'
import { CountCache } from './count-cache.ts'
import * as searches from './search.service.ts'

let t: TestApp
let space: Space
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())
beforeEach(async () => {
  space = await t.newSpace()
})

const inLyon = { $all: [{ $all: [{ $condition: { attr: 'address.city', ope: 'eql', value: 'Lyon' } }] }] }
const lyon = { address: { city: 'Lyon' } }

async function kpi(who = space): Promise<number> {
  const response = await who.request({
    method: 'POST',
    url: '/kpi',
    payload: { data: { advanced_search: { query: inLyon } } },
  })
  expect(response.statusCode, response.body).toBe(200)
  return response.json().data.total
}

test('the server keeps counts (COUNT_CACHE is on unless turned off)', async () => {
  expect(t.app.counts).toBeInstanceOf(CountCache)
  const off = await testApp({ countCache: false })
  try {
    expect(off.app.counts).toBeNull()
  } finally {
    await off.close()
  }
})

test('a repeated count follows every write of the API: create, replace, delete', async () => {
  const first = await createContact(space, lyon)
  await createContact(space, lyon)
  expect(await kpi()).toBe(2)
  expect(await kpi()).toBe(2)
  await createContact(space, lyon)
  expect(await kpi()).toBe(3)
  const moved = await space.request({
    method: 'PATCH',
    url: `/contacts/${first.id}`,
    payload: { data: { contact: { firstname: 'Jeanne', address: { city: 'Paris' } } } },
  })
  expect(moved.statusCode, moved.body).toBe(200)
  expect(await kpi()).toBe(2)
  const second = (await createContact(space, lyon)).id
  expect(await kpi()).toBe(3)
  expect((await space.request({ method: 'DELETE', url: `/contacts/${second}` })).statusCode).toBe(200)
  expect(await kpi()).toBe(2)
})

test('a write that does not go through the server (plain SQL) shows in the next count', async () => {
  await createContact(space, lyon)
  await createContact(space, lyon)
  expect(await kpi()).toBe(2)
  expect(await kpi()).toBe(2)
  await sql`update contact set address_city = 'Paris' where group_id = ${space.groupId} and id = (
      select min(id) from contact where group_id = ${space.groupId})`.execute(t.conn.db)
  expect(await kpi()).toBe(1)
})

test('spaces never share a count', async () => {
  const other = await t.newSpace('Other')
  await createContact(space, lyon)
  await createContact(other, lyon)
  await createContact(other, lyon)
  expect(await kpi()).toBe(1)
  expect(await kpi(other)).toBe(2)
  expect(await kpi()).toBe(1)
})

test.skipIf(driver !== 'pg')(
  'a transaction still running during a count is counted once it commits',
  async () => {
    await createContact(space, lyon)
    const client = await t.conn.pool!.connect()
    try {
      await client.query('begin')
      await client.query(`update contact set address_city = 'Paris' where group_id = $1`, [space.groupId])
      expect(await kpi()).toBe(1) // not committed yet: its transaction is in the snapshot, running
      expect(await kpi()).toBe(1)
      await client.query('commit')
    } finally {
      client.release()
    }
    expect(await kpi()).toBe(0)
  },
)

// Only on PGlite: on the shared PostgreSQL server, the other test files write all the time, so
// the snapshot moves between two counts and the second one counts again (as it must).
test.skipIf(driver === 'pg')('an unchanged database answers a repeated count without counting', async () => {
  await createContact(space, lyon)
  const statements: string[] = []
  const db = recordingDb(t.conn, (text) => statements.push(text))
  const counts = new CountCache()
  expect(await searches.kpi(db, space.tenant, inLyon, counts)).toBe(1)
  const counting = (text: string) => /count\(\*\)/.test(text)
  expect(statements.filter(counting)).toHaveLength(1)
  statements.length = 0
  expect(await searches.kpi(db, space.tenant, inLyon, counts)).toBe(1)
  expect(statements.filter(counting)).toHaveLength(0)
  expect(statements.filter((text) => text.includes('pg_current_snapshot'))).toHaveLength(1)
  // without the cache, it counts every time
  statements.length = 0
  expect(await searches.kpi(db, space.tenant, inLyon)).toBe(1)
  expect(statements.filter(counting)).toHaveLength(1)
})
