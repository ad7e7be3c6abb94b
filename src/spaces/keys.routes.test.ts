// Key scopes and key management over HTTP and on the command line, on both engines.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { type Space, type TestApp, testApp } from '../../test/app.ts'
import { UsageError } from '../cli/command.ts'
import type { KeyScope } from '../db/database.ts'
import type { OpenDatabase } from '../db/open.ts'
import { spaceCommands } from './spaces.cli.ts'
import * as spaces from './spaces.service.ts'

let t: TestApp
beforeAll(async () => {
  t = await testApp({}, { listen: true })
})
afterAll(() => t.close())

/** Requests with a new key of `scope` in `space`. */
async function keyOf(space: Space, scope: KeyScope) {
  const { key } = await spaces.createApiKey(t.conn.db, space.groupId, scope, { scope })
  return (options: Parameters<Space['request']>[0]) =>
    t.app.inject({ ...options, headers: { authorization: `Bearer ${key}`, ...options.headers } })
}

const contactBody = { data: { contact: { firstname: 'Ada', surname: 'Lovelace' } } }
const READING_POSTS = new Set(['POST /search', 'POST /kpi', 'POST /contacts/export'])

async function countContacts(groupId: number) {
  const { rows } = await sql<{
    n: number
  }>`select count(*)::int as n from contact where group_id = ${groupId}`.execute(t.conn.db)
  return rows[0]!.n
}

describe('scopes', () => {
  test('a read key gets 403 problem+json on every write route of the OpenAPI document, and changes nothing', async () => {
    const space = await t.newSpace()
    const full = space.request
    const contact = (await full({ method: 'POST', url: '/contacts', payload: contactBody })).json().data
      .contact
    const read = await keyOf(space, 'read')
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json()
    const writes: string[] = []
    type Operation = { security?: unknown[] }
    for (const [path, operations] of Object.entries(doc.paths as Record<string, Record<string, Operation>>)) {
      for (const [method, operation] of Object.entries(operations)) {
        const route = `${method.toUpperCase()} ${path}`
        // routes open without a key (log-in, an invitation's token) say so: `security: []`
        if (method === 'get' || READING_POSTS.has(route) || operation.security?.length === 0) continue
        writes.push(route)
        const url = path.replace(/\{[^}]+\}/g, String(contact.id))
        const response = await read({ method: method.toUpperCase() as 'POST', url, payload: contactBody })
        expect([route, response.statusCode]).toEqual([route, 403])
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/)
        expect(response.json()).toMatchObject({ status: 403, detail: expect.stringContaining('"read"') })
      }
    }
    // the routes of every kind of write are in the document
    expect(writes).toEqual(
      expect.arrayContaining([
        'POST /contacts',
        'PATCH /contacts/{id}',
        'DELETE /contacts/{id}',
        'POST /contacts/upsert',
        'POST /contacts/{id}/notes',
        'POST /v1/forms',
        'POST /v1/actions',
        'POST /v1/keys',
        'DELETE /v1/keys/{id}',
        'PATCH /users/role',
        'POST /teams',
      ]),
    )
    expect(await countContacts(space.groupId)).toBe(1)
    expect((await read({ method: 'GET', url: `/contacts/${contact.id}` })).statusCode).toBe(200)
    const search = { data: { advanced_search: { query: { $all: [] } } } }
    expect((await read({ method: 'POST', url: '/search', payload: search })).statusCode).toBe(200)
    expect((await read({ method: 'POST', url: '/kpi', payload: search })).json().data.total).toBe(1)
    expect((await read({ method: 'POST', url: '/contacts/export', payload: search })).statusCode).toBe(200)
  })

  test('a write key writes, but cannot manage keys, users or roles', async () => {
    const space = await t.newSpace()
    const write = await keyOf(space, 'write')
    expect((await write({ method: 'POST', url: '/contacts', payload: contactBody })).statusCode).toBe(200)
    for (const request of [
      { method: 'GET', url: '/v1/keys' },
      { method: 'POST', url: '/v1/keys', payload: { data: { key: { scope: 'full' } } } },
      { method: 'DELETE', url: `/v1/keys/${space.tenant.apiKeyId}` },
      // user and role administration too
      { method: 'PATCH', url: '/users/role', payload: { data: { user_ids: [1], role_id: 1 } } },
      { method: 'POST', url: '/users/invitation', payload: { data: { mails: ['a@example.com'] } } },
      { method: 'DELETE', url: '/users/1' },
    ] as const) {
      const response = await write(request)
      expect([request.url, response.statusCode]).toEqual([request.url, 403])
      expect(response.json().detail).toMatch(/scope "full"/)
    }
    expect((await space.request({ method: 'GET', url: '/v1/keys' })).json().data.keys).toHaveLength(2)
  })

  test('keys without a scope, and keys made before scopes existed, have full access', async () => {
    const space = await t.newSpace()
    expect((await space.request({ method: 'GET', url: '/v1/keys' })).statusCode).toBe(200)
    // a row written as the old code wrote it: no scope column
    await sql`insert into api_key (group_id, name, key_prefix, key_hash)
      values (${space.groupId}, 'old', 'crn_old', ${spaces.hashKey('crn_old_key')})`.execute(t.conn.db)
    const old = await t.app.inject({
      method: 'GET',
      url: '/v1/keys',
      headers: { authorization: 'Bearer crn_old_key' },
    })
    expect(old.statusCode).toBe(200)
    expect(old.json().data.keys.map((k: { scope: string }) => k.scope)).toEqual(['full', 'full'])
  })
})

