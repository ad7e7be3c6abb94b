// What an operator watches: health checks, metrics, the request log; and the settings for
// deployments behind a proxy (TRUST_PROXY) and for browsers (CORS_ORIGINS).
import { Writable } from 'node:stream'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { driver, freshDatabase, testApp, testConfig } from '../../test/app.ts'
import { buildApp } from '../app.ts'
import * as spaces from '../spaces/spaces.service.ts'

describe('/health, /health/live, /health/ready', () => {
  test('ready while the database answers with a current schema and the worker runs; 503 with the reason otherwise', async () => {
    const fresh = await freshDatabase()
    const app = await buildApp({ config: testConfig, db: fresh.conn.db, upsertWorker: { pollMs: 50 } })
    try {
      for (const url of ['/health', '/health/live'])
        expect((await app.inject({ url })).json()).toEqual({ status: 'ok' })
      const ready = await app.inject({ url: '/health/ready' })
      expect([ready.statusCode, ready.json()]).toEqual([
        200,
        { status: 'ok', checks: { database: 'ok', schema: 'ok', upsert_worker: 'ok' } },
      ])
      // a schema one migration behind
      const { rows } = await sql<{ name: string }>`
        delete from kysely_migration where name = (select max(name) from kysely_migration) returning name`.execute(
        fresh.conn.db,
      )
      const behind = await app.inject({ url: '/health/ready' })
      expect(behind.statusCode).toBe(503)
      expect(behind.headers['content-type']).toMatch(/application\/problem\+json/)
      expect(behind.json().detail).toMatch(/schema is behind: 1 migrations to apply/)
      await sql`insert into kysely_migration (name, timestamp) values (${rows[0]!.name}, now()::text)`.execute(
        fresh.conn.db,
      )
      expect((await app.inject({ url: '/health/ready' })).statusCode).toBe(200)
      await app.upsertWorker!.stop()
      const stopped = await app.inject({ url: '/health/ready' })
      expect([stopped.statusCode, stopped.json().detail]).toEqual([
        503,
        'The upsert worker has stopped or is stuck',
      ])
      await fresh.conn.db.destroy()
      const down = await app.inject({ url: '/health/ready' })
      expect(down.statusCode).toBe(503)
      expect(down.json().detail).toMatch(/^The database does not answer/)
      expect((await app.inject({ url: '/health/live' })).statusCode).toBe(200)
    } finally {
      await app.close()
      await fresh.drop().catch(() => {})
    }
  })
})

describe('/metrics', () => {
  const TOKEN = 'metrics-token-for-tests'
  let t: Awaited<ReturnType<typeof testApp>>
  beforeAll(async () => {
    t = await testApp({ metricsToken: TOKEN })
  })
  afterAll(() => t.close())

  test('needs METRICS_TOKEN, and does not exist without one', async () => {
    expect((await t.app.inject({ url: '/metrics' })).statusCode).toBe(401)
    const space = await t.newSpace()
    expect((await space.request({ url: '/metrics' })).statusCode).toBe(401)
    const plain = await testApp()
    try {
      expect(
        (await plain.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } }))
          .statusCode,
      ).toBe(404)
    } finally {
      await plain.close()
    }
  })

  test('requests by route and status with durations, the upsert queue, the event loop', async () => {
    const space = await t.newSpace()
    const created = await space.request({
      method: 'POST',
      url: '/contacts',
      payload: { data: { contact: { firstname: 'Metric' } } },
    })
    await space.request({ url: `/contacts/${created.json().data.contact.id}` })
    await space.request({ url: '/contacts/999999999' })
    await space.request({
      method: 'POST',
      url: '/contacts/upsert',
      payload: { kind: 'contact', data: { firstname: 'Q' } },
    })
    const response = await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/)
    const text = response.body
    expect(text).toMatch(/carnet_http_requests_total\{method="GET",route="\/contacts\/:id",status="200"\} 1/)
    expect(text).toMatch(/carnet_http_requests_total\{method="GET",route="\/contacts\/:id",status="404"\} 1/)
    expect(text).toMatch(
      /carnet_http_request_duration_seconds_count\{method="POST",route="\/contacts",status="200"\} 1/,
    )
    expect(Number(/carnet_upsert_queue_depth (\d+)/.exec(text)?.[1])).toBeGreaterThanOrEqual(1)
    expect(
      Number(/carnet_upsert_queue_oldest_age_seconds ([\d.e-]+)/.exec(text)?.[1]),
    ).toBeGreaterThanOrEqual(0)
    expect(text).toMatch(/nodejs_eventloop_lag_seconds \d/)
    if (driver === 'pg') expect(text).toMatch(/carnet_db_pool_connections\{state="total"\} \d/)
  })

  test('upsert outcomes, counted by the worker of this process', async () => {
    // a database of its own: no other test file's worker takes these jobs
    const fresh = await freshDatabase()
    const conn = fresh.conn
    const app = await buildApp({
      config: { ...testConfig, metricsToken: TOKEN },
      db: conn.db,
      upsertWorker: { pollMs: 50 },
    })
    try {
      const space = await spaces.createSpace(conn.db, 'outcomes')
      const { key } = await spaces.createApiKey(conn.db, space.id, 'k')
      const headers = { authorization: `Bearer ${key}` }
      // applied, and rejected by the worker (an id that matches no contact)
      for (const data of [{ firstname: 'Done' }, { id: 999_999_999, firstname: 'Unknown id' }]) {
        const queued = await app.inject({
          method: 'POST',
          url: '/contacts/upsert',
          headers,
          payload: { kind: 'contact', data },
        })
        expect(queued.statusCode, queued.body).toBe(202)
      }
      let text = ''
      for (let i = 0; i < 100 && !/outcome="rejected"\} [1-9]/.test(text); i++) {
        await new Promise((r) => setTimeout(r, 100))
        text = (await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } })).body
      }
      expect(text).toMatch(/carnet_upsert_jobs_total\{outcome="done"\} [1-9]/)
      expect(text).toMatch(/carnet_upsert_jobs_total\{outcome="rejected"\} [1-9]/)
    } finally {
      await app.close()
      await fresh.drop()
    }
  })
})

