import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { type Space, type TestApp, testApp } from '../../test/app.ts'
import { tempDir } from '../../test/tmp.ts'
import { ensureForms, generateContacts } from './generate.ts'
import { importContacts, readRecords, StrictImportError } from './import.ts'
import type { Rejected } from './rows.ts'

let t: TestApp
const dir = tempDir('carnet-import-')

beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

function file(name: string, lines: string[]): string {
  const path = join(dir, name)
  writeFileSync(path, `${lines.join('\n')}\n`)
  return path
}

async function run(
  space: Space,
  path: string,
  format: 'ndjson' | 'csv',
  options: { strict?: boolean; batchSize?: number } = {},
) {
  const rejected: Rejected[] = []
  // 'keep': with DB_DRIVER=pg, test files share one database; rebuild.test.ts covers 'rebuild'
  const summary = await importContacts(t.conn, space.tenant, readRecords(path, format), {
    indexes: 'keep',
    ...options,
    onReject: (r) => rejected.push(r),
  })
  return { summary, rejected }
}

const search = async (space: Space, query?: unknown) =>
  (
    await space.request({
      method: 'POST',
      url: '/search',
      payload: { data: { advanced_search: { query, per_page: 1000 } } },
    })
  ).json().data.contacts as Record<string, any>[]

test('generated contacts import with their tags, answers, notes and interactions, as the API reads them', async () => {
  const space = await t.newSpace()
  const forms = await ensureForms(t.conn.db, space.tenant)
  const generated = [...generateContacts(300, 5, forms)]
  const path = file(
    'gen.ndjson',
    generated.map((c) => JSON.stringify(c)),
  )
  const { summary, rejected } = await run(space, path, 'ndjson', { batchSize: 128 })
  expect(rejected).toEqual([])
  expect(summary.imported).toBe(300)
  const contacts = (await search(space, undefined)).sort((a, b) => a.id - b.id)
  expect(contacts).toHaveLength(300)
  for (const [i, input] of generated.entries()) {
    const got = contacts[i]!
    expect([got.firstname, got.surname, got.mail, got.address.city]).toEqual([
      input.firstname,
      input.surname,
      input.mail,
      input.address?.city,
    ])
    expect(got.tags.map((tag: { name: string }) => tag.name).sort()).toEqual(
      (input.tags ?? []).map((tag) => tag.name).sort(),
    )
    expect(got.formdatas.map((f: { form_ref_id: number }) => f.form_ref_id)).toEqual(
      (input.formdatas ?? []).map((f) => f.form_ref_id),
    )
    expect(got.customfields.map((f: { data: string }) => f.data)).toEqual(
      (input.customfields ?? []).map((f) => f.data),
    )
  }
  const withInteraction = generated.findIndex((c) => c.interactions?.length)
  const one = await space.request({
    method: 'POST',
    url: '/search',
    payload: {
      data: {
        advanced_search: {
          query: {
            $all: [
              { $all: [{ $condition: { attr: 'id', ope: 'eql', value: contacts[withInteraction]!.id } }] },
            ],
          },
          include_interactions: true,
        },
      },
    },
  })
  expect(one.json().data.contacts[0].interactions[0].type).toBe(
    generated[withInteraction]!.interactions![0]!.type,
  )
  const tagged = generated.filter((c) => c.tags?.some((tag) => tag.name === 'bénévole')).length
  const kpi = await space.request({
    method: 'POST',
    url: '/kpi',
    payload: {
      data: {
        advanced_search: {
          query: { $all: [{ $all: [{ $condition: { attr: 'tags', ope: 'eql', value: 'bénévole' } }] }] },
        },
      },
    },
  })
  expect(kpi.json().data.total).toBe(tagged)
  const first = await space.request({ method: 'GET', url: `/contacts/${contacts[0]!.id}` })
  expect(
    first.json().data.contact.tags.find((tag: { name: string }) => tag.name === 'bénévole')
      ?.appearance_count ?? tagged,
  ).toBe(tagged)
})

