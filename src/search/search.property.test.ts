// Random contacts, random queries: the server's answer (POST /search and /kpi) must equal the
// in-memory evaluator of test/search-evaluator.ts, written from docs/search.md, not from compile.ts.
// Then paging: for a random query and sort, concatenated pages equal the unpaged result.
import fc from 'fast-check'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { type Space, type TestApp, testApp } from '../../test/app.ts'
import {
  type Cond,
  type ModelContact,
  matches,
  type Query,
  SORTABLE,
  sorted,
  TYPES,
} from '../../test/search-evaluator.ts'
import { countSet } from './compile.ts'
import * as repo from './search.repository.ts'
import { parseSearch } from './search.service.ts'

const FIRSTNAMES = [null, 'Jean', 'Jeanne', 'Jean-Pierre', 'Élodie', 'elodie', 'Zoé', 'Marc', 'Anne-Laure']
const SURNAMES = [null, 'Martin', 'MARTINEZ', "O'Neil", 'de la Tour', 'Lefèvre', 'Dupont', 'Saint-Just']
const MAILS = [null, 'jean@example.com', 'jp.martin@example.org', 'zoe_o@mail.fr', 'Anne.Laure@Example.com']
const CITIES = [null, 'Paris', 'Lyon', 'Saint-Étienne', 'Testville', 'paris']
const POSTALCODES = [null, '75001', '69002', '42000', '06000']
const BIRTHDATES = [null, '1955-07-06', '1980-05-17', '1980-05-18', '2000-01-01']
const TAGS = ['volunteer', 'donor', 'Donor', 'élu', 'elu-local', 'VIP']
const NOTES = ['Call back', 'yard sign', 'Élections 2024', 'no answer']

const TEXT_VALUES = [
  ...[...FIRSTNAMES, ...SURNAMES, ...MAILS, ...CITIES, ...POSTALCODES, ...TAGS, ...NOTES].filter(
    (v): v is string => v !== null,
  ),
  'jean',
  'JEAN-PIERRE',
  'pierre',
  'mart',
  'élo',
  'zoe',
  "o'neil",
  'neil',
  'la',
  'de la',
  'x',
  'saint',
  'étienne',
  '750',
  '69',
  'example',
  '@',
  '.com',
  '%',
  '_',
  'e',
  'ELU',
  'call',
]
const DATE_VALUES = [
  ...BIRTHDATES.filter((v) => v !== null),
  '1980-05-17T00:00:00Z',
  '1980-05-17T12:00:00Z',
  '1970-01-01',
]

const contactArb = fc.record({
  firstname: fc.constantFrom(...FIRSTNAMES),
  surname: fc.constantFrom(...SURNAMES),
  mail: fc.constantFrom(...MAILS),
  city: fc.constantFrom(...CITIES),
  postalcode: fc.constantFrom(...POSTALCODES),
  birthdate: fc.constantFrom(...BIRTHDATES),
  age_category: fc.integer({ min: 0, max: 4 }),
  black_list: fc.boolean(),
  tags: fc.subarray(TAGS),
  actions: fc.subarray([1, 2, 3]),
  notes: fc.subarray(NOTES),
})

const EQUALITY = ['eql', 'not_eql', 'eql:strictdata', 'not_eql:strictdata', 'ext', 'not_ext']
const TEXT_ONLY = ['contains', 'not_contains', 'start_with', 'not_start_with']
const ORDERED = ['gte', 'lte', 'range']
const LISTS = ['any_of', 'none_of', 'all_of']
const LIST_ATTRS = new Set(['tags', 'notes', 'action_ids'])
const OPES: Record<string, string[]> = {
  text: [...EQUALITY, ...TEXT_ONLY, ...ORDERED, ...LISTS],
  number: [...EQUALITY, ...ORDERED, ...LISTS],
  boolean: EQUALITY,
  date: [...EQUALITY, ...ORDERED],
}

function valueArb(type: string) {
  if (type === 'number') return fc.integer({ min: 0, max: 4 }).map(String)
  if (type === 'boolean') return fc.constantFrom('true', 'false')
  if (type === 'date') return fc.constantFrom(...DATE_VALUES)
  return fc.constantFrom(...TEXT_VALUES)
}

const conditionArb: fc.Arbitrary<Cond> = fc.constantFrom(...Object.keys(TYPES)).chain((attr) => {
  const type = TYPES[attr]!
  const opes = OPES[type]!.filter((o) => !(LIST_ATTRS.has(attr) && ORDERED.includes(o)))
  return fc.constantFrom(...opes).chain((ope): fc.Arbitrary<Cond> => {
    if (ope === 'ext' || ope === 'not_ext') return fc.constant({ attr, ope })
    if (ope === 'range')
      return fc.tuple(valueArb(type), valueArb(type)).map(([from, to]) => ({ attr, ope, from, to }))
    if (LISTS.includes(ope))
      return fc.array(valueArb(type), { minLength: 1, maxLength: 3 }).map((value) => ({ attr, ope, value }))
    return valueArb(type).map((value) => ({ attr, ope, value }))
  })
})