describe('the request log', () => {
  test('one JSON line per request, without keys, passwords or contact values', async () => {
    const lines: string[] = []
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...chunk.toString().trim().split('\n'))
        done()
      },
    })
    const t = await testApp()
    const app = await buildApp({
      config: { ...testConfig, logLevel: 'info' },
      db: t.conn.db,
      logger: { stream },
    })
    try {
      const space = await spaces.createSpace(t.conn.db, 'logged')
      const { key } = await spaces.createApiKey(t.conn.db, space.id, 'k')
      const headers = { authorization: `Bearer ${key}` }
      const secrets = ['Zéphyrine', 'Quatremare', 'zephyrine.q@example.org', '0611223344', '17 rue Secrète']
      const contact = {
        firstname: secrets[0],
        surname: secrets[1],
        mail: secrets[2],
        mobile: secrets[3],
        address: { street: secrets[4] },
      }
      const created = await app.inject({
        method: 'POST',
        url: '/contacts',
        headers,
        payload: { data: { contact } },
      })
      const id = created.json().data.contact.id
      await app.inject({ url: `/contacts/${id}`, headers })
      await app.inject({
        method: 'POST',
        url: '/search',
        headers,
        payload: {
          data: {
            advanced_search: {
              query: { $all: [{ $all: [{ $condition: { attr: 'mail', ope: 'eql', value: secrets[2] } }] }] },
            },
          },
        },
      })
      await app.inject({
        method: 'PATCH',
        url: `/contacts/${id}`,
        headers,
        payload: { data: { contact: { ...contact, mail: 'not-a-mail Quatremare' } } },
      })
      await app.inject({ url: '/contacts/1', headers: { authorization: 'Bearer crn_not-a-key-Quatremare' } })
      await app.inject({ url: `/contacts/${id}?mail=${encodeURIComponent(secrets[2]!)}`, headers })
      const requests = lines.map((line) => JSON.parse(line)).filter((entry) => entry.route !== undefined)
      expect(requests.map((r) => [r.method, r.route, r.status])).toEqual([
        ['POST', '/contacts', 200],
        ['GET', '/contacts/:id', 200],
        ['POST', '/search', 200],
        ['PATCH', '/contacts/:id', 422],
        ['GET', '/contacts/:id', 401],
        ['GET', '/contacts/:id', 200],
      ])
      expect(requests[0]).toMatchObject({ space: space.id, level: 30 })
      expect(typeof requests[0].ms).toBe('number')
      const everything = lines.join('\n')
      for (const secret of [...secrets, key, 'crn_not-a-key', 'not-a-mail', encodeURIComponent(secrets[2]!)])
        expect(everything).not.toContain(secret)
    } finally {
      await app.close()
      await t.close()
    }
  })
})

describe('TRUST_PROXY and CORS_ORIGINS', () => {
  test('behind a trusted proxy, requests are limited by the address in X-Forwarded-For', async () => {
    const rateLimit = { enabled: true, burst: 2, rate: 0.001 }
    for (const [trustProxy, limitedApart] of [
      [true, true],
      [false, false],
    ] as const) {
      const t = await testApp({ rateLimit, trustProxy })
      try {
        const from = (address: string) =>
          t.app.inject({ url: '/contacts/1', headers: { 'x-forwarded-for': address } })
        const statuses = [
          ...(await Promise.all([from('203.0.113.1'), from('203.0.113.1'), from('203.0.113.1')])),
          await from('203.0.113.2'),
        ].map((r) => r.statusCode)
        expect(statuses).toEqual(limitedApart ? [401, 401, 429, 401] : [401, 401, 429, 429])
      } finally {
        await t.close()
      }
    }
  })

  test('a browser on an allowed origin gets the CORS headers; another origin does not', async () => {
    const t = await testApp({ corsOrigins: ['https://app.example.org'] })
    try {
      const preflight = await t.app.inject({
        method: 'OPTIONS',
        url: '/contacts',
        headers: {
          origin: 'https://app.example.org',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      })
      expect(preflight.statusCode).toBe(204)
      expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example.org')
      expect(String(preflight.headers['access-control-allow-headers'])).toMatch(/Authorization/)
      const space = await t.newSpace()
      const allowed = await space.request({ url: '/v1/tags', headers: { origin: 'https://app.example.org' } })
      expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.org')
      expect(String(allowed.headers['access-control-expose-headers'])).toMatch(/x-ratelimit-remaining/)
      const other = await space.request({ url: '/v1/tags', headers: { origin: 'https://evil.example.com' } })
      expect(other.headers['access-control-allow-origin']).toBeUndefined()
    } finally {
      await t.close()
    }
    const none = await testApp()
    try {
      const response = await none.app.inject({
        url: '/health',
        headers: { origin: 'https://app.example.org' },
      })
      expect(response.headers['access-control-allow-origin']).toBeUndefined()
    } finally {
      await none.close()
    }
  })
})
