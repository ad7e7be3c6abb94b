// Several processes on one PostgreSQL (docs/scaling.md): two servers that only queue upserts
// (UPSERT_WORKER=off) and one process that applies them, real processes on real ports. Every
// upsert is applied once; what each process keeps in memory (API keys, /kpi counts) follows
// writes made elsewhere.
import { afterAll, expect, inject, test } from 'vitest'
import { driver, testDb } from '../../test/app.ts'
import { freePort, type Running, run } from '../../test/process.ts'
import type { Connection } from '../db/connect.ts'
import * as spaces from '../spaces/spaces.service.ts'

const READY = /Carnet listening on/
const running: Running[] = []
let conn: Connection | undefined
afterAll(async () => {
  for (const process of running) process.child.kill('SIGKILL')
  await conn?.db.destroy()
})

async function start(env: Record<string, string>): Promise<string> {
  const port = String(await freePort())
  const process = await run(
    'src/main.ts',
    [],
    { DATABASE_URL: inject('databaseUrl'), PORT: port, LOG_LEVEL: 'warn', RATE_LIMIT: 'off', ...env },
    READY,
  )
  running.push(process)
  expect(process.output()).toMatch(READY)
  return `http://127.0.0.1:${port}`
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 60_000
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

test.skipIf(driver !== 'pg')(
  'two servers and one worker on one database: each upsert once, caches follow the others’ writes',
  async () => {
    conn = await testDb()
    const space = await spaces.createSpace(conn.db, 'Several processes')
    const { key, id: keyId } = await spaces.createApiKey(conn.db, space.id, 'servers')
    const [a, b, worker] = await Promise.all([
      start({ UPSERT_WORKER: 'off' }),
      start({ UPSERT_WORKER: 'off' }),
      start({ UPSERT_WORKER: 'on' }),
    ])
    const call = async (base: string, method: string, path: string, body?: unknown) => {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      return { status: response.status, body: (await response.json()) as any }
    }

    // upserts through both servers at once: notes for one contact, and new contacts by mail
    const contactId = (await call(a, 'POST', '/contacts', { data: { contact: { surname: 'Partagé' } } })).body
      .data.contact.id
    const jobs = await Promise.all(
      Array.from({ length: 120 }, async (_, i) => {
        const data =
          i % 2 === 0
            ? { id: contactId, notes: [{ content: `note ${i}` }] }
            : {
                mail: `m${(i >> 1) % 10}@example.fr`,
                surname: `Nouveau${(i >> 1) % 10}`,
                tags: [{ name: `t${i}` }],
              }
        const answer = await call(i % 4 < 2 ? a : b, 'POST', '/contacts/upsert', { kind: 'contact', data })
        expect(answer.status).toBe(202)
        return answer.body.data.upsert_id as number
      }),
    )
    const receipt = async (base: string, id: number) =>
      (await call(base, 'GET', `/contacts/upsert/${id}`)).body.data.upsert
    await until(async () => (await receipt(b, jobs.at(-1)!)).status !== 'queued', 'the queue to drain')
    for (const id of jobs) await until(async () => (await receipt(a, id)).status !== 'queued', `job ${id}`)
    for (const id of jobs) expect((await receipt(b, id)).status).toBe('done')
    const contact = (await call(b, 'GET', `/contacts/${contactId}`)).body.data.contact
    const notes = contact.notes.map((n: { content: string }) => n.content).sort()
    const expected = Array.from({ length: 60 }, (_, i) => `note ${i * 2}`).sort()
    expect(notes).toEqual(expected)
    // ten mails: ten contacts, each with its six tags, however the jobs were spread
    const query = {
      $all: [{ $all: [{ $condition: { attr: 'surname', ope: 'start_with', value: 'Nouveau' } }] }],
    }
    const found = (await call(worker, 'POST', '/search', { data: { advanced_search: { query } } })).body.data
      .contacts
    expect(found).toHaveLength(10)
    for (const c of found) expect(c.tags).toHaveLength(6)

    // /kpi counts: remembered by a, then a contact written through b is counted at once
    const everyone = { data: { advanced_search: { query: { $all: [] } } } }
    const before = (await call(a, 'POST', '/kpi', everyone)).body.data.total
    expect((await call(a, 'POST', '/kpi', everyone)).body.data.total).toBe(before)
    await call(b, 'POST', '/contacts', { data: { contact: { surname: 'Ajout' } } })
    expect((await call(a, 'POST', '/kpi', everyone)).body.data.total).toBe(before + 1)

    // API keys: cached by every process, revoked elsewhere (here, this test's own process)
    for (const base of [a, b, worker])
      expect((await call(base, 'GET', `/contacts/${contactId}`)).status).toBe(200)
    await spaces.revokeApiKey(conn.db, space.id, keyId)
    for (const base of [a, b, worker])
      await until(
        async () => (await call(base, 'GET', `/contacts/${contactId}`)).status === 401,
        `401 from ${base}`,
      )
  },
  240_000,
)
