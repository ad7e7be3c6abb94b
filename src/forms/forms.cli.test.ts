import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { type TestApp, testApp } from '../../test/app.ts'
import { tempDir } from '../../test/tmp.ts'
import type { OpenDatabase } from '../db/open.ts'
import { formCommands, formsOfFile } from './forms.cli.ts'

let t: TestApp
let dir: string
beforeAll(async () => {
  t = await testApp()
  dir = tempDir('carnet-forms-')
})
afterAll(() => t.close())

async function run(command: string, values: Record<string, unknown>): Promise<string[]> {
  const lines: string[] = []
  const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line))
  try {
    const database = { db: t.conn.db } as unknown as OpenDatabase
    await formCommands[command]!.run({ values, positionals: [], database })
  } finally {
    log.mockRestore()
  }
  return lines
}

const forms = [
  {
    type_of_form: 'consent',
    type: 'checkbox',
    label: 'Consents',
    refvalues: [{ label: 'E-mail', value: 'consent_email' }],
  },
  { type_of_form: 'custom_fields', type: 'text', label: 'Job' },
]

describe('forms create / forms list', () => {
  test('accepts one form, a list, or an API body', () => {
    expect(formsOfFile(forms[0])).toEqual([forms[0]])
    expect(formsOfFile(forms)).toEqual(forms)
    expect(formsOfFile({ data: { form: forms[0] } })).toEqual([forms[0]])
    expect(formsOfFile({ data: { forms } })).toEqual(forms)
  })

  test('creates the forms of a file, then lists them; the API sees them', async () => {
    const space = await t.newSpace()
    const file = join(dir, 'forms.json')
    await writeFile(file, JSON.stringify(forms))
    const created = await run('forms create', { space: String(space.groupId), file })
    expect(created).toHaveLength(2)
    expect(created[0]).toMatch(/^Created form \d+\tconsent\tcheckbox\tConsents\t\d+:consent_email=E-mail$/)
    const listed = await run('forms list', { space: String(space.groupId), type: 'custom_fields' })
    expect(listed).toEqual([expect.stringMatching(/^\d+\tcustom_fields\ttext\tJob\t\d+:Job$/)])
    const api = await space.request({ method: 'GET', url: '/v1/forms/type/consent' })
    expect(api.json().data.forms.map((f: any) => f.label)).toEqual(['Consents'])
  })

  test('a bad form in the file creates nothing and names the place', async () => {
    const space = await t.newSpace()
    const file = join(dir, 'bad.json')
    await writeFile(file, JSON.stringify([forms[1], { ...forms[0], type: 'slider' }]))
    await expect(run('forms create', { space: String(space.groupId), file })).rejects.toThrow(
      /form \[1\]\.type must be one of radio/,
    )
    await writeFile(file, JSON.stringify([forms[1], { ...forms[0], refvalues: [] }]))
    await expect(run('forms create', { space: String(space.groupId), file })).rejects.toThrow(
      /\[1\]\.refvalues: .*needs at least one refvalue.*Nothing was created/,
    )
    expect(await run('forms list', { space: String(space.groupId) })).toEqual([])
  })
})
