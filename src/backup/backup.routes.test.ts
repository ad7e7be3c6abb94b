import { Readable } from 'node:stream'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { freshDatabase, type Space, type TestApp, testApp } from '../../test/app.ts'
import { createContact } from '../../test/fixtures.ts'
import { spaceIds } from './backup.repository.ts'
import { restoreBackup } from './backup.service.ts'

const TOKEN = 'backup-token-for-tests'
let t: TestApp
let space: Space
let other: Space

beforeAll(async () => {
  t = await testApp({ backupToken: TOKEN })
  space = await t.newSpace()
  other = await t.newSpace()
  for (let i = 0; i < 5; i++) await createContact(space, { tags: [{ name: 'backed-up' }] })
  await createContact(other)
})
afterAll(() => t.close())

test("GET /v1/backup streams the key's own space, which restores elsewhere", async () => {
  const response = await space.request({ method: 'GET', url: '/v1/backup' })
  expect(response.statusCode).toBe(200)
  expect(response.headers['content-type']).toBe('application/gzip')
  expect(response.headers['content-disposition']).toMatch(
    new RegExp(`attachment; filename="carnet-space-${space.groupId}-\\d{4}-\\d\\d-\\d\\d\\.ndjson\\.gz"`),
  )
  const lines = gunzipSync(response.rawPayload).toString().trim().split('\n')
  expect(JSON.parse(lines[0]!)).toMatchObject({ format: 'carnet-backup', version: 1, space: space.groupId })
  const target = await freshDatabase()
  try {
    const { counts } = await restoreBackup(target.conn, Readable.from([response.rawPayload]), null)
    expect(counts).toMatchObject({ space: 1, contact: 5, contact_tag: 5, api_key: 1 })
    expect(await spaceIds(target.conn.db)).toEqual([space.groupId])
  } finally {
    await target.drop()
  }
})

test('GET /v1/backup needs a key', async () => {
  const response = await t.app.inject({ method: 'GET', url: '/v1/backup' })
  expect(response.statusCode).toBe(401)
})

test('GET /v1/backup/all needs the BACKUP_TOKEN, and does not exist without one', async () => {
  const url = '/v1/backup/all'
  for (const authorization of [undefined, `Bearer ${space.key}`, 'Bearer wrong']) {
    const response = await t.app.inject({
      method: 'GET',
      url,
      headers: authorization ? { authorization } : {},
    })
    expect(response.statusCode).toBe(401)
    expect(response.headers['content-type']).toMatch(/problem\+json/)
  }
  const response = await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${TOKEN}` } })
  expect(response.statusCode).toBe(200)
  const header = JSON.parse(gunzipSync(response.rawPayload).toString().split('\n')[0]!)
  expect(header.space).toBe(null)
  const target = await freshDatabase()
  try {
    await restoreBackup(target.conn, Readable.from([response.rawPayload]), null)
    expect(await spaceIds(target.conn.db)).toEqual(expect.arrayContaining([space.groupId, other.groupId]))
  } finally {
    await target.drop()
  }
  const without = await testApp()
  try {
    const missing = await without.app.inject({
      method: 'GET',
      url,
      headers: { authorization: `Bearer ${TOKEN}` },
    })
    expect(missing.statusCode).toBe(404)
  } finally {
    await without.close()
  }
})
