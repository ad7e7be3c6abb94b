// `carnet contacts import` as a person runs it: CSV headers, re-runs of the same file, --update.
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import { type Space, type TestApp, testApp } from '../../test/app.ts'
import { tempDir } from '../../test/tmp.ts'
import { UsageError } from '../cli/command.ts'
import type { OpenDatabase } from '../db/open.ts'
import { bulkCommands } from './bulk.cli.ts'

let t: TestApp
let dir: string
beforeAll(async () => {
  t = await testApp()
  dir = tempDir('carnet-import-cli-')
})
afterAll(() => t.close())

/** Runs the command; `out` is stdout, `err` every line written to stderr. */
async function run(space: Space, file: string, options: Record<string, unknown> = {}) {
  const out: string[] = []
  const err: string[] = []
  const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line))
  const error = vi.spyOn(console, 'error').mockImplementation((line: string) => void err.push(line))
  const write = vi.spyOn(process.stderr, 'write').mockImplementation((text) => {
    err.push(...String(text).split('\n').filter(Boolean))
    return true
  })
  try {
    const database = { ...t.conn, close: async () => {} } as OpenDatabase
    const values = { space: String(space.groupId), file, indexes: 'keep', ...options }
    await bulkCommands['contacts import']!.run({ values, positionals: [], database })
  } finally {
    log.mockRestore()
    error.mockRestore()
    write.mockRestore()
  }
  return { out: out.join('\n'), err }
}

const contactsOf = (space: Space) =>
  t.conn.db.selectFrom('contact').selectAll().where('group_id', '=', space.groupId).orderBy('id').execute()

test('the example file of docs/import.md: French headers, semicolons, every field where it belongs', async () => {
  const space = await t.newSpace()
  const { out } = await run(space, 'docs/examples/contacts.csv')
  expect(out).toMatch(/created 3 contacts, rejected 0/)
  const [camille, jb, eloise] = await contactsOf(space)
  expect(camille).toMatchObject({
    firstname: 'Camille',
    surname: 'Lefèvre',
    mail: 'camille.lefevre@example.fr',
    phone: '01 42 68 53 00',
    mobile: '06 12 34 56 78',
    gender: 'F',
    address_housenumber: '12',
    address_street: 'rue des Lilas',
    address_postalcode: '01000',
    address_city: 'Bourg-en-Bresse',
  })
  expect(String(camille!.birthdate)).toMatch(/^1986-04-12/)
  expect(jb).toMatchObject({ firstname: 'Jean-Baptiste', address_housenumber: '3 bis', address_city: 'Lyon' })
  expect(eloise).toMatchObject({ surname: 'Durand', mail: null, address_postalcode: '13001' })
  const tags = await t.conn.db
    .selectFrom('contact_tag')
    .innerJoin('tag', (j) =>
      j.onRef('tag.id', '=', 'contact_tag.tag_id').onRef('tag.group_id', '=', 'contact_tag.group_id'),
    )
    .select('tag.name')
    .where('contact_tag.group_id', '=', space.groupId)
    .where('contact_tag.contact_id', '=', camille!.id)
    .orderBy('tag.name')
    .execute()
  expect(tags.map((tag) => tag.name)).toEqual(['bénévole', 'porte-à-porte'])
})

test('plain city,postalcode headers fill the address; unknown headers are warned first, --strict refuses them', async () => {
  const file = join(dir, 'plain.csv')
  await writeFile(
    file,
    'First Name,last name,city,postalcode,Favourite colour\nAnne,Roux,Nantes,44000,blue\n',
  )
  const space = await t.newSpace()
  const { err } = await run(space, file)
  expect(err[0]).toMatch(/^warning: unknown column "Favourite colour": skipped/)
  expect(await contactsOf(space)).toMatchObject([
    { firstname: 'Anne', surname: 'Roux', address_city: 'Nantes', address_postalcode: '44000' },
  ])
  const strict = await t.newSpace()
  await expect(run(strict, file, { strict: true })).rejects.toThrow(
    /refused by --strict, nothing was written: unknown column "Favourite colour"/,
  )
  expect(await contactsOf(strict)).toEqual([])
})