const groupArb = fc
  .tuple(fc.constantFrom('$all', '$at_least_one'), fc.array(conditionArb, { maxLength: 3 }))
  .map(([key, conditions]) => ({ [key]: conditions.map(($condition) => ({ $condition })) }))
const queryArb: fc.Arbitrary<Query> = fc
  .tuple(fc.constantFrom('$all', '$at_least_one'), fc.array(groupArb, { maxLength: 3 }))
  .map(([key, groups]) => ({ [key]: groups }) as Query)

let t: TestApp
let space: Space
const model: ModelContact[] = []

beforeAll(async () => {
  t = await testApp()
  space = await t.newSpace()
  for (const c of fc.sample(contactArb, 40)) {
    const contact = {
      firstname: c.firstname,
      surname: c.surname,
      mail: c.mail,
      phone: '01 02 03 04 05',
      birthdate: c.birthdate,
      age_category: c.age_category,
      black_list: c.black_list,
      address: { city: c.city, postalcode: c.postalcode },
      tags: c.tags.map((name) => ({ name })),
      action_ids: c.actions,
      notes: c.notes.map((content) => ({ content })),
    }
    const response = await space.request({ method: 'POST', url: '/contacts', payload: { data: { contact } } })
    expect(response.statusCode, response.body).toBe(200)
    model.push({ ...c, id: response.json().data.contact.id })
  }
})
afterAll(() => t.close())

const post = (url: string, advanced_search: object) =>
  space.request({ method: 'POST', url, payload: { data: { advanced_search } } })

test('POST /search and /kpi agree with the in-memory evaluator', async () => {
  let discriminating = 0
  await fc.assert(
    fc.asyncProperty(queryArb, async (query) => {
      const expected = model
        .filter((c) => matches(c, query))
        .map((c) => c.id)
        .sort((a, b) => a - b)
      const response = await post('/search', { query })
      expect(response.statusCode, response.body).toBe(200)
      const got = response
        .json()
        .data.contacts.map((c: { id: number }) => c.id)
        .sort((a: number, b: number) => a - b)
      expect(got).toEqual(expected)
      const kpi = await post('/kpi', { query })
      expect(kpi.json().data.total).toBe(expected.length)
      if (expected.length > 0 && expected.length < model.length) discriminating++
    }),
    { numRuns: 150 },
  )
  // the queries must tell contacts apart, or the comparison proves little
  expect(discriminating).toBeGreaterThan(10)
})

test('every single condition agrees with the evaluator (NULL rules included)', async () => {
  await fc.assert(
    fc.asyncProperty(conditionArb, async (condition) => {
      const query = { $all: [{ $all: [{ $condition: condition }] }] }
      const expected = model
        .filter((c) => matches(c, query))
        .map((c) => c.id)
        .sort((a, b) => a - b)
      const response = await post('/search', { query })
      expect(response.statusCode, response.body).toBe(200)
      const got = response
        .json()
        .data.contacts.map((c: { id: number }) => c.id)
        .sort((a: number, b: number) => a - b)
      expect(got).toEqual(expected)
    }),
    { numRuns: 300 },
  )
})

// /kpi of a query made only of positive relation tests counts a set of contact ids, intersected
// and united (compile.ts, countSet): random trees over tags, notes and actions, with a negated
// test now and then, so that most take that path and some the usual one.
test('/kpi of relation-only queries agrees with the evaluator, as a set or not', async () => {
  const POSITIVE = new Set(['eql', 'eql:strictdata', 'ext', 'contains', 'start_with', 'any_of', 'all_of'])
  const NEGATED = new Set(['not_eql', 'none_of', 'not_ext'])
  const relation = (opes: Set<string>) =>
    conditionArb.filter((c) => LIST_ATTRS.has(c.attr) && opes.has(c.ope))
  const relationArb = fc.oneof(
    { arbitrary: relation(POSITIVE), weight: 9 },
    { arbitrary: relation(NEGATED), weight: 1 },
  )
  const groups = fc
    .tuple(fc.constantFrom('$all', '$at_least_one'), fc.array(relationArb, { minLength: 1, maxLength: 3 }))
    .map(([key, conditions]) => ({ [key]: conditions.map(($condition) => ({ $condition })) }))
  const queries = fc
    .tuple(fc.constantFrom('$all', '$at_least_one'), fc.array(groups, { minLength: 1, maxLength: 2 }))
    .map(([key, children]) => ({ [key]: children }) as Query)
  let viaSets = 0
  await fc.assert(
    fc.asyncProperty(queries, async (query) => {
      const expected = model.filter((c) => matches(c, query)).length
      const kpi = await post('/kpi', { query })
      expect(kpi.json().data.total).toBe(expected)
      const parsed = await parseSearch(t.conn.db, space.tenant, { query })
      if (countSet(parsed.query, space.groupId)) viaSets++
    }),
    { numRuns: 120 },
  )
  expect(viaSets).toBeGreaterThan(40)
})

