import { afterAll, beforeAll, expect, test } from 'vitest'
import { type TestApp, testApp } from '../../test/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

test('/openapi.json describes every route from the same schemas, without a key', async () => {
  const response = await t.app.inject({ method: 'GET', url: '/openapi.json' })
  expect(response.statusCode).toBe(200)
  const doc = response.json()
  expect(doc.openapi).toBe('3.1.0')
  expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/contacts', '/contacts/{id}']))
  expect(Object.keys(doc.paths['/contacts/{id}'])).toEqual(expect.arrayContaining(['get', 'patch', 'delete']))
  const body = doc.paths['/contacts'].post.requestBody.content['application/json'].schema
  expect(body.properties.data.properties.contact.properties).toHaveProperty('mail')
  expect(doc.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer' })
})

test('/docs is a readable page, with its script, loaded on the first request', async () => {
  const response = await t.app.inject({ method: 'GET', url: '/docs/' })
  expect(response.statusCode).toBe(200)
  expect(response.headers['content-type']).toMatch(/text\/html/)
  const script = /<script src="([^"]+)"/.exec(response.body)?.[1]
  expect(script).toBeDefined()
  const js = await t.app.inject({ method: 'GET', url: `/docs/${script}` })
  expect(js.statusCode).toBe(200)
  expect(js.headers['content-type']).toMatch(/javascript/)
  expect(js.rawPayload.length).toBeGreaterThan(100_000)
  const bare = await t.app.inject({ method: 'GET', url: '/docs' })
  expect([bare.statusCode, bare.headers.location]).toEqual([301, '/docs/'])
})
