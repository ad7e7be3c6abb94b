// Without sort_attr, contacts equal to an `eql` value (whole field, folded) come first, then id.
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest'
import { type Space, type TestApp, testApp } from '../../test/app.ts'
import { createContact } from '../../test/fixtures.ts'

let t: TestApp
let space: Space
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())
beforeEach(async () => {
  space = await t.newSpace()
})

const cond = (c: Record<string, unknown>) => ({ $all: [{ $at_least_one: [{ $condition: c }] }] })
const byMail = (mail: string) => cond({ attr: 'mail', ope: 'eql', value: mail })

async function searchIds(advanced_search: Record<string, unknown>): Promise<number[]> {
  const response = await space.request({
    method: 'POST',
    url: '/search',
    payload: { data: { advanced_search } },
  })
  expect(response.statusCode, response.body).toBe(200)
  return response.json().data.contacts.map((c: { id: number }) => c.id)
}

/** Every page of `per_page` from page 0 until a short page, concatenated. */
async function walk(advanced_search: Record<string, unknown>, perPage: number): Promise<number[]> {
  const all: number[] = []
  for (let page = 0; ; page++) {
    const ids = await searchIds({ ...advanced_search, page, per_page: perPage })
    all.push(...ids)
    if (ids.length < perPage) return all
  }
}

const idDesc = (ids: number[]) => [...ids].sort((a, b) => b - a)

/** An exact mail first, then 24 newer contacts whose mails hold the same words, and others. */
async function mailScenario() {
  const exact = (await createContact(space, { mail: 'jeanne@example.com' })).id as number
  const near: number[] = []
  for (let i = 0; i < 24; i++) {
    near.push((await createContact(space, { mail: `jeanne${i}@example.com` })).id)
    if (i % 8 === 0) await createContact(space, { mail: `paul${i}@example.org` })
  }
  return { exact, near }
}

test("a client's lookup by mail gets the exact address first on page 0 of 20", async () => {
  const { exact, near } = await mailScenario()
  const ids = await searchIds({ query: byMail('Jeanne@Example.com '), page: 0, per_page: 20 })
  expect(ids).toEqual([exact, ...idDesc(near).slice(0, 19)])
})

test('names: exact folded names first (id descending among them), then the other matches', async () => {
  const jean = (await createContact(space, { firstname: 'Jean' })).id
  const others = [(await createContact(space, { firstname: 'Jean-Pierre' })).id]
  const accented = (await createContact(space, { firstname: 'JÉAN' })).id
  others.push((await createContact(space, { firstname: 'Jeannot' })).id)
  await createContact(space, { firstname: 'Paul' })
  const ids = await searchIds({ query: cond({ attr: 'firstname', ope: 'eql', value: 'jéan' }) })
  expect(ids).toEqual([accented, jean, ...idDesc(others)])
})

test('paging across the rank boundary gives every match once, as one big page does', async () => {
  const { exact, near } = await mailScenario()
  // a second exact match among the newest contacts: the boundary falls inside a page of 2
  const newest = (await createContact(space, { mail: 'JEANNE@example.com' })).id
  const query = byMail('jeanne@example.com')
  const whole = await searchIds({ query, per_page: 1000 })
  expect(whole).toEqual([newest, exact, ...idDesc(near)])
  for (const perPage of [1, 2, 3])
    for (let round = 0; round < 2; round++) expect(await walk({ query }, perPage)).toEqual(whole)
  const ascending = await searchIds({ query, per_page: 1000, sort_asc: true })
  expect(ascending).toEqual([exact, newest, ...near])
  expect(await walk({ query, sort_asc: true }, 2)).toEqual(ascending)
})

test('with sort_attr, or without an eql condition, the order is unchanged', async () => {
  const { exact, near } = await mailScenario()
  const query = byMail('jeanne@example.com')
  expect(await searchIds({ query, sort_attr: 'id' })).toEqual(idDesc([exact, ...near]))
  // byte order of the folded mails: "jeanne0@…" < "jeanne@…", so the exact one is not first
  const mailOf = new Map([
    [exact, 'jeanne@example.com'],
    ...near.map((id, i) => [id, `jeanne${i}@example.com`] as const),
  ])
  const sortedByMail = [...mailOf.keys()].sort((a, b) => (mailOf.get(a)! < mailOf.get(b)! ? -1 : 1))
  expect(await searchIds({ query, sort_attr: 'mail', sort_asc: true })).toEqual(sortedByMail)
  const contains = cond({ attr: 'mail', ope: 'contains', value: 'jeanne@example.com' })
  expect(await searchIds({ query: contains })).toEqual(idDesc([exact]))
  expect(await searchIds({ query: cond({ attr: 'mail', ope: 'start_with', value: 'jeanne' }) })).toEqual(
    idDesc([exact, ...near]),
  )
})