test('rejected rows are reported by line and skipped; the others are written', async () => {
  const space = await t.newSpace()
  const path = file('mixed.ndjson', [
    JSON.stringify({ firstname: 'Anne' }),
    '{not json',
    JSON.stringify({ gender: 'X', firstname: 'Bad' }),
    '',
    JSON.stringify({ address: { city: 'Lyon' } }),
    JSON.stringify({ surname: 'Ok', formdatas: [{ form_id: 999999 }] }),
    JSON.stringify({ surname: 'Bé', mail: 'not-a-mail' }),
    JSON.stringify({ surname: 'Zoé', tags: [{ name: 'x' }] }),
  ])
  const { summary, rejected } = await run(space, path, 'ndjson')
  expect(summary).toMatchObject({ imported: 2, rejected: 5 })
  expect(rejected.map((r) => r.line)).toEqual([2, 3, 5, 6, 7])
  expect(rejected[1]!.reason).toMatch(/gender/)
  expect(rejected[2]!.reason).toMatch(/at least one of/)
  expect(rejected[3]!.reason).toMatch(/formdatas\[0\]\.form_id/)
  expect(rejected[4]!.reason).toMatch(/mail/)
  expect((await search(space)).map((c) => c.firstname ?? c.surname).sort()).toEqual(['Anne', 'Zoé'])
})

test('--strict: one rejected row aborts and nothing is written, even batches already sent', async () => {
  const space = await t.newSpace()
  const lines = Array.from({ length: 10 }, (_, i) =>
    JSON.stringify({ firstname: `N${i}`, tags: [{ name: 'strict' }] }),
  )
  lines.push(JSON.stringify({ gender: 'nope', firstname: 'X' }))
  const path = file('strict.ndjson', lines)
  await expect(run(space, path, 'ndjson', { strict: true, batchSize: 3 })).rejects.toThrow(StrictImportError)
  expect(await search(space)).toEqual([])
  const tags = await t.conn.db.selectFrom('tag').where('group_id', '=', space.groupId).selectAll().execute()
  expect(tags).toEqual([])
})

test('CSV: wire names as headers, address.<key>, tags as a|b, answers as JSON', async () => {
  const space = await t.newSpace()
  const forms = await ensureForms(t.conn.db, space.tenant)
  const path = file('people.csv', [
    'firstname,surname,mail,black_list,address.city,address.postalcode,address.latitude,address.longitude,tags,formdatas',
    `Élodie,Lefèvre-Roux,elodie@example.fr,false,Nîmes,30000,43.83,4.36,bénévole|donateur,"[{""form_id"":${forms.support.id},""form_ref_id"":${forms.support.refIds[0]}}]"`,
    'Jean,,,maybe,Lyon,69003,,,,',
    ',Dupont,,,Paris,75011,,,,',
  ])
  const { summary, rejected } = await run(space, path, 'csv')
  expect(summary.imported).toBe(2)
  expect(rejected).toEqual([{ line: 3, reason: expect.stringMatching(/black_list/) }])
  const [elodie] = (await search(space)).filter((c) => c.firstname === 'Élodie')
  expect(elodie).toMatchObject({
    surname: 'Lefèvre-Roux',
    mail: 'elodie@example.fr',
    address: { city: 'Nîmes', postalcode: '30000', latitude: 43.83, longitude: 4.36 },
  })
  expect(elodie!.tags.map((tag: { name: string }) => tag.name).sort()).toEqual(['bénévole', 'donateur'])
  expect(elodie!.formdatas[0].form_ref_id).toBe(forms.support.refIds[0])
})

test('texts with tabs, line breaks, backslashes and a literal \\N are written as they are (COPY on both engines)', async () => {
  const space = await t.newSpace()
  const tricky = ['a\tb', 'line\nbreak\r\nend', 'back\\slash \\N', '\\N', 'quote " \' ,;', 'émoji 🗳️']
  const path = file(
    'tricky.ndjson',
    tricky.map((text, i) =>
      JSON.stringify({ firstname: text, surname: `T${i}`, address: { infos: text }, tags: [{ name: text }] }),
    ),
  )
  const { summary } = await run(space, path, 'ndjson')
  expect(summary.imported).toBe(tricky.length)
  const contacts = (await search(space)).sort((a, b) => a.surname.localeCompare(b.surname))
  expect(contacts.map((c) => c.firstname)).toEqual(tricky)
  expect(contacts.map((c) => c.address.infos)).toEqual(tricky)
  expect(contacts.map((c) => c.tags[0].name)).toEqual(tricky)
})