// /kpi of an OR with relation tests in its branches counts each branch on its own and unites
// them (compile.ts, countSet): random ORs mixing column and relation tests, negated or not.
test('/kpi of an OR mixing column and relation tests agrees with the evaluator, counted by branch', async () => {
  const relationArb = conditionArb.filter((c) => LIST_ATTRS.has(c.attr))
  const mixedArb = fc.oneof({ arbitrary: relationArb, weight: 1 }, { arbitrary: conditionArb, weight: 2 })
  const groups = fc
    .tuple(fc.constantFrom('$all', '$at_least_one'), fc.array(mixedArb, { minLength: 1, maxLength: 3 }))
    .map(([key, conditions]) => ({ [key]: conditions.map(($condition) => ({ $condition })) }))
  const queries = fc
    .array(groups, { minLength: 1, maxLength: 3 })
    .map((children) => ({ $at_least_one: children }) as Query)
  let byBranch = 0
  await fc.assert(
    fc.asyncProperty(queries, async (query) => {
      const expected = model.filter((c) => matches(c, query)).length
      const kpi = await post('/kpi', { query })
      expect(kpi.statusCode, kpi.body).toBe(200)
      expect(kpi.json().data.total).toBe(expected)
      const parsed = await parseSearch(t.conn.db, space.tenant, { query })
      const conditions = parsed.query.children.flatMap((g) => g.children)
      const mixed = conditions.some((c) => c.attr.kind === 'column')
      if (mixed && countSet(parsed.query, space.groupId)) byBranch++
    }),
    { numRuns: 150 },
  )
  expect(byBranch).toBeGreaterThan(40)
})

test('pages: concatenated, they equal the unpaged, sorted result, without overlap', async () => {
  await fc.assert(
    fc.asyncProperty(
      queryArb,
      fc.constantFrom(...SORTABLE),
      fc.boolean(),
      fc.integer({ min: 1, max: 7 }),
      async (query, sortAttr, ascending, perPage) => {
        const order = { sort_attr: sortAttr, sort_asc: ascending }
        const expected = sorted(
          model.filter((c) => matches(c, query)),
          sortAttr,
          ascending,
        ).map((c) => c.id)
        const whole = (await post('/search', { query, ...order })).json().data.contacts.map((c: any) => c.id)
        expect(whole).toEqual(expected)
        const pages: number[] = []
        for (let page = 0; page < 200; page++) {
          const response = await post('/search', { query, ...order, page, per_page: perPage })
          const ids = response.json().data.contacts.map((c: any) => c.id)
          pages.push(...ids)
          if (ids.length < perPage) break
        }
        expect(new Set(pages).size).toBe(pages.length)
        expect(pages).toEqual(whole)
      },
    ),
    { numRuns: 40 },
  )
})

test('keyset seek (page n+1 after the last row of page n) gives the same pages as OFFSET', async () => {
  const sorts = [...SORTABLE, 'gender', 'married_name', 'lastchange', 'CreatedAt', 'UpdatedAt']
  await fc.assert(
    fc.asyncProperty(
      queryArb,
      fc.constantFrom(...sorts),
      fc.boolean(),
      fc.integer({ min: 1, max: 6 }),
      async (query, sortAttr, ascending, perPage) => {
        const input = { query, sort_attr: sortAttr, sort_asc: ascending, per_page: perPage }
        let last: { key: string | number | null; id: number } | undefined
        for (let page = 0; page < 200; page++) {
          const search = await parseSearch(t.conn.db, space.tenant, { ...input, page })
          const byOffset = await repo.page(t.conn.db, space.tenant, search)
          const bySeek = await repo.page(t.conn.db, space.tenant, search, last)
          expect(bySeek.map((r) => r.id)).toEqual(byOffset.map((r) => r.id))
          if (byOffset.length < perPage) break
          const end = byOffset.at(-1)!
          last = { key: end.sort_key, id: end.id }
        }
      },
    ),
    { numRuns: 40 },
  )
})
