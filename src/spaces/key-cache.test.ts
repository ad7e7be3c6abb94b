// The API key cache on both engines: keys are answered from memory while the server listens,
// and a change to api_key from anywhere (another connection, a plain UPDATE) empties it.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { driver, type Space, type TestApp, testApp, testDb } from '../../test/app.ts'
import type { Connection } from '../db/connect.ts'
import { ApiKeyCache } from './key-cache.ts'

let t: TestApp
/** another connection, as the CLI or psql would be (on PGlite, the same instance) */
let other: Connection

beforeAll(async () => {
  t = await testApp({}, { listen: true })
  other = driver === 'pg' ? await testDb() : t.conn
})
afterAll(async () => {
  if (other !== t.conn) await other.db.destroy()
  await t.close()
})

const keys = () => t.app.keys as ApiKeyCache
const contacts = (space: Space) => space.request({ method: 'GET', url: '/actions' })
const revoke = (space: Space) =>
  sql`update api_key set revoked_at = now() where id = ${space.tenant.apiKeyId}`.execute(other.db)

describe('API key cache', () => {
  test('a checked key is kept, and forgotten when any key changes', async () => {
    expect(keys().listening).toBe(true)
    const space = await t.newSpace()
    expect((await contacts(space)).statusCode).toBe(200)
    const kept = keys().size
    expect(kept).toBeGreaterThan(0)
    expect((await contacts(space)).statusCode).toBe(200)
    // a change to another space's key is enough to empty the cache
    const bystander = await t.newSpace()
    await revoke(bystander)
    await vi.waitFor(() => expect(keys().size).toBe(0), { timeout: 3000 })
  })

  test('a key revoked by another connection stops working without a restart', async () => {
    const space = await t.newSpace()
    expect((await contacts(space)).statusCode).toBe(200)
    expect((await contacts(space)).statusCode).toBe(200)
    await revoke(space)
    // within the time the notification takes to arrive (the entry itself would live a minute)
    await vi.waitFor(async () => expect((await contacts(space)).statusCode).toBe(401), { timeout: 3000 })
    expect((await contacts(space)).json()).toMatchObject({
      status: 401,
      detail: 'Invalid or revoked API key',
    })
  })

  test('deleting a space forgets its keys', async () => {
    const space = await t.newSpace()
    expect((await contacts(space)).statusCode).toBe(200)
    await sql`delete from space where id = ${space.groupId}`.execute(other.db)
    await vi.waitFor(async () => expect((await contacts(space)).statusCode).toBe(401), { timeout: 3000 })
  })

  test.skipIf(driver !== 'pg')('while the LISTEN is lost, every request reads the database', async () => {
    const space = await t.newSpace()
    expect((await contacts(space)).statusCode).toBe(200)
    await sql`select pg_terminate_backend(pid) from pg_stat_activity
      where datname = current_database() and query = 'listen carnet_api_key'`.execute(other.db)
    await vi.waitFor(() => expect(keys().listening).toBe(false), { timeout: 3000 })
    expect(keys().size).toBe(0)
    expect((await contacts(space)).statusCode).toBe(200)
    expect(keys().size).toBe(0)
    // and it listens again (first retry after a second)
    await vi.waitFor(() => expect(keys().listening).toBe(true), { timeout: 5000 })
    expect((await contacts(space)).statusCode).toBe(200)
    expect(keys().size).toBe(1)
  })
})

describe('ApiKeyCache', () => {
  const key = { id: 1, group_id: 1, scope: 'full' as const, user_id: null, role: null, contact_scope: null }

  test('a lookup that a notification overtook is not kept', async () => {
    let notify = () => {}
    const cache = new ApiKeyCache(async (_channel, handlers) => {
      notify = handlers.notified
      return { close: async () => {} }
    })
    await cache.start()
    // the key is read, then a revocation is announced before the read comes back
    const readThenRevoked = async () => {
      notify()
      return key
    }
    expect(await cache.lookup('h', readThenRevoked)).toEqual(key)
    expect(cache.size).toBe(0)
    expect(await cache.lookup('h', async () => key)).toEqual(key)
    expect(cache.size).toBe(1)
    await cache.stop()
  })

  test('unknown keys are never kept, and nothing is kept before it listens', async () => {
    const cache = new ApiKeyCache(async () => {
      throw new Error('no LISTEN here')
    })
    await cache.start()
    expect(cache.listening).toBe(false)
    expect(await cache.lookup('h', async () => key)).toEqual(key)
    expect(cache.size).toBe(0)
    await cache.stop()
    const listening = new ApiKeyCache(async () => ({ close: async () => {} }))
    await listening.start()
    expect(await listening.lookup('h', async () => undefined)).toBeUndefined()
    expect(listening.size).toBe(0)
    await listening.stop()
  })
})
