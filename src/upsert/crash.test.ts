// A real crash: the server process is killed (SIGKILL) with upserts still queued, then started
// again. Every accepted upsert is done after the restart, exactly once, in acceptance order.
import { afterAll, expect, inject, test } from 'vitest'
import { driver, testDb } from '../../test/app.ts'
import { freePort, type Running, run } from '../../test/process.ts'
import { tempDir } from '../../test/tmp.ts'
import * as spaces from '../spaces/spaces.service.ts'

const READY = /Carnet listening on/
let server: Running | undefined
afterAll(() => {
  server?.child.kill('SIGKILL')
})

/** An API key on the database the server will use: bootstrapped (embedded) or made here (pg). */
async function setUp(): Promise<{ env: Record<string, string>; key: string }> {
  const base = { PORT: String(await freePort()), LOG_LEVEL: 'warn', RATE_LIMIT: 'off' }
  if (driver === 'pglite') {
    const key = 'crash-test-key'
    const dataDir = tempDir('carnet-crash-')
    return { env: { ...base, DATA_DIR: dataDir, BOOTSTRAP_API_KEY: key }, key }
  }
  const conn = await testDb()
  try {
    const space = await spaces.createSpace(conn.db, 'Crash test')
    const { key } = await spaces.createApiKey(conn.db, space.id, 'crash')
    return { env: { ...base, DATABASE_URL: inject('databaseUrl') }, key }
  } finally {
    await conn.db.destroy()
  }
}

test('SIGKILL with upserts queued and one in hand: after a restart each is done once, in order', async () => {
  const { env, key } = await setUp()
  const base = `http://127.0.0.1:${env.PORT}`
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' }
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    return { status: response.status, body: (await response.json()) as any }
  }
  const receipt = async (id: number) => (await call('GET', `/contacts/upsert/${id}`)).body.data.upsert
  const until = async (check: () => Promise<boolean>) => {
    const deadline = Date.now() + 60_000
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('timed out')
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }

  // 1. A server that only queues: 300 upserts accepted, none applied.
  server = await run('src/main.ts', [], { ...env, UPSERT_WORKER: 'off' }, READY)
  expect(server.output()).toMatch(READY)
  const contactId = (await call('POST', '/contacts', { data: { contact: { surname: 'Crash' } } })).body.data
    .contact.id
  const accepted: { id: number; content: string }[] = []
  for (let batch = 0; batch < 6; batch++) {
    const answers = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const content = `n${batch * 50 + i}`
        const r = await call('POST', '/contacts/upsert', {
          kind: 'contact',
          data: { id: contactId, notes: [{ content }] },
        })
        expect(r.status).toBe(202)
        return { id: r.body.data.upsert_id as number, content }
      }),
    )
    accepted.push(...answers)
  }
  accepted.sort((a, b) => a.id - b.id) // acceptance order = job order
  server.child.kill('SIGKILL')
  await server.exited

  // 2. A server with the worker, killed while it drains the queue.
  server = await run('src/main.ts', [], env, READY)
  await until(async () => (await receipt(accepted[20]!.id)).status !== 'queued')
  server.child.kill('SIGKILL')
  await server.exited

  // 3. Restart: the rest is done, each job once, in order.
  server = await run('src/main.ts', [], env, READY)
  const last = accepted.at(-1)!.id
  await until(async () => (await receipt(last)).status !== 'queued')
  for (const { id } of accepted) expect(await receipt(id)).toMatchObject({ status: 'done', rule: 'id' })
  const contact = (await call('GET', `/contacts/${contactId}`)).body.data.contact
  expect(contact.notes.map((n: { content: string }) => n.content)).toEqual(accepted.map((a) => a.content))
}, 120_000)