test('the same file twice is refused, naming the earlier import; --force imports it again', async () => {
  const file = join(dir, 'twice.ndjson')
  await writeFile(file, `${JSON.stringify({ firstname: 'Léa', mail: 'lea@example.fr' })}\n`)
  const space = await t.newSpace()
  const first = await run(space, file)
  const id = /Import #(\d+)/.exec(first.out)?.[1]
  expect(first.err).toEqual(
    expect.arrayContaining(['checked 1 rows (0 rejected)', `committed 1 new contacts (import #${id})`]),
  )
  const again = run(space, file)
  await expect(again).rejects.toThrow(UsageError)
  await expect(again).rejects.toThrow(new RegExp(`import #${id} of twice.ndjson.*--update.*--force`))
  expect(await contactsOf(space)).toHaveLength(1)
  // another space has not imported it
  await run(await t.newSpace(), file)
  await run(space, file, { force: true })
  expect(await contactsOf(space)).toHaveLength(2)
})

test('--update: matching rows update their contact with the upsert merge; the same file again changes nothing', async () => {
  const space = await t.newSpace()
  const rows = [
    {
      firstname: 'Marie',
      surname: 'Curie',
      mail: 'marie@example.fr',
      phone: '01 00 00 00 01',
      tags: [{ name: 'a' }],
    },
    {
      firstname: 'Pierre',
      surname: 'Martin',
      birthdate: '1970-01-02',
      address: { city: 'Lyon', postalcode: '69001' },
    },
    {
      firstname: 'Hugo',
      mobile: '06 00 00 00 03',
      notes: [{ content: 'rappeler' }],
      interactions: [{ type: 'call' }],
    },
  ]
  const file = join(dir, 'base.ndjson')
  await writeFile(file, rows.map((r) => JSON.stringify(r)).join('\n'))
  await run(space, file)
  const before = await contactsOf(space)

  const same = await run(space, file, { update: true })
  expect(same.out).toMatch(/created 1 contacts, updated 2, rejected 0/)
  // Hugo matches nothing (no mail, no surname): a second Hugo; the other two are left as they were
  const after = await contactsOf(space)
  expect(after.slice(0, 3)).toEqual(before)
  expect(after).toHaveLength(4)
  const again = await run(space, file, { update: true })
  expect(again.out).toMatch(/created 1 contacts, updated 2, rejected 0/)

  const changed = join(dir, 'changed.ndjson')
  const edits = [
    { mail: 'MARIE@example.fr', phone: '01 99 99 99 99', tags: [{ name: 'b' }] },
    {
      firstname: 'pierre',
      surname: 'MARTIN',
      birthdate: '1970-01-02',
      address: { city: 'lyon' },
      mobile: '07 11 11 11 11',
    },
    { id: 999_999_999, firstname: 'Nobody' },
  ]
  await writeFile(changed, edits.map((r) => JSON.stringify(r)).join('\n'))
  const merged = await run(space, changed, { update: true })
  expect(merged.out).toMatch(/created 0 contacts, updated 2, rejected 1/)
  expect(merged.err).toEqual(expect.arrayContaining([expect.stringMatching(/^line 3: unknown id/)]))
  const [marie, pierre] = await contactsOf(space)
  // a value given replaces the stored one, mail included (the upsert's merge)
  expect(marie).toMatchObject({ firstname: 'Marie', phone: '01 99 99 99 99', mail: 'MARIE@example.fr' })
  expect(pierre).toMatchObject({
    firstname: 'pierre',
    mobile: '07 11 11 11 11',
    address_city: 'lyon',
    address_postalcode: '69001',
  })
  const tags = await t.conn.db
    .selectFrom('contact_tag')
    .where('group_id', '=', space.groupId)
    .where('contact_id', '=', marie!.id)
    .select('tag_id')
    .execute()
  expect(tags).toHaveLength(2)
})
