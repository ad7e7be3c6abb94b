import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { type Space, type TestApp, testApp } from '../../test/app.ts'
import { tempDir } from '../../test/tmp.ts'
import { ensureForms, generateContacts } from './generate.ts'
import { importContacts, readRecords } from './import.ts'

let t: TestApp
let space: Space
const dir = tempDir('carnet-export-')
const COUNT = 2500 // more than two batches of 1000

beforeAll(async () => {
  t = await testApp()
  space = await t.newSpace()
  const forms = await ensureForms(t.conn.db, space.tenant)
  async function* records() {
    let line = 0
    for (const value of generateContacts(COUNT, 3, forms)) yield { line: ++line, value }
  }
  await importContacts(t.conn, space.tenant, records(), { indexes: 'keep' })
})
afterAll(() => t.close())

const exportOf = (query?: unknown, format = 'ndjson') =>
  space.request({
    method: 'POST',
    url: `/contacts/export?format=${format}`,
    payload: { data: { advanced_search: { query } } },
  })

const paris = { $all: [{ $all: [{ $condition: { attr: 'address.city', ope: 'eql', value: 'Paris' } }] }] }

test('NDJSON: every contact once, in id order, each exactly as GET /contacts/{id} gives it', async () => {
  const response = await exportOf()
  expect(response.statusCode).toBe(200)
  expect(response.headers['content-type']).toMatch(/application\/x-ndjson/)
  const contacts = response.body
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line))
  expect(contacts).toHaveLength(COUNT)
  const ids = contacts.map((c) => c.id)
  expect(ids).toEqual([...ids].sort((a, b) => a - b))
  for (const c of [contacts[0], contacts[1234], contacts.at(-1)]) {
    const got = await space.request({ method: 'GET', url: `/contacts/${c.id}` })
    expect(c).toEqual(got.json().data.contact)
  }
})

test('a search query filters the export like /kpi counts it; a bad query is a 422 with its path', async () => {
  const kpi = await space.request({
    method: 'POST',
    url: '/kpi',
    payload: { data: { advanced_search: { query: paris } } },
  })
  const lines = (await exportOf(paris)).body
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line))
  expect(lines.length).toBe(kpi.json().data.total)
  expect(lines.length).toBeGreaterThan(0)
  expect(lines.every((c) => c.address.city === 'Paris')).toBe(true)
  const bad = await exportOf({ $all: [{ $all: [{ $condition: { attr: 'town', ope: 'eql', value: 'x' } }] }] })
  expect(bad.statusCode).toBe(422)
  expect(JSON.stringify(bad.json().errors)).toMatch(/town/)
})

test('CSV: a header then one row per contact; it imports back into another space unchanged', async () => {
  const response = await exportOf(paris, 'csv')
  expect(response.headers['content-type']).toMatch(/text\/csv/)
  const path = join(dir, 'paris.csv')
  writeFileSync(path, response.body)
  const other = await t.newSpace()
  const rejected: unknown[] = []
  const summary = await importContacts(t.conn, other.tenant, readRecords(path, 'csv'), {
    indexes: 'keep',
    onReject: (r) => rejected.push(r),
  })
  const original = (await exportOf(paris)).body
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line))
  // answers name forms of the first space, so those rows are rejected; the rest come back as they were
  const withAnswers = original.filter((c) => c.formdatas.length > 0 || c.customfields.length > 0)
  expect(summary.imported + summary.rejected).toBe(original.length)
  expect(summary.rejected).toBe(withAnswers.length)
  const copied = (
    await other.request({ method: 'POST', url: '/contacts/export', payload: { format: 'ndjson' } })
  ).body
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line))
  const strip = (c: Record<string, any>) => ({
    names: [c.firstname, c.surname, c.mail, c.mobile, c.birthdate],
    address: { ...c.address, id: undefined },
    tags: c.tags.map((tag: { name: string }) => tag.name),
    notes: c.notes.map((n: { content: string }) => n.content),
  })
  const kept = original.filter((c) => !withAnswers.includes(c))
  expect(copied.map(strip)).toEqual(kept.map(strip))
})
