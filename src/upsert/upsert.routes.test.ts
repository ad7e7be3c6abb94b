import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { type Space, type TestApp, testApp, testConfig } from '../../test/app.ts'
import { aForm, createContact } from '../../test/fixtures.ts'
import { buildApp } from '../app.ts'
import { as, getContact, upsert, workerApp } from './upsert.testing.ts'

let t: TestApp
let app: FastifyInstance
let space: Space

beforeAll(async () => {
  t = await testApp()
  app = await workerApp(t.conn.db)
})
afterAll(async () => {
  await app.close()
  await t.close()
})
beforeEach(async () => {
  space = await t.newSpace()
})

const run = (data: unknown) => upsert(app, space.key, data)
const read = (id: number) => getContact(app, space.key, id)

describe('the request', () => {
  test('answers 202 with an upsert_id at once; the receipt says what happened', async () => {
    const response = await space.request({
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
    const response = await space.request({ method: 'POST', url: '/contacts/upsert', payload })
    expect(response.statusCode).toBe(422)
    expect(response.json().errors.map((e: { location: string }) => e.location)).toContain(location)
  })

  test('an upsert and a receipt cost 1 rate-limit token each', async () => {
    const limited = await buildApp({
      config: { ...testConfig, rateLimit: { enabled: true, burst: 100, rate: 10 } },
      db: t.conn.db,
    })
    try {
      const posted = await as(limited, space.key, {
        method: 'POST',
        url: '/contacts/upsert',
        payload: { kind: 'contact', data: { surname: 'Cost' } },
      })
      expect(posted.statusCode).toBe(202)
      expect(posted.headers['x-ratelimit-cost']).toBe('1')
      const id = posted.json().data.upsert_id
      const got = await as(limited, space.key, { method: 'GET', url: `/contacts/upsert/${id}` })
      expect(got.headers['x-ratelimit-cost']).toBe('1')
    } finally {
      await limited.close()
    }
  })

  test("another space's receipt is a 404", async () => {
    const receipt = await run({ surname: 'Mine' })
    const other = await t.newSpace()
    const response = await other.request({ method: 'GET', url: `/contacts/upsert/${receipt.id}` })
    expect(response.statusCode).toBe(404)
  })
})

describe('matching, in order', () => {
  test('by id (contact id), and an unknown id is rejected, not created', async () => {
    const c = await createContact(space, { firstname: 'Jean', surname: 'Valjean', mail: 'jv@example.com' })
    expect(await run({ id: c.id, phone: '0102' })).toMatchObject({
      status: 'done',
      rule: 'id',
      contact_id: c.id,
    })
    const unknown = await run({ id: c.id + 100_000, surname: 'Nobody' })
    expect(unknown).toMatchObject({ status: 'rejected', contact_id: null, rule: null })
    expect(unknown.reason).toMatch(/unknown id/)
  })

  test('by id matching a NationBuilder id, and by the nationbuilderid field', async () => {
    const c = await createContact(space, { nationbuilderid: 777 })
    expect(await run({ id: 777, phone: '1' })).toMatchObject({ rule: 'id', contact_id: c.id })
    expect(await run({ nationbuilderid: 777, phone: '2' })).toMatchObject({ rule: 'id', contact_id: c.id })
    expect((await read(c.id)).phone).toBe('2')
  })

  test('id comes before mail', async () => {
    const a = await createContact(space, { mail: 'a@example.com' })
    await createContact(space, { mail: 'b@example.com' })
    expect(await run({ id: a.id, mail: 'b@example.com' })).toMatchObject({ rule: 'id', contact_id: a.id })
  })

  test('by mail, trimmed and case-insensitive; names must match when given', async () => {
    const c = await createContact(space, { firstname: 'Émile', surname: 'Zola', mail: 'emile@example.com' })
    expect(await run({ mail: '  EMILE@Example.com ' })).toMatchObject({ rule: 'mail', contact_id: c.id })
    expect(await run({ mail: 'emile@example.com', firstname: ' emile ', surname: 'ZOLA' })).toMatchObject({
      rule: 'mail',
      contact_id: c.id,
    })
    expect(await run({ mail: 'emile@example.com', firstname: '', surname: 'zola' })).toMatchObject({
      rule: 'mail',
      contact_id: c.id,
    })
    const other = await run({ mail: 'emile@example.com', firstname: 'Paul' })
    expect(other).toMatchObject({ rule: 'created' })
    expect(other.contact_id).not.toBe(c.id)
  })

  test('mail comes before names + birthdate + address', async () => {
    const byNames = await createContact(space, { firstname: 'Anna', surname: 'Karenine', mail: null })
    const byMail = await createContact(space, {
      firstname: 'Anna',
      surname: 'Karenine',
      mail: 'ak@example.com',
    })
    expect(byNames.id).not.toBe(byMail.id)
    const r = await run({ firstname: 'Anna', surname: 'Karenine', mail: 'ak@example.com' })
    expect(r).toMatchObject({ rule: 'mail', contact_id: byMail.id })
  })

  test('by surname + firstname (accents, case, spaces ignored) + birthdate', async () => {
    const c = await createContact(space, {
      firstname: 'Héloïse',
      surname: 'Dupré',
      mail: null,
      birthdate: '1980-05-01',
    })
    expect(await run({ firstname: ' HELOISE', surname: 'dupre ', birthdate: '1980-05-01' })).toMatchObject({
      rule: 'names_birthdate_address',
      contact_id: c.id,
    })
    // a birthdate on one side only is not compared
    expect(await run({ firstname: 'Heloise', surname: 'Dupre' })).toMatchObject({ contact_id: c.id })
    const other = await run({ firstname: 'Heloise', surname: 'Dupre', birthdate: '1981-05-01' })
    expect(other).toMatchObject({ rule: 'created' })
  })

  test('when both have an address: city or postal code, and the street when no birthdates were compared', async () => {
    const c = await createContact(space, {
      firstname: 'Marc',
      surname: 'Bloch',
      mail: null,
      address: { street: 'Rue A', city: 'Lyon', postalcode: '69001' },
    })
    const sameCity = { firstname: 'Marc', surname: 'Bloch', address: { city: 'LYON', street: 'rue a' } }
    expect(await run(sameCity)).toMatchObject({ rule: 'names_birthdate_address', contact_id: c.id })
    const samePostcodeOtherStreet = {
      firstname: 'Marc',
      surname: 'Bloch',
      address: { postalcode: '69001', street: 'Rue B' },
    }
    expect(await run(samePostcodeOtherStreet)).toMatchObject({ rule: 'created' })
  })

  test('with birthdates compared, the street need not match; another city does not match', async () => {
    const c = await createContact(space, {
      firstname: 'Rosa',
      surname: 'Parks',
      mail: null,
      birthdate: '1913-02-04',
      address: { street: 'Rue A', city: 'Paris' },
    })
    const base = { firstname: 'Rosa', surname: 'Parks', birthdate: '1913-02-04' }
    expect(await run({ ...base, address: { city: 'Paris', street: 'Rue Z' } })).toMatchObject({
      contact_id: c.id,
    })
    expect(await run({ ...base, address: { city: 'Nantes' } })).toMatchObject({ rule: 'created' })
  })

  test('several matches → the most recently updated', async () => {
    const older = await createContact(space, { mail: 'twin@example.com', firstname: 'A' })
    const newer = await createContact(space, { mail: 'twin@example.com', firstname: 'B' })
    expect(await run({ mail: 'twin@example.com', phone: '1' })).toMatchObject({ contact_id: newer.id })
    await run({ id: older.id, phone: '2' }) // now the older one is the most recently updated
    expect(await run({ mail: 'twin@example.com', phone: '3' })).toMatchObject({ contact_id: older.id })
  })

  test('no match and nothing to identify a new contact → rejected', async () => {
    const r = await run({ nationality: 'FR' })
    expect(r).toMatchObject({ status: 'rejected' })
    expect(r.reason).toMatch(/firstname, surname, mail, phone, mobile/)
  })
})

describe('merge', () => {
  test('present replaces, absent and "" leave, null clears; lastchange stays, UpdatedAt moves', async () => {
    const c = await createContact(space, {
      firstname: 'Ana',
      surname: 'Lima',
      phone: '0101',
      mobile: '0606',
      nationality: 'BR',
      address: { city: 'Recife', street: 'Rua 1' },
    })
    const r = await run({
      id: c.id,
      firstname: 'Anna',
      phone: '',
      mobile: null,
      address: { city: null, postalcode: 50000 },
    })
    expect(r).toMatchObject({ status: 'done', rule: 'id' })
    const after = await read(c.id)
    expect(after).toMatchObject({
      firstname: 'Anna',
      surname: 'Lima',
      phone: '0101',
      mobile: null,
      nationality: 'BR',
    })
    expect(after.address).toMatchObject({ city: null, street: 'Rua 1', postalcode: '50000' })
    expect(after.lastchange).toBe(c.lastchange)
    expect(after.UpdatedAt > c.UpdatedAt).toBe(true)
  })

  test('tags are added; notes with an id update it, without one are appended', async () => {
    const c = await createContact(space, { tags: [{ name: 'a' }], notes: [{ content: 'first' }] })
    const noteId = c.notes[0].id
    await run({
      id: c.id,
      tags: [{ name: 'b' }],
      notes: [{ id: noteId, content: 'first, edited' }, { content: 'second' }],
    })
    const after = await read(c.id)
    expect(after.tags.map((tag: { name: string }) => tag.name).sort()).toEqual(['a', 'b'])
    expect(after.notes.map((n: { id: number; content: string }) => [n.id === noteId, n.content])).toEqual([
      [true, 'first, edited'],
      [false, 'second'],
    ])
  })

  test('radio replaces, checkbox adds, text accumulates; forms by id or label, values by value or label', async () => {
    const db = t.conn.db
    const support = await aForm(db, space.tenant, {
      type_of_form: 'level_of_support',
      label: 'Soutien',
      refvalues: [
        { label: 'Supporter', value: 'supporter' },
        { label: 'Donor', value: 'donor' },
      ],
    })
    const consent = await aForm(db, space.tenant, {
      type_of_form: 'consent',
      type: 'checkbox',
      label: 'Consents',
      refvalues: [
        { label: 'E-mail', value: 'consent_email' },
        { label: 'SMS', value: 'consent_sms' },
      ],
    })
    const job = await aForm(db, space.tenant, { type_of_form: 'custom_fields', type: 'text', label: 'Job' })
    const c = await createContact(space)
    await run({
      id: c.id,
      status: [{ id: support.id, value: 'supporter' }],
      consents: [{ label: 'Consents', value: 'consent_email' }],
      custom_fields: [{ label: 'Job', value: 'Baker' }],
    })
    await run({
      id: c.id,
      status: [{ label: 'Soutien', value: 'Donor' }],
      consents: [{ id: consent.id, value: 'SMS' }],
      custom_fields: [{ id: job.id, value: 'Cook' }],
    })
    const after = await read(c.id)
    const dataOf = (list: { form_id: number; data: string }[], formId: number) =>
      list
        .filter((a) => a.form_id === formId)
        .map((a) => a.data)
        .sort()
    expect(dataOf(after.formdatas, support.id)).toEqual(['donor'])
    expect(dataOf(after.formdatas, consent.id)).toEqual(['consent_email', 'consent_sms'])
    expect(dataOf(after.customfields, job.id)).toEqual(['Baker', 'Cook'])
  })

  test('name_presences and presence_status both write the presence form', async () => {
    const presence = await aForm(t.conn.db, space.tenant, {
      type_of_form: 'presence_status',
      label: 'Presence',
      refvalues: [
        { label: 'Present', value: 'present' },
        { label: 'Absent', value: 'absent' },
      ],
    })
    const c = await createContact(space)
    await run({ id: c.id, name_presences: [{ id: presence.id, value: 'present' }] })
    expect((await read(c.id)).formdatas.map((a: { data: string }) => a.data)).toEqual(['present'])
    await run({ id: c.id, presence_status: [{ label: 'Presence', value: 'absent' }] })
    expect((await read(c.id)).formdatas.map((a: { data: string }) => a.data)).toEqual(['absent'])
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
    await aForm(t.conn.db, space.tenant, { label: 'Question' })
    const c = await createContact(space, { firstname: 'Before', tags: [] })
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
  const c = await createContact(space, {
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
  const response = await as(app, space.key, {
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
  if (response.statusCode === 404) return // the search module has not landed in this tree
  expect(response.statusCode, response.body).toBe(200)
  expect(response.json().data.contacts.map((x: { id: number }) => x.id)).toEqual([r.contact_id])
})

test('a value the database refuses rejects the record instead of retrying it', async () => {
  const c = await createContact(space, { firstname: 'Before' })
  const r = await run({ id: c.id, firstname: 'After', age_category: 3_000_000_000 })
  expect(r).toMatchObject({ status: 'rejected' })
  expect(r.reason).toMatch(/invalid data: .*out of range/)
  expect((await read(c.id)).firstname).toBe('Before')
})
