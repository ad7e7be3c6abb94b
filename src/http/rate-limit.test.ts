import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type TestApp, testApp } from '../../test/app.ts'
import { createContact } from '../../test/fixtures.ts'
import { RateLimiter } from './rate-limit.ts'

describe('RateLimiter (token bucket)', () => {
  test('spends the burst, then refills at the rate', () => {
    let now = 0
    const limiter = new RateLimiter(10, 2, () => now)
    expect(limiter.take('k', 5)).toEqual({ ok: true, remaining: 5 })
    expect(limiter.take('k', 5)).toEqual({ ok: true, remaining: 0 })
    expect(limiter.take('k', 1)).toEqual({ ok: false, retryAfter: 1 })
    now += 1000 // +2 tokens
    expect(limiter.take('k', 5)).toEqual({ ok: false, retryAfter: 2 })
    expect(limiter.take('k', 2)).toEqual({ ok: true, remaining: 0 })
    now += 60_000
    expect(limiter.take('k', 1)).toEqual({ ok: true, remaining: 9 }) // capped at the burst
    expect(limiter.take('other', 10)).toEqual({ ok: true, remaining: 0 }) // one bucket per key
  })

  test('holds at most maxBuckets; a flood of new keys can neither grow it nor refill a bucket', () => {
    let now = 0
    const limiter = new RateLimiter(10, 1, () => now, 100)
    expect(limiter.take('client', 10)).toEqual({ ok: true, remaining: 0 })
    for (let i = 0; i < 10_000; i++) limiter.take(`flood ${i}`, 1)
    expect(limiter.size).toBeLessThanOrEqual(100)
    // the drained bucket is still there, still drained
    expect(limiter.take('client', 1)).toEqual({ ok: false, retryAfter: 1 })
    // the flood's keys beyond the table share one bucket, which the flood has drained
    expect(limiter.take('newcomer', 1)).toMatchObject({ ok: false })
    // once every bucket would be full again (burst / rate = 10 s), forgetting them is harmless
    now += 10_001
    expect(limiter.take('newcomer', 10)).toEqual({ ok: true, remaining: 0 })
    expect(limiter.take('newcomer', 1)).toMatchObject({ ok: false })
    expect(limiter.take('client', 10)).toEqual({ ok: true, remaining: 0 })
    expect(limiter.size).toBeLessThanOrEqual(100)
  })

  test('describes itself as Qomon does', () => {
    expect(new RateLimiter(100, 10).limitHeader).toBe('burst:100;rate:10.0')
  })
})

describe('rate limits over HTTP', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await testApp({ rateLimit: { enabled: true, burst: 100, rate: 10 } })
  })
  afterAll(() => t.close())

  test('every answer carries the x-ratelimit headers; writes cost 5, reads 1', async () => {
    const space = await t.newSpace()
    const created = await space.request({
      method: 'POST',
      url: '/contacts',
      payload: { data: { contact: { surname: 'A' } } },
    })
    expect(created.headers['x-ratelimit-limit']).toBe('burst:100;rate:10.0')
    expect(created.headers['x-ratelimit-cost']).toBe('5')
    expect(Number(created.headers['x-ratelimit-remaining'])).toBe(95)
    const id = created.json().data.contact.id
    const read = await space.request({ method: 'GET', url: `/contacts/${id}` })
    expect(read.headers['x-ratelimit-cost']).toBe('1')
    expect(Number(read.headers['x-ratelimit-remaining'])).toBeGreaterThanOrEqual(94)
    const missing = await space.request({ method: 'GET', url: '/contacts/99999999' })
    expect(missing.statusCode).toBe(404)
    expect(missing.headers['x-ratelimit-cost']).toBe('1')
    const patched = await space.request({
      method: 'PATCH',
      url: `/contacts/${id}`,
      payload: { data: { contact: { surname: 'B' } } },
    })
    expect(patched.headers['x-ratelimit-cost']).toBe('5')
  })

  test('401s and unknown routes carry the headers too; guessing keys drains the address’s bucket', async () => {
    const space = await t.newSpace()
    const known = await space.request({ method: 'GET', url: '/no-such-route' })
    expect(known.statusCode).toBe(404)
    expect(known.headers['x-ratelimit-limit']).toBe('burst:100;rate:10.0')
    expect(known.headers['x-ratelimit-cost']).toBe('1')
    // charged to the key: the next answer for the key shows one token less than a fresh bucket
    const next = await space.request({ method: 'GET', url: '/contacts/99999999' })
    expect(Number(next.headers['x-ratelimit-remaining'])).toBeLessThanOrEqual(98)
    for (const headers of [{}, { authorization: 'Bearer not-a-key' }]) {
      for (const url of ['/contacts/1', '/no-such-route']) {
        const response = await t.app.inject({ method: 'GET', url, headers })
        expect(response.statusCode, url).toBe(url === '/contacts/1' ? 401 : 404)
        expect(response.headers['x-ratelimit-limit'], url).toBe('burst:100;rate:10.0')
        expect(response.headers['x-ratelimit-cost'], url).toBe('1')
        expect(Number(response.headers['x-ratelimit-remaining']), url).toBeGreaterThanOrEqual(0)
      }
    }
    let last = await t.app.inject({
      method: 'GET',
      url: '/contacts/1',
      headers: { authorization: 'Bearer guess' },
    })
    for (let i = 0; i < 1000 && last.statusCode !== 429; i++) {
      last = await t.app.inject({
        method: 'GET',
        url: '/contacts/1',
        headers: { authorization: 'Bearer guess' },
      })
    }
    expect(last.statusCode).toBe(429)
    // a valid key has its own bucket, untouched by the guesses from the same address
    expect((await space.request({ method: 'GET', url: '/contacts/99999999' })).statusCode).toBe(404)
  })

  test('a drained bucket answers 429 with Retry-After, and other keys are not affected', async () => {
    const space = await t.newSpace()
    const contact = await createContact(space)
    let last = await space.request({ method: 'GET', url: `/contacts/${contact.id}` })
    // the bucket refills 10 a second while we drain it: on a slow machine (25 ms a request, seen
    // with the suite's other files running) 120 requests were not enough, so go until it is dry
    for (let i = 0; i < 1000 && last.statusCode !== 429; i++) {
      last = await space.request({ method: 'GET', url: `/contacts/${contact.id}` })
    }
    expect(last.statusCode).toBe(429)
    expect(last.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(Number(last.headers['retry-after'])).toBeGreaterThanOrEqual(1)
    expect(last.headers['x-ratelimit-remaining']).toBe('0')
    expect(last.json()).toMatchObject({ status: 429, title: 'Too Many Requests' })
    const other = await t.newSpace()
    expect((await other.request({ method: 'GET', url: `/contacts/${contact.id}` })).statusCode).toBe(404)
  })
})
