// Test helpers for the upsert queue: an app that runs the worker, and waiting for a receipt.
import type { FastifyInstance, InjectOptions } from 'fastify'
import { afterAll, beforeAll, beforeEach, expect } from 'vitest'
import { buildApp } from '../src/app.ts'
import type { Db } from '../src/db/database.ts'
import type { WorkerOptions } from '../src/upsert/worker.ts'
import { type Space, type TestApp, testApp, testConfig } from './app.ts'

export async function workerApp(db: Db, options: WorkerOptions = {}): Promise<FastifyInstance> {
  const app = await buildApp({ config: testConfig, db, upsertWorker: { pollMs: 100, ...options } })
  await app.ready()
  return app
}

/**
 * A test file's setup: its own database and an app running the worker (closed after the file),
 * and a fresh space before each test. Read them from the returned object inside tests.
 */
export function useWorkerApp(): { t: TestApp; app: FastifyInstance; space: Space } {
  const u = {} as { t: TestApp; app: FastifyInstance; space: Space }
  beforeAll(async () => {
    u.t = await testApp()
    u.app = await workerApp(u.t.conn.db)
  })
  afterAll(async () => {
    await u.app.close()
    await u.t.close()
  })
  beforeEach(async () => {
    u.space = await u.t.newSpace()
  })
  return u
}

export function as(app: FastifyInstance, key: string, options: InjectOptions) {
  return app.inject({ ...options, headers: { authorization: `Bearer ${key}`, ...options.headers } })
}

export async function receipt(app: FastifyInstance, key: string, id: number) {
  const response = await as(app, key, { method: 'GET', url: `/contacts/upsert/${id}` })
  expect(response.statusCode).toBe(200)
  return response.json().data.upsert
}

/** Polls the receipt until it is no longer queued (the worker is in another loop of this process). */
export async function settled(app: FastifyInstance, key: string, id: number, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const r = await receipt(app, key, id)
    if (r.status !== 'queued') return r
    if (Date.now() > deadline) throw new Error(`upsert ${id} still queued after ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** POST /contacts/upsert then wait for its receipt. */
export async function upsert(app: FastifyInstance, key: string, data: unknown) {
  const response = await as(app, key, {
    method: 'POST',
    url: '/contacts/upsert',
    payload: { kind: 'contact', data },
  })
  expect(response.statusCode, response.body).toBe(202)
  return settled(app, key, response.json().data.upsert_id)
}

export async function getContact(app: FastifyInstance, key: string, id: number) {
  const response = await as(app, key, { method: 'GET', url: `/contacts/${id}` })
  expect(response.statusCode, response.body).toBe(200)
  return response.json().data.contact
}
