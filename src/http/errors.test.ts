// The error handler's net for values the database refuses (SQLSTATE class 22): a 422 problem,
// while any other database error stays a 500. Real errors from the test database.
import Fastify from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { testDb } from '../../test/app.ts'
import type { Connection } from '../db/connect.ts'
import { registerErrorHandling } from './errors.ts'

let conn: Connection
const app = Fastify()
beforeAll(async () => {
  conn = await testDb()
  registerErrorHandling(app)
  app.get('/out-of-range', async () => sql`select ${'2147483648'}::int4 as n`.execute(conn.db))
  app.get('/no-such-table', async () => sql`select * from no_such_table`.execute(conn.db))
  await app.ready()
})
afterAll(async () => {
  await app.close()
  await conn.db.destroy()
})

test('a value the database cannot hold → 422 problem that names it', async () => {
  const response = await app.inject({ method: 'GET', url: '/out-of-range' })
  expect(response.statusCode).toBe(422)
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/)
  expect(response.json()).toMatchObject({ status: 422, detail: expect.stringMatching(/out of range/) })
})

test('any other database error is still a 500 that reveals nothing', async () => {
  const response = await app.inject({ method: 'GET', url: '/no-such-table' })
  expect(response.statusCode).toBe(500)
  expect(response.json().detail).toBe('Internal server error')
})
