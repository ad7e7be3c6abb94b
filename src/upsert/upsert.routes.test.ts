import { describe, expect, test } from 'vitest'
import { testConfig } from '../../test/app.ts'
import { aForm, createContact } from '../../test/fixtures.ts'
import { as, getContact, upsert, useWorkerApp } from '../../test/upsert.ts'
import { buildApp } from '../app.ts'

const u = useWorkerApp()

const run = (data: unknown) => upsert(u.app, u.space.key, data)
const read = (id: number) => getContact(u.app, u.space.key, id)

describe('the request', () => {
  test('answers 202 with an upsert_id at once; the receipt says what happened', async () => {
    const response = await u.space.request({
      method: 'POST',
      url: '/contacts/upsert',
      payload: { kind: 'contact', data: { firstname: 'Ada', surname: 'Lovelace' } },
    })
    expect(response.statusCode).toBe(202)
    const body = response.json()
    expect(body).toEqual({ status: 'success', data: { upsert_id: expect.any(Number) } })
    const receipt = await run({ firstname: 'Grace', surname: 'Hopper' })
    expect(receipt).toEqual({
      id: expect.any(Number),
      status: 'done',
      contact_id: expect.any(Number),
      rule: 'created',
      reason: null,
    })
    expect((await read(receipt.contact_id)).surname).toBe('Hopper')
  })

  test.each([
    [{ kind: 'person', data: {} }, 'body.kind'],
    [{ kind: 'contact', data: 'x' }, 'body.data'],
    [{ kind: 'contact' }, 'body.data'],
  ])('a bad envelope is a 422 (%j)', async (payload, location) => {
    const response = await u.space.request({ method: 'POST', url: '/contacts/upsert', payload })
    expect(response.statusCode).toBe(422)
    expect(response.json().errors.map((e: { location: string }) => e.location)).toContain(location)
  })

  test('an upsert and a receipt cost 1 rate-limit token each', async () => {
    const limited = await buildApp({
      config: { ...testConfig, rateLimit: { enabled: true, burst: 100, rate: 10 } },
      db: u.t.conn.db,
    })
    try {
      const posted = await as(limited, u.space.key, {
        method: 'POST',
        url: '/contacts/upsert',
        payload: { kind: 'contact', data: { surname: 'Cost' } },
      })
      expect(posted.statusCode).toBe(202)
      expect(posted.headers['x-ratelimit-cost']).toBe('1')
      const id = posted.json().data.upsert_id
      const got = await as(limited, u.space.key, { method: 'GET', url: `/contacts/upsert/${id}` })
      expect(got.headers['x-ratelimit-cost']).toBe('1')
    } finally {
      await limited.close()
    }
  })

  test("another space's receipt is a 404", async () => {
    const receipt = await run({ surname: 'Mine' })
    const other = await u.t.newSpace()
    const response = await other.request({ method: 'GET', url: `/contacts/upsert/${receipt.id}` })
    expect(response.statusCode).toBe(404)
  })
})

describe('rejections name the reason and change nothing', () => {
  test.each([
    [{ status: [{ id: 999_999, value: 'x' }] }, /data\.status\[0\]: no level_of_support form with id 999999/],
    [{ consents: [{ label: 'Nope', value: 'x' }] }, /no consent form with label "Nope"/],
    [{ forms: [{ label: 'Question', value: 'never' }] }, /has no value "never"/],
    [{ favourite_colour: 'blue' }, /unknown key data\.favourite_colour/],
    [{ address: { planet: 'Mars' } }, /unknown key data\.address\.planet/],
    [{ mail: 'not-a-mail' }, /data\.mail/],
  ])('%j', async (extra, reason) => {
    await aForm(u.t.conn.db, u.space.tenant, { label: 'Question' })
    const c = await createContact(u.space, { firstname: 'Before', tags: [] })
    const r = await run({ id: c.id, firstname: 'After', tags: [{ name: 'new' }], ...extra })
    expect(r).toMatchObject({ status: 'rejected', contact_id: null, rule: null })
    expect(r.reason).toMatch(reason)
    const after = await read(c.id)
    expect(after.firstname).toBe('Before')
    expect(after.tags).toEqual([])
    expect(after.UpdatedAt).toBe(c.UpdatedAt)
  })
})

