import { type Kysely, sql } from 'kysely'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { recordingDb, type Space, type TestApp, testApp } from '../../test/app.ts'
import { createContact } from '../../test/fixtures.ts'
import type { Database } from '../db/database.ts'
import * as searches from './search.service.ts'

let t: TestApp
let space: Space
let queries = 0
let counted: Kysely<Database>
beforeAll(async () => {
  t = await testApp()
  space = await t.newSpace()
  // the same database, through a Kysely that counts the statements it runs
  counted = recordingDb(t.conn, () => queries++)
})
afterAll(() => t.close())

const contactWithEverything = () =>
  createContact(space, {
    tags: [{ name: 'a' }, { name: 'b' }],
    action_ids: [1],
    notes: [{ content: 'n1' }, { content: 'n2' }],
    address: { city: 'Paris' },
  })

test('a page costs a fixed number of queries, whatever the number of contacts on it', async () => {
  const run = async () => {
    queries = 0
    const contacts = await searches.search(counted, space.tenant, { include_interactions: true })
    return { contacts: contacts.length, queries }
  }
  await contactWithEverything()
  const one = await run()
  for (let i = 0; i < 12; i++) await contactWithEverything()
  const many = await run()
  expect(one.contacts).toBe(1)
  expect(many.contacts).toBe(13)
  expect(many.queries).toBe(one.queries)
  expect(one.queries).toBeLessThanOrEqual(7) // page, tags, actions, answers, notes, interactions, files
})

test('matchingBatches walks every matching contact in id order, in batches', async () => {
  const query = await searches.parseQueryOf(t.conn.db, space.tenant, {
    $all: [{ $all: [{ $condition: { attr: 'address.city', ope: 'eql', value: 'paris' } }] }],
  })
  const batches = []
  for await (const rows of searches.matchingBatches(t.conn.db, space.tenant, query, 5))
    batches.push(rows.map((r) => r.id))
  expect(batches.map((b) => b.length)).toEqual([5, 5, 3])
  const all = batches.flat()
  expect(all).toEqual([...all].sort((a, b) => a - b))
  const viaSearch = await searches.search(t.conn.db, space.tenant, {
    query: { $all: [{ $all: [{ $condition: { attr: 'address.city', ope: 'eql', value: 'paris' } }] }] },
  })
  expect(all).toEqual(viaSearch.map((c) => c.id).sort((a, b) => a - b))
})

test('the stored city words (migration 0008) are exactly the word expression eql used before', async () => {
  const cities = [
    'Saint-Jean-d’Angély',
    "L'Haÿ-les-Roses",
    'LYON 3E',
    '  ',
    '',
    'Aix…Provence',
    'Œuilly',
    'São Paulo',
  ]
  for (const city of cities) await createContact(space, { surname: 'W', address: { city } })
  await createContact(space, { surname: 'W' })
  const { rows } = await sql<{ n: number; total: number }>`
    select count(*) filter (where address_city_words is distinct from strip(to_tsvector('simple'::regconfig,
             regexp_replace(address_city_norm, '[[:space:][:punct:]]+', ' ', 'g')))) as n,
           count(*) as total
    from contact where group_id = ${space.groupId}`.execute(t.conn.db)
  expect(Number(rows[0]!.total)).toBeGreaterThanOrEqual(cities.length + 1)
  expect(Number(rows[0]!.n)).toBe(0)
})
