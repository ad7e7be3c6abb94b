import { sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { type Space, type TestApp, testApp } from '../../test/app.ts'
import { aContact, createContact } from '../../test/fixtures.ts'

let t: TestApp
let space: Space

beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())
beforeEach(async () => {
  space = await t.newSpace()
})

const countContacts = async () =>
  (
    await t.conn.db
      .selectFrom('contact')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('group_id', '=', space.groupId)
      .executeTakeFirstOrThrow()
  ).n
const countJobs = async () =>
  (
    await t.conn.db
      .selectFrom('upsert_job')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('group_id', '=', space.groupId)
      .executeTakeFirstOrThrow()
  ).n

const send = (method: 'POST' | 'PATCH', url: string, payload: unknown, key?: string) =>
  space.request({ method, url, payload: payload as object, headers: key ? { 'idempotency-key': key } : {} })

describe.each([
  [
    'POST /contacts',
    'POST' as const,
    () => '/contacts',
    () => ({ data: { contact: aContact() } }),
    countContacts,
  ],
  [
    'POST /contacts/upsert',
    'POST' as const,
    () => '/contacts/upsert',
    () => ({ kind: 'contact', data: aContact() }),
    countJobs,
  ],
])('%s', (_name, method, url, body, count) => {
  test('same key and body → the first answer again, and no second write', async () => {
    const payload = body()
    const first = await send(method, url(), payload, 'key-1')
    expect(first.statusCode).toBeLessThan(300)
    const before = await count()
    const again = await send(method, url(), payload, 'key-1')
    expect(again.statusCode).toBe(first.statusCode)
    expect(again.body).toBe(first.body)
    expect(again.headers['content-type']).toBe(first.headers['content-type'])
    expect(again.headers['idempotent-replayed']).toBe('true')
    expect(await count()).toBe(before)
  })

  test('same key, another body → 422 naming the header; nothing written', async () => {
    await send(method, url(), body(), 'key-2')
    const before = await count()
    const other = await send(method, url(), body(), 'key-2')
    expect(other.statusCode).toBe(422)
    expect(other.json().errors[0].location).toBe('headers.idempotency-key')
    expect(await count()).toBe(before)
  })

  test('without a key, or with another key, each request writes', async () => {
    const payload = body()
    const before = await count()
    await send(method, url(), payload)
    await send(method, url(), payload)
    await send(method, url(), payload, 'a')
    await send(method, url(), payload, 'b')
    expect(await count()).toBe(before + 4)
  })
})

test('PATCH /contacts/{id}: a replay does not write again (UpdatedAt stays)', async () => {
  const c = await createContact(space)
  const payload = { data: { contact: { ...aContact(), firstname: 'Patched' } } }
  const first = await send('PATCH', `/contacts/${c.id}`, payload, 'patch-1')
  expect(first.statusCode).toBe(200)
  const again = await send('PATCH', `/contacts/${c.id}`, payload, 'patch-1')
  expect(again.body).toBe(first.body)
  const now = await space.request({ method: 'GET', url: `/contacts/${c.id}` })
  expect(now.json().data.contact.UpdatedAt).toBe(first.json().data.contact.UpdatedAt)
  // the same key on another contact is another request
  const other = await createContact(space)
  expect((await send('PATCH', `/contacts/${other.id}`, payload, 'patch-1')).statusCode).toBe(422)
})

test('an error answer is replayed too; keys belong to a space', async () => {
  const bad = { data: { contact: { nationality: 'FR' } } } // no identity field → 422 from the service
  const first = await send('POST', '/contacts', bad, 'k')
  expect(first.statusCode).toBe(422)
  expect((await send('POST', '/contacts', bad, 'k')).body).toBe(first.body)
  const other = await t.newSpace()
  const response = await other.request({
    method: 'POST',
    url: '/contacts',
    payload: { data: { contact: aContact() } },
    headers: { 'idempotency-key': 'k' },
  })
  expect(response.statusCode).toBe(200)
})

test('concurrent duplicates: one writes, the others get 409 or the replay', async () => {
  const payload = { data: { contact: aContact() } }
  const answers = await Promise.all([1, 2, 3, 4].map(() => send('POST', '/contacts', payload, 'race')))
  expect(await countContacts()).toBe(1)
  const ok = answers.filter((a) => a.statusCode === 200)
  expect(ok.length).toBeGreaterThanOrEqual(1)
  for (const a of ok) expect(a.body).toBe(ok[0]!.body)
  for (const a of answers) expect([200, 409]).toContain(a.statusCode)
})

test('after 24 h the key can be used again', async () => {
  const payload = { data: { contact: aContact() } }
  await send('POST', '/contacts', payload, 'old')
  await sql`update idempotency_key set created_at = now() - interval '25 hours'
            where group_id = ${space.groupId} and key = 'old'`.execute(t.conn.db)
  const again = await send('POST', '/contacts', payload, 'old')
  expect(again.statusCode).toBe(200)
  expect(again.headers['idempotent-replayed']).toBeUndefined()
  expect(await countContacts()).toBe(2)
})

test('a key longer than 255 characters is a 422', async () => {
  const response = await send('POST', '/contacts', { data: { contact: aContact() } }, 'x'.repeat(256))
  expect(response.statusCode).toBe(422)
  expect(await countContacts()).toBe(0)
})
