// An Idempotency-Key's answer commits with the write it answers: in the same transaction, so no
// crash can leave a write without its answer (a retry would then write again).
import { sql } from 'kysely'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { freshDatabase, type Space, type TestApp, testApp } from '../../test/app.ts'
import { createContact } from '../../test/fixtures.ts'

// a database of its own: the triggers below would otherwise log every other file's writes
const u = {} as { t: TestApp; space: Space }
let fresh: Awaited<ReturnType<typeof freshDatabase>>
afterAll(async () => {
  await u.t.app.close()
  await fresh.drop()
})

beforeAll(async () => {
  fresh = await freshDatabase()
  u.t = await testApp({}, { connect: async () => fresh.conn })
  u.space = await u.t.newSpace()
  const db = u.t.conn.db
  await sql`create table tx_log (what text not null, tx bigint not null)`.execute(db)
  await sql`create function log_tx() returns trigger language plpgsql as $$
    begin insert into tx_log values (tg_table_name || ':' || tg_op, txid_current()); return null; end $$`.execute(
    db,
  )
  await sql`create trigger log_contact after insert or update on contact
    for each row execute function log_tx()`.execute(db)
  await sql`create trigger log_job after insert on upsert_job for each row execute function log_tx()`.execute(
    db,
  )
  await sql`create trigger log_answer after update on idempotency_key
    for each row when (new.status_code is not null) execute function log_tx()`.execute(db)
})

async function transactionsOf(request: () => Promise<{ statusCode: number; body: string }>) {
  await sql`delete from tx_log`.execute(u.t.conn.db)
  const response = await request()
  expect(response.statusCode, response.body).toBeLessThan(300)
  const { rows } = await sql<{ what: string; tx: string }>`select what, tx from tx_log`.execute(u.t.conn.db)
  return new Map(rows.map((r) => [r.what, String(r.tx)]))
}

test.each([
  ['POST /contacts', 'contact:INSERT'],
  ['PATCH /contacts/{id}', 'contact:UPDATE'],
  ['POST /contacts/upsert', 'upsert_job:INSERT'],
])('%s stores its answer in the transaction of its write', async (route, write) => {
  const contact = await createContact(u.space)
  const key = `commit-${route}`
  const requests = {
    'POST /contacts': {
      method: 'POST',
      url: '/contacts',
      payload: { data: { contact: { surname: 'Once' } } },
    },
    'PATCH /contacts/{id}': {
      method: 'PATCH',
      url: `/contacts/${contact.id}`,
      payload: { data: { contact: { surname: 'Patched' } } },
    },
    'POST /contacts/upsert': {
      method: 'POST',
      url: '/contacts/upsert',
      payload: { kind: 'contact', data: { surname: 'Q' } },
    },
  } as const
  const send = () =>
    u.space.request({ ...requests[route as keyof typeof requests], headers: { 'idempotency-key': key } })
  const txs = await transactionsOf(send)
  expect(txs.get(write)).toBeDefined()
  expect(txs.get('idempotency_key:UPDATE')).toBe(txs.get(write))
  // and the same key replays that answer, writing nothing
  const first = await u.space.request({ method: 'GET', url: `/contacts/${contact.id}` })
  const replayed = await transactionsOf(send)
  expect(replayed.size).toBe(0)
  expect((await u.space.request({ method: 'GET', url: `/contacts/${contact.id}` })).body).toBe(first.body)
})