test('a whole contact as GET returned it can be upserted back: nothing changes but UpdatedAt', async () => {
  const c = await createContact(u.space, {
    firstname: 'Round',
    surname: 'Trip',
    birthdate: '1970-01-02',
    tags: [{ name: 'vip' }],
    notes: [{ content: 'hello', pinned: true }],
    address: { street: 'Rue', city: 'Paris', postalcode: '75001', latitude: 48.85, longitude: 2.35 },
  })
  const before = await read(c.id)
  const r = await run(before)
  expect(r).toMatchObject({ status: 'done', rule: 'id', contact_id: c.id })
  const after = await read(c.id)
  expect({ ...after, UpdatedAt: null }).toEqual({ ...before, UpdatedAt: null })
  expect(after.UpdatedAt > before.UpdatedAt).toBe(true)
})

test('changes show in search once the receipt is done', async () => {
  const r = await run({ firstname: 'Searchable', surname: 'Person', mail: 'findme@example.com' })
  const response = await as(u.app, u.space.key, {
    method: 'POST',
    url: '/search',
    payload: {
      data: {
        advanced_search: {
          per_page: 10,
          query: {
            $all: [
              {
                $all: [{ $condition: { attr: 'mail', ope: 'eql:strictdata', value: 'findme@example.com' } }],
              },
            ],
          },
        },
      },
    },
  })
  expect(response.statusCode, response.body).toBe(200)
  expect(response.json().data.contacts.map((x: { id: number }) => x.id)).toEqual([r.contact_id])
})

test('a value the database refuses rejects the record instead of retrying it', async () => {
  const c = await createContact(u.space, { firstname: 'Before' })
  const r = await run({ id: c.id, firstname: 'After', age_category: 3_000_000_000 })
  expect(r).toMatchObject({ status: 'rejected' })
  expect(r.reason).toMatch(/invalid data: .*out of range/)
  expect((await read(c.id)).firstname).toBe('Before')
})

test('an update may clear names, but not every field that identifies the contact', async () => {
  const alone = await createContact(u.space, { firstname: 'Only', surname: null, mail: null })
  const refused = await run({ id: alone.id, firstname: null })
  expect(refused).toMatchObject({ status: 'rejected', contact_id: null })
  expect(refused.reason).toMatch(/clear every one of firstname, surname, mail, phone, mobile/)
  const kept = await read(alone.id)
  expect(kept.firstname).toBe('Only')
  // and what GET returns can still be PATCHed back
  const patched = await u.space.request({
    method: 'PATCH',
    url: `/contacts/${alone.id}`,
    payload: { data: { contact: kept } },
  })
  expect(patched.statusCode, patched.body).toBe(200)

  const withMail = await createContact(u.space, { firstname: 'Named', surname: null })
  expect(await run({ id: withMail.id, firstname: null })).toMatchObject({ status: 'done' })
  expect((await read(withMail.id)).firstname).toBeNull()
})

test('a contact as search returned it (search shape) can be upserted back', async () => {
  const c = await createContact(u.space, {
    firstname: 'Search',
    surname: 'Shape',
    tags: [{ name: 'x' }],
    notes: [{ content: 'pinned note', pinned: true }],
    address: { city: 'Lille', postalcode: '59000', latitude: 50.63, longitude: 3.06 },
  })
  const found = await as(u.app, u.space.key, {
    method: 'POST',
    url: '/search',
    payload: {
      data: {
        advanced_search: {
          per_page: 10,
          include_interactions: true,
          query: { $all: [{ $all: [{ $condition: { attr: 'id', ope: 'eql', value: String(c.id) } }] }] },
        },
      },
    },
  })
  expect(found.statusCode, found.body).toBe(200)
  const [searched] = found.json().data.contacts
  expect(searched.id).toBe(c.id)
  const before = await read(c.id)
  expect(await run(searched)).toMatchObject({ status: 'done', rule: 'id', contact_id: c.id })
  const after = await read(c.id)
  expect({ ...after, UpdatedAt: null }).toEqual({ ...before, UpdatedAt: null })
})
