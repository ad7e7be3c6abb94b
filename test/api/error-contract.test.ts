// Every error the server answers, Fastify's own included, is an RFC 7807 problem
// (application/problem+json) and carries the rate-limit headers.

import type { AddressInfo } from 'node:net'
import { connect } from 'node:net'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { type Space, type TestApp, testApp } from '../app.ts'

let t: TestApp
let space: Space
beforeAll(async () => {
  t = await testApp({ rateLimit: { enabled: true, burst: 1000, rate: 10 } })
  space = await t.newSpace()
})
afterAll(() => t.close())

function expectProblem(
  response: { statusCode: number; headers: Record<string, unknown>; body: string },
  status: number,
) {
  expect(response.statusCode, response.body).toBe(status)
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/)
  const body = JSON.parse(response.body)
  expect(Object.keys(body).sort()).toEqual(['detail', 'errors', 'instance', 'status', 'title', 'type'])
  expect(body).toMatchObject({ type: 'about:blank', status, errors: expect.any(Array) })
  expect(response.headers['x-ratelimit-limit']).toBe('burst:1000;rate:10.0')
  expect(response.headers['x-ratelimit-cost']).toBe('1')
  expect(Number(response.headers['x-ratelimit-remaining'])).toBeGreaterThan(0)
}

test('a URL that does not decode → 400 problem, with the rate-limit headers, with or without a key', async () => {
  expectProblem(await space.request({ method: 'GET', url: '/contacts/%C0%AE' }), 400)
  expectProblem(await t.app.inject({ method: 'GET', url: '/contacts/%C0%AE' }), 400)
})

test('a path id longer than the router takes → 414 problem', async () => {
  expectProblem(await space.request({ method: 'GET', url: `/contacts/${'1'.repeat(150)}` }), 414)
})

test('an unknown page under /docs → 404 problem; /docs, /openapi.json and /health carry the headers', async () => {
  expectProblem(await t.app.inject({ method: 'GET', url: '/docs/no-such-file.js' }), 404)
  for (const url of ['/openapi.json', '/health']) {
    const response = await t.app.inject({ method: 'GET', url })
    expect(response.statusCode).toBe(200)
    expect(response.headers['x-ratelimit-cost'], url).toBe('1')
  }
})

test('a request that is not valid HTTP → 400 problem from the server itself', async () => {
  await t.app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = t.app.server.address() as AddressInfo
  const raw = await new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () =>
      socket.write('GET /health HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n'),
    )
    let data = ''
    socket.on('data', (chunk) => {
      data += chunk
    })
    socket.on('close', () => resolve(data))
    socket.on('error', reject)
  })
  const [head = '', body = ''] = raw.split('\r\n\r\n')
  const headers = Object.fromEntries(
    head
      .split('\r\n')
      .slice(1)
      .map((line) => [
        line.slice(0, line.indexOf(':')).toLowerCase(),
        line.slice(line.indexOf(':') + 1).trim(),
      ]),
  )
  expectProblem({ statusCode: Number(head.split(' ')[1]), headers, body }, 400)
})
