import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import { type TestApp, testApp } from '../../test/app.ts'
import { tempDir } from '../../test/tmp.ts'
import { UsageError } from '../cli/command.ts'
import type { OpenDatabase } from '../db/open.ts'
import { bulkCommands } from './bulk.cli.ts'

let t: TestApp
let dir: string
beforeAll(async () => {
  t = await testApp()
  dir = tempDir('carnet-bulk-cli-')
})
afterAll(() => t.close())

async function run(command: string, values: Record<string, unknown>) {
  const out: string[] = []
  const err: string[] = []
  const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line))
  const error = vi.spyOn(console, 'error').mockImplementation((line: string) => void err.push(line))
  try {
    const database = { ...t.conn, close: async () => {} } as OpenDatabase
    await bulkCommands[command]!.run({ values, positionals: [], database })
  } finally {
    log.mockRestore()
    error.mockRestore()
  }
  return { out, err }
}

test('generate → import → export: the same contacts come back, as NDJSON and as CSV', async () => {
  const space = await t.newSpace()
  const file = join(dir, 'g.ndjson')
  await run('contacts generate', { contacts: '120', seed: '4', out: file })
  const generated = (await readFile(file, 'utf8'))
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line))
  expect(generated).toHaveLength(120)

  const imported = await run('contacts import', { space: String(space.groupId), file, indexes: 'keep' })
  expect(imported.out.join('\n')).toMatch(/created 120 contacts, rejected 0/)

  const ndjson = join(dir, 'all.ndjson')
  await run('contacts export', { space: String(space.groupId), out: ndjson })
  const exported = (await readFile(ndjson, 'utf8'))
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line))
  expect(exported.map((c) => [c.firstname, c.surname, c.mail])).toEqual(
    generated.map((c) => [c.firstname, c.surname, c.mail]),
  )

  const csv = join(dir, 'all.csv')
  await run('contacts export', { space: String(space.groupId), out: csv })
  expect((await readFile(csv, 'utf8')).split('\n')[0]).toMatch(/^id,group_id,CreatedAt/)
})

test('import reports rejected rows by line; --strict aborts with a usage error; an unknown space is refused', async () => {
  const space = await t.newSpace()
  const file = join(dir, 'bad.ndjson')
  await writeFile(
    file,
    `${JSON.stringify({ firstname: 'A' })}\n${JSON.stringify({ gender: 'Z', firstname: 'B' })}\n`,
  )
  const lenient = await run('contacts import', { space: String(space.groupId), file, indexes: 'keep' })
  expect(lenient.err.filter((line) => line.startsWith('line'))).toEqual([
    expect.stringMatching(/^line 2: gender/),
  ])
  expect(lenient.out.join('\n')).toMatch(/created 1 contacts, rejected 1/)
  const other = await t.newSpace()
  await expect(
    run('contacts import', { space: String(other.groupId), file, strict: true, indexes: 'keep' }),
  ).rejects.toThrow(UsageError)
  const none = await t.conn.db
    .selectFrom('contact')
    .where('group_id', '=', other.groupId)
    .select('id')
    .execute()
  expect(none).toEqual([])
  await expect(run('contacts import', { space: '987654', file })).rejects.toThrow(/does not exist/)
  await expect(
    run('contacts import', { space: String(other.groupId), file, indexes: 'later' }),
  ).rejects.toThrow(/--indexes must be auto, rebuild or keep/)
})
