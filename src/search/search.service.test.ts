import type { Kysely } from 'kysely'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { recordingDb, type Space, type TestApp, testApp } from '../../test/app.ts'
import { createContact } from '../../test/fixtures.ts'
import type { Database } from '../db/database.ts'
import { matching } from './search.repository.ts'
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

test('city tests through the dictionary find exactly what the tests on the contact row find', async () => {
  const cities = [
    'Saint-Jean-d’Angély',
    "L'Haÿ-les-Roses",
    'LYON 3E',
    'Lyonnais',
    '  ',
    '',
    'Aix…Provence',
    'Œuilly',
    'São Paulo',
    'Ancienne-Ville',
  ]
  const ids = []
  for (const city of cities) ids.push((await createContact(space, { surname: 'W', address: { city } })).id)
  await createContact(space, { surname: 'W' })
  // an update brings its new city into the dictionary (the update trigger)
  const moved = await space.request({
    method: 'PATCH',
    url: `/contacts/${ids.at(-1)}`,
    payload: { data: { contact: { surname: 'W', address: { city: 'Nouvelle-Ville' } } } },
  })
  expect(moved.statusCode, moved.body).toBe(200)
  // another space's cities are not this space's
  const other = await t.newSpace()
  await createContact(other, { surname: 'W', address: { city: 'Zzyzx' } })

  const values = ['lyon', 'Saint Angely', 'hay roses', 'oeuilly', 'sao', 'aix provence', 'nouvelle', 'zzyzx']
  const cases: Record<string, unknown>[] = [
    ...values.map((value) => ({ ope: 'eql', value })),
    ...values.map((value) => ({ ope: 'not_eql', value })),
    ...['ly', 'LYON 3', 'ville', '-les-', "d'", '’', '%', '_', 'ÿ', 'zzyzx'].flatMap((value) =>
      ['contains', 'not_contains', 'start_with', 'not_start_with', 'gte', 'lte'].map((ope) => ({
        ope,
        value,
      })),
    ),
    { ope: 'any_of', value: ['lyon 3e', 'Œuilly', 'nope'] },
    { ope: 'none_of', value: ['lyon 3e', 'Œuilly'] },
    { ope: 'all_of', value: ['lyon 3e', 'LYON 3E'] },
    { ope: 'range', from: 'b', to: 'M' },
  ]
  let matched = 0
  for (const { ope, ...operand } of cases) {
    const value = JSON.stringify(operand)
    const query = { $all: [{ $all: [{ $condition: { attr: 'address.city', ope, ...operand } }] }] }
    const resolved = await searches.parseQueryOf(t.conn.db, space.tenant, query)
    const condition = resolved.children[0]!.children[0]!
    expect(condition.norms, value).toBeDefined()
    // the same condition without its looked-up cities compiles to the tests on the contact row
    const unresolved = {
      ...resolved,
      children: [{ ...resolved.children[0]!, children: [{ ...condition, norms: undefined }] }],
    }
    const idsOf = async (root: typeof resolved) =>
      (
        await matching(t.conn.db, space.tenant, root).select('contact.id').orderBy('contact.id').execute()
      ).map((r) => r.id)
    const expected = await idsOf(unresolved)
    expect(await idsOf(resolved), `${ope} ${value}`).toEqual(expected)
    if (ope === 'eql') expect(expected.length > 0, value).toBe(!value.includes('zzyzx'))
    matched += expected.length
  }
  expect(matched).toBeGreaterThan(cases.length)
})

test('a gender test over its vocabulary finds exactly what the test on each contact finds', async () => {
  const gendered = await t.newSpace()
  const ids = []
  for (const gender of ['F', 'M', 'O', null, 'F'])
    ids.push((await createContact(gendered, { surname: 'G', gender })).id)
  const cases: Record<string, unknown>[] = [
    ...['F', 'f', ' m ', 'O', 'fe', 'F M', 'f-m', 'É', 'Femme', 'x', '', '  '].flatMap((value) =>
      ['eql', 'not_eql', 'contains', 'not_contains', 'start_with', 'gte', 'lte'].map((ope) => ({
        ope,
        value,
      })),
    ),
    { ope: 'any_of', value: ['f', 'o'] },
    { ope: 'none_of', value: ['f', 'o'] },
    { ope: 'all_of', value: ['f', 'F'] },
    { ope: 'eql:strictdata', value: 'F' },
    { ope: 'ext' },
    { ope: 'not_ext' },
    { ope: 'range', from: 'G', to: 'N' },
  ]
  const idsOf = async (root: Awaited<ReturnType<typeof searches.parseQueryOf>>) =>
    (
      await matching(t.conn.db, gendered.tenant, root).select('contact.id').orderBy('contact.id').execute()
    ).map((r) => r.id)
  let found = 0
  for (const c of cases) {
    const query = { $all: [{ $all: [{ $condition: { attr: 'gender', ...c } }] }] }
    const parsed = await searches.parseQueryOf(t.conn.db, gendered.tenant, query)
    const condition = parsed.children[0]!.children[0]!
    expect(condition.attr.kind === 'column' && condition.attr.vocabulary).toEqual(['F', 'M', 'O'])
    // the same condition on an attribute without a vocabulary: the test runs on each contact
    const perContact = {
      ...parsed,
      children: [
        {
          ...parsed.children[0]!,
          children: [{ ...condition, attr: { ...condition.attr, vocabulary: undefined } }],
        },
      ],
    }
    const expected = await idsOf(perContact)
    expect(await idsOf(parsed), JSON.stringify(c)).toEqual(expected)
    found += expected.length
  }
  expect(found).toBeGreaterThan(0)
  // the women, as a user asks for them
  const women = await searches.search(t.conn.db, gendered.tenant, {
    query: { $all: [{ $all: [{ $condition: { attr: 'gender', ope: 'eql', value: 'f' } }] }] },
  })
  expect(women.map((c) => c.id).sort((a, b) => a - b)).toEqual([ids[0], ids[4]])
})