describe('keys over HTTP', () => {
  test('create (the key shown once), list (scope, never the key), revoke (401 at once)', async () => {
    const space = await t.newSpace()
    const created = await space.request({
      method: 'POST',
      url: '/v1/keys',
      payload: { data: { key: { name: 'website', scope: 'read' } } },
    })
    expect(created.statusCode, created.body).toBe(200)
    const key = created.json().data.key
    expect(key).toMatchObject({ name: 'website', scope: 'read', revoked_at: null })
    expect(key.key).toMatch(/^crn_/)
    expect(key.key.startsWith(key.prefix)).toBe(true)
    const use = (method: 'GET' | 'POST') =>
      t.app.inject({
        method,
        url: '/contacts',
        headers: { authorization: `Bearer ${key.key}` },
        ...(method === 'POST' ? { payload: contactBody } : {}),
      })
    expect((await use('POST')).statusCode).toBe(403)
    const listed = (await space.request({ method: 'GET', url: '/v1/keys' })).json().data.keys
    expect(listed.map((k: { id: number; scope: string }) => [k.id, k.scope])).toEqual([
      [space.tenant.apiKeyId, 'full'],
      [key.id, 'read'],
    ])
    expect(JSON.stringify(listed)).not.toContain(key.key)
    const stored = await sql<{
      n: number
    }>`select count(*)::int as n from api_key where key_hash = ${key.key}`.execute(t.conn.db)
    expect(stored.rows[0]!.n).toBe(0)
    // the key is kept in the cache now; its revocation must still end it at once
    const read = () =>
      t.app.inject({ method: 'GET', url: '/actions', headers: { authorization: `Bearer ${key.key}` } })
    expect((await read()).statusCode).toBe(200)
    expect((await read()).statusCode).toBe(200)
    const revoked = await space.request({ method: 'DELETE', url: `/v1/keys/${key.id}` })
    expect(revoked.json()).toEqual({ status: 'success', data: { id: key.id } })
    expect((await read()).statusCode).toBe(401)
    expect((await space.request({ method: 'DELETE', url: `/v1/keys/${key.id}` })).statusCode).toBe(404)
    const after = (await space.request({ method: 'GET', url: '/v1/keys' })).json().data.keys
    expect(after[1].revoked_at).toEqual(expect.any(String))
  })

  test('bad input is a 422 that changes nothing', async () => {
    const space = await t.newSpace()
    const bad = await space.request({
      method: 'POST',
      url: '/v1/keys',
      payload: { data: { key: { scope: 'admin' } } },
    })
    expect(bad.statusCode).toBe(422)
    expect((await space.request({ method: 'GET', url: '/v1/keys' })).json().data.keys).toHaveLength(1)
  })

  test("one space neither sees nor revokes another's keys", async () => {
    const a = await t.newSpace()
    const b = await t.newSpace()
    const listed = (await b.request({ method: 'GET', url: '/v1/keys' })).json().data.keys
    expect(listed.map((k: { id: number }) => k.id)).toEqual([b.tenant.apiKeyId])
    const response = await b.request({ method: 'DELETE', url: `/v1/keys/${a.tenant.apiKeyId}` })
    expect(response.statusCode).toBe(404)
    expect((await a.request({ method: 'GET', url: '/actions' })).statusCode).toBe(200)
  })
})

describe('keys on the command line', () => {
  async function run(command: string, values: Record<string, unknown>) {
    const out: string[] = []
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line))
    try {
      const database = { ...t.conn, close: async () => {} } as OpenDatabase
      await spaceCommands[command]!.run({ values, positionals: [], database })
    } finally {
      log.mockRestore()
    }
    return out
  }

  test('keys create --scope, keys list shows it, keys revoke ends it', async () => {
    const space = await t.newSpace()
    const out = await run('keys create', { space: String(space.groupId), name: 'cli', scope: 'read' })
    expect(out[0]).toMatch(/\(scope read\)/)
    const key = out[1]!
    const get = () =>
      t.app.inject({ method: 'GET', url: '/actions', headers: { authorization: `Bearer ${key}` } })
    expect((await get()).statusCode).toBe(200)
    const post = await t.app.inject({
      method: 'POST',
      url: '/contacts',
      headers: { authorization: `Bearer ${key}` },
      payload: contactBody,
    })
    expect(post.statusCode).toBe(403)
    const lines = await run('keys list', { space: String(space.groupId) })
    expect(lines.map((line) => line.split('\t')[2])).toEqual(['full', 'read'])
    const id = lines[1]!.split('\t')[0]!
    await run('keys revoke', { space: String(space.groupId), id })
    await vi.waitFor(async () => expect((await get()).statusCode).toBe(401), { timeout: 3000 })
    const plain = await run('keys create', { space: String(space.groupId) })
    expect(plain[0]).toMatch(/\(scope full\)/)
    await expect(run('keys create', { space: String(space.groupId), scope: 'admin' })).rejects.toThrow(
      UsageError,
    )
  })
})
