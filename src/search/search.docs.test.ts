// Runs every `search-example` of docs/search.md against the doc's fixture contacts, through
// POST /search and POST /kpi: the documentation cannot drift from the behaviour.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type Space, type TestApp, testApp } from '../../test/app.ts'

const doc = readFileSync(new URL('../../docs/search.md', import.meta.url), 'utf8')
const blocks = (tag: string) =>
  [...doc.matchAll(new RegExp(`\`\`\`json ${tag}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => JSON.parse(m[1]!))

interface Example {
  advanced_search: Record<string, unknown>
  expect: string[]
  ordered?: boolean
}
const fixture = blocks('search-fixture')[0] as Record<string, unknown>[]
const examples = blocks('search-example') as Example[]

let t: TestApp
let space: Space
const names = new Map<number, string>()

beforeAll(async () => {
  t = await testApp()
  space = await t.newSpace()
  for (const contact of fixture) {
    const response = await space.request({ method: 'POST', url: '/contacts', payload: { data: { contact } } })
    expect(response.statusCode, response.body).toBe(200)
    names.set(response.json().data.contact.id, contact.firstname as string)
  }
  // another space's contacts must never show up
  const other = await t.newSpace()
  for (const contact of fixture)
    await other.request({ method: 'POST', url: '/contacts', payload: { data: { contact } } })
})
afterAll(() => t.close())

describe('docs/search.md examples', () => {
  test('the doc has a fixture and examples', () => {
    expect(fixture.length).toBe(5)
    expect(examples.length).toBeGreaterThan(20)
  })

  test.each(examples.map((e, i) => [i, JSON.stringify(e.advanced_search).slice(0, 140), e] as const))(
    'example %i: %s',
    async (_i, _title, example) => {
      const payload = { data: { advanced_search: example.advanced_search } }
      const response = await space.request({ method: 'POST', url: '/search', payload })
      expect(response.statusCode, response.body).toBe(200)
      const got = response.json().data.contacts.map((c: { id: number }) => names.get(c.id))
      if (example.ordered) expect(got).toEqual(example.expect)
      else expect([...got].sort()).toEqual([...example.expect].sort())
      if (example.advanced_search.page === undefined) {
        const kpi = await space.request({ method: 'POST', url: '/kpi', payload })
        expect(kpi.statusCode, kpi.body).toBe(200)
        expect(kpi.json()).toEqual({ status: 'success', data: { total: example.expect.length } })
      }
    },
  )
})
