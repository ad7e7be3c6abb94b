// The queue survives a crash and a restart: a job accepted and not done before is done after,
// once, and the jobs of a contact run in the order they were accepted.
import { sql } from 'kysely'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { driver, type TestApp, testApp, testDb } from '../../test/app.ts'
import { createContact } from '../../test/fixtures.ts'
import { getContact, settled, workerApp } from '../../test/upsert.ts'
import type { Connection } from '../db/connect.ts'
import type { Db } from '../db/database.ts'

let t: TestApp
beforeAll(async () => {
  t = await testApp() // its app runs no worker: jobs only queue up
})
afterAll(() => t.close())

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/**
 * Makes marking a job finished fail when its first note is `marker`: the worst moment for a
 * crash (the job's writes are made). Keyed on the payload and created before the job exists, so
 * no worker (other test files share the database on PostgreSQL) can finish the job first.
 */
async function failFinishing(db: Db, marker: string, status: 'done' | 'rejected' = 'done') {
  const name = `fail_${marker.replace(/\W/g, '_')}`
  await sql
    .raw(`create or replace function ${name}() returns trigger language plpgsql as $$
      begin raise exception 'simulated crash'; end $$`)
    .execute(db)
  await sql
    .raw(`create trigger ${name} before update on upsert_job for each row
      when (new.status = '${status}' and new.payload->'notes'->0->>'content' = '${marker}')
      execute function ${name}()`)
    .execute(db)
  return async () => {
    await sql.raw(`drop trigger ${name} on upsert_job`).execute(db)
    await sql.raw(`drop function ${name}()`).execute(db)
  }
}

test('a crash in the middle of the queue: jobs are neither lost nor done twice, and stay in order', async () => {
  const space = await t.newSpace()
  const contact = await createContact(space)
  const db = t.conn.db
  const content = (i: number) => (i === 3 ? `crash-${space.groupId}` : `note ${i}`)
  const repair = await failFinishing(db, content(3))
  const ids: number[] = []
  for (let i = 0; i < 8; i++) {
    const response = await space.request({
      method: 'POST',
      url: '/contacts/upsert',
      payload: { kind: 'contact', data: { id: contact.id, notes: [{ content: content(i) }] } },
    })
    expect(response.statusCode).toBe(202)
    ids.push(response.json().data.upsert_id)
  }
  const crashing = ids[3]!

  const first = await workerApp(db, { pollMs: 50 })
  const attemptOf = async (id: number) =>
    (await db.selectFrom('upsert_job').select('attempt').where('id', '=', id).executeTakeFirstOrThrow())
      .attempt
  await until(async () => (await attemptOf(crashing)) >= 1)
  await first.close() // the process goes away with job 3 and the ones after it queued

  const statuses = await db
    .selectFrom('upsert_job')
    .select(['id', 'status'])
    .where('id', 'in', ids)
    .orderBy('id')
    .execute()
  expect(statuses.map((s) => s.status)).toEqual(['done', 'done', 'done', ...Array(5).fill('queued')])
  const notesBefore = (await getContact(t.app, space.key, contact.id)).notes.map(
    (n: { content: string }) => n.content,
  )
  expect(notesBefore).toEqual(['note 0', 'note 1', 'note 2'])

  await repair()

  // Restart: a new app; on PostgreSQL a new pool too (PGlite is one embedded connection).
  let conn: Connection | undefined
  if (driver === 'pg') conn = await testDb()
  const second = await workerApp(conn?.db ?? db, { pollMs: 50 })
  try {
    for (const id of ids)
      expect(await settled(second, space.key, id)).toMatchObject({ status: 'done', rule: 'id' })
    const notes = (await getContact(second, space.key, contact.id)).notes.map(
      (n: { content: string }) => n.content,
    )
    expect(notes).toEqual(ids.map((_, i) => content(i)))
  } finally {
    await second.close()
    await conn?.db.destroy()
  }
})

test('a job that keeps failing for a reason of ours is rejected after maxAttempts, and the queue goes on', async () => {
  const space = await t.newSpace()
  const contact = await createContact(space)
  const post = async (content: string) =>
    (
      await space.request({
        method: 'POST',
        url: '/contacts/upsert',
        payload: { kind: 'contact', data: { id: contact.id, notes: [{ content }] } },
      })
    ).json().data.upsert_id as number
  const db = t.conn.db
  const marker = `stuck-${space.groupId}`
  const repair = await failFinishing(db, marker)
  const stuck = await post(marker)
  const next = await post('after')
  const app = await workerApp(db, { pollMs: 10, maxAttempts: 2 })
  try {
    const receipt = await settled(app, space.key, stuck)
    expect(receipt).toMatchObject({ status: 'rejected' })
    expect(receipt.reason).toMatch(/internal error after \d+ attempts: .*simulated crash/)
    expect(await settled(app, space.key, next)).toMatchObject({ status: 'done' })
    const notes = (await getContact(app, space.key, contact.id)).notes.map(
      (n: { content: string }) => n.content,
    )
    expect(notes).toEqual(['after'])
  } finally {
    await app.close()
    await repair()
  }
})

test('two workers on one database keep each contact in order and do each job once', async () => {
  const space = await t.newSpace()
  const contact = await createContact(space)
  const ids: number[] = []
  for (let i = 0; i < 20; i++) {
    const response = await space.request({
      method: 'POST',
      url: '/contacts/upsert',
      payload: { kind: 'contact', data: { id: contact.id, notes: [{ content: `n${i}` }] } },
    })
    ids.push(response.json().data.upsert_id)
  }
  let conn: Connection | undefined
  if (driver === 'pg') conn = await testDb()
  const a = await workerApp(t.conn.db, { pollMs: 5 })
  const b = await workerApp(conn?.db ?? t.conn.db, { pollMs: 5 })
  try {
    for (const id of ids) expect(await settled(a, space.key, id)).toMatchObject({ status: 'done' })
    const notes = (await getContact(a, space.key, contact.id)).notes.map(
      (n: { content: string }) => n.content,
    )
    expect(notes).toEqual(ids.map((_, i) => `n${i}`))
  } finally {
    await a.close()
    await b.close()
    await conn?.db.destroy()
  }
})
