// The worker applies a run of a space's queued jobs in one transaction, several spaces at once,
// and keeps the queue's promises: each job done once, one space's jobs in acceptance order, a
// rejected record undoing only its own writes. And a queue that falls behind pushes back.
import { type Kysely, sql } from 'kysely'
import { afterAll, beforeAll, expect, inject, test } from 'vitest'
import { driver, type Space, type TestApp, testApp, testConfig } from '../../test/app.ts'
import { createContact } from '../../test/fixtures.ts'
import { getContact, receipt, settled, workerApp } from '../../test/upsert.ts'
import { buildApp } from '../app.ts'
import { type Connection, createDb } from '../db/connect.ts'
import { migrateToLatest } from '../db/migrate.ts'
import { runBatch } from './worker.ts'

// On PostgreSQL the suite's files share one database, and their workers would claim this file's
// jobs: this file migrates a database of its own (PGlite: each file has its own anyway).
const name = `carnet_batch_${process.pid}_${Date.now()}`
async function admin(statement: string) {
  const url = new URL(inject('databaseUrl'))
  url.pathname = '/postgres'
  const conn = await createDb({ databaseUrl: url.toString(), dataDir: '', poolSize: 1 })
  await sql.raw(statement).execute(conn.db)
  await conn.db.destroy()
}
async function ownDb(): Promise<Connection> {
  const url = new URL(inject('databaseUrl'))
  url.pathname = `/${name}`
  return createDb({ databaseUrl: url.toString(), dataDir: '', poolSize: 8 })
}

let t: TestApp
beforeAll(async () => {
  if (driver === 'pg') {
    await admin(`create database ${name}`)
    const conn = await ownDb()
    await migrateToLatest(conn.db as unknown as Kysely<unknown>)
    await conn.db.destroy()
  }
  t = await testApp({}, driver === 'pg' ? { connect: ownDb } : {}) // its app runs no worker: jobs only queue up
})
afterAll(async () => {
  await t.close()
  if (driver === 'pg') await admin(`drop database if exists ${name} with (force)`)
})

async function post(space: Space, data: unknown, headers: Record<string, string> = {}) {
  return space.request({
    method: 'POST',
    url: '/contacts/upsert',
    payload: { kind: 'contact', data },
    headers,
  })
}

const statuses = (ids: number[]) =>
  t.conn.db
    .selectFrom('upsert_job')
    .select(['id', 'status', 'reason'])
    .where('id', 'in', ids)
    .orderBy('id')
    .execute()

test("one batch applies a run of the space's jobs in one transaction; a rejected record undoes only its own writes", async () => {
  const space = await t.newSpace()
  const contact = await createContact(space)
  const ids: number[] = []
  for (let i = 0; i < 7; i++) {
    // the third names a contact that does not exist: rejected, in the middle of the batch
    const data =
      i === 2
        ? { id: 999_999_999, notes: [{ content: 'never' }] }
        : { id: contact.id, notes: [{ content: `n${i}` }] }
    ids.push((await post(space, data)).json().data.upsert_id)
  }
  expect(await runBatch(t.conn.db, { batchSize: 5 })).toBe('finished')
  const after = await statuses(ids)
  expect(after.map((j) => j.status)).toEqual(['done', 'done', 'rejected', 'done', 'done', 'queued', 'queued'])
  expect(after[2]!.reason).toMatch(/unknown id/)
  const notes = (await getContact(t.app, space.key, contact.id)).notes.map(
    (n: { content: string }) => n.content,
  )
  expect(notes).toEqual(['n0', 'n1', 'n3', 'n4'])
})

test('several claimers on several spaces: each job done once, each space in acceptance order', async () => {
  const spaces = [await t.newSpace(), await t.newSpace(), await t.newSpace()]
  const contacts = await Promise.all(spaces.map((space) => createContact(space)))
  const posted: { space: number; id: number; content: string }[] = []
  // interleaved across spaces, and a new contact created then updated by mail in each space
  for (let i = 0; i < 30; i++)
    for (const [s, space] of spaces.entries()) {
      const content = `s${s} n${i}`
      const data =
        i % 10 === 5
          ? { mail: `batch-${space.groupId}@example.com`, surname: 'Lot', notes: [{ content }] }
          : { id: contacts[s].id, notes: [{ content }] }
      posted.push({ space: s, id: (await post(space, data)).json().data.upsert_id, content })
    }
  let conn: Connection | undefined
  if (driver === 'pg') conn = await ownDb()
  const a = await workerApp(t.conn.db, { pollMs: 5, claimers: 3, batchSize: 4 })
  const b = await workerApp(conn?.db ?? t.conn.db, { pollMs: 5, claimers: 2, batchSize: 7 })
  try {
    for (const [s, space] of spaces.entries()) {
      for (const job of posted.filter((p) => p.space === s))
        expect(await settled(a, space.key, job.id)).toMatchObject({ status: 'done' })
      const expected = posted.filter((p) => p.space === s).map((p) => p.content)
      const onContact = (await getContact(a, space.key, contacts[s].id)).notes.map(
        (n: { content: string }) => n.content,
      )
      expect(onContact).toEqual(expected.filter((_, i) => i % 10 !== 5))
      // the mail's contact: created by the first, the two others matched it and appended, in order
      const byMail = (await receipt(a, space.key, posted.filter((p) => p.space === s)[15]!.id)).contact_id
      const created = (await getContact(a, space.key, byMail)).notes.map(
        (n: { content: string }) => n.content,
      )
      expect(created).toEqual(expected.filter((_, i) => i % 10 === 5))
    }
  } finally {
    await a.close()
    await b.close()
    await conn?.db.destroy()
  }
})

test('a queue behind its bound answers 503 with Retry-After and queues nothing; other spaces go on', async () => {
  const app = await buildApp({ config: { ...testConfig, upsertMaxLag: 60 }, db: t.conn.db })
  await app.ready()
  const [late, other] = [await t.newSpace(), await t.newSpace()]
  const send = (space: Space, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: '/contacts/upsert',
      payload: { kind: 'contact', data: { surname: 'Patient' } },
      headers: { authorization: `Bearer ${space.key}`, ...headers },
    })
  try {
    const first = await send(late)
    expect(first.statusCode).toBe(202)
    const firstId = first.json().data.upsert_id
    // no worker runs: the job has waited 61 s, past the bound of 60
    await sql`update upsert_job set created_at = now() - interval '61 seconds' where id = ${firstId}`.execute(
      t.conn.db,
    )
    await new Promise((resolve) => setTimeout(resolve, 300)) // what the server remembers of the queue
    const count = async () =>
      Number(
        (
          await t.conn.db
            .selectFrom('upsert_job')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('group_id', '=', late.groupId)
            .executeTakeFirstOrThrow()
        ).n,
      )
    const refused = await send(late, { 'idempotency-key': 'behind-1' })
    expect(refused.statusCode, refused.body).toBe(503)
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1)
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/)
    expect(refused.json().detail ?? refused.json().title).toMatch(/behind/)
    expect(await count()).toBe(1)
    expect((await send(other)).statusCode).toBe(202)

    // the worker catches up: accepted again, and the same Idempotency-Key is not stuck on the 503
    await sql`update upsert_job set status = 'done', done_at = now() where id = ${firstId}`.execute(t.conn.db)
    await new Promise((resolve) => setTimeout(resolve, 300))
    const again = await send(late, { 'idempotency-key': 'behind-1' })
    expect(again.statusCode, again.body).toBe(202)
    expect(await count()).toBe(2)
  } finally {
    await app.close()
  }
})
