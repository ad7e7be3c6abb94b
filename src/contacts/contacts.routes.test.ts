import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { type Space, type TestApp, testApp } from '../../test/app.ts'
import { aContact, aForm, createContact } from '../../test/fixtures.ts'
import { shapeDiff, writeSeed } from '../../test/shape.ts'

let t: TestApp
let space: Space

beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())
beforeEach(async () => {
  space = await t.newSpace()
})

const TEXT_NUMBERS = ['housenumber', 'postalcode', 'citycode', 'floor'].map((k) => `contact.address.${k}`)
const WRITE_RULES = {
  extraKeys: { 'contact.': { action_ids: [1] } },
  types: {
    ...Object.fromEntries(TEXT_NUMBERS.map((path) => [path, ['string']])),
    'contact.address.score': ['number'],
    'contact.address.invalid': ['boolean'],
    'contact.formdatas[].deleted_at': ['string'],
    'contact.formdatas[].donedate': ['string'],
    'contact.formdatas[].label': ['string'],
    'contact.formdatas[].type_of_form': ['string'],
    'contact.customfields[].deleted_at': ['string'],
    'contact.customfields[].donedate': ['string'],
    'contact.customfields[].label': ['string'],
    'contact.customfields[].type_of_form': ['string'],
  },
  nonNull: [
    ...['id', 'group_id', 'CreatedAt', 'UpdatedAt', 'lastchange', 'age_category', 'black_list'].map(
      (k) => `contact.${k}`,
    ),
    'contact.address.id',
    'contact.tags[].name',
    'contact.tags[].appearance_count',
    'contact.tags[].color',
    'contact.actions_ids[]',
    'contact.action_ids[]',
    ...['form_id', 'data', 'id', 'created_at', 'updated_at', 'date', 'group_id', 'contact_id'].flatMap(
      (k) => [`contact.formdatas[].${k}`, `contact.customfields[].${k}`],
    ),
    'contact.notes[].content',
    'contact.notes[].id',
    'contact.notes[].pinned',
  ],
}

/** A contact with every field of Qomon's contact shape filled in. */
async function fullContact(): Promise<Record<string, unknown>> {
  const survey = await aForm(t.conn.db, space.tenant, { type: 'radio' })
  const job = await aForm(t.conn.db, space.tenant, {
    type_of_form: 'custom_fields',
    type: 'text',
    label: 'Job',
  })
  return {
    firstname: 'Jeanne',
    surname: 'Dupont',
    married_name: 'Martin',
    gender: 'F',
    birthdate: '1955-07-06T00:00:00Z',
    age_category: 3,
    birth_dept: '75',
    birthcity: 'Paris',
    birth_country: 'France',
    nationality: 'FR',
    mail: 'jeanne.dupont@example.com',
    phone: '+33 1 23 45 67 89',
    mobile: '+33 6 12 34 56 78',
    black_list: true,
    user_contact_id: 7,
    address: {
      housenumber: 1,
      street: 'rue de la paix',
      postalcode: '01000',
      citycode: 75101,
      city: 'Paris',
      state: 'Ile-de-France',
      country: 'France',
      addition: 'Résidence de la paix',
      infos: 'Porte de gauche',
      building: 'Bâtiment A',
      floor: 2,
      door: 'A',
      pollingstation: 'BV-06',
      latitude: 48.8566,
      longitude: 2.3522,
    },
    tags: [{ name: 'volunteer', color: 'red' }, { name: 'donor' }],
    action_ids: [11, 12],
    formdatas: [{ form_id: survey.id, form_ref_id: survey.refvalues[0]!.id, data: 'yes' }],
    custom_fields: [{ form_id: job.id, data: 'Architect' }],
    notes: [{ content: 'Asked about the next event', pinned: true }, { content: 'Second note' }],
  }
}

describe('POST /contacts', () => {
  test('answers the write shape (test/seeds/write-shape.json), key for key and type for type', async () => {
    const response = await space.request({
      method: 'POST',
      url: '/contacts',
      payload: { data: { contact: await fullContact() } },
    })
    expect(response.statusCode).toBe(200)
    const body = response.json()
    expect(body.status).toBe('success')
    expect(shapeDiff(body.data, writeSeed.data, WRITE_RULES)).toEqual([])
    const c = body.data.contact
    expect(c).toMatchObject({
      group_id: space.groupId,
      firstname: 'Jeanne',
      birthdate: '1955-07-06T00:00:00Z',
      birthdept: '75',
      birthcountry: 'France',
      black_list: true,
      action_ids: [11, 12],
      actions_ids: [11, 12],
    })
    expect(c.address).toMatchObject({ housenumber: '1', postalcode: '01000', citycode: '75101', floor: '2' })
    expect(c.address).toMatchObject({
      latitude: '48.856600',
      longitude: '2.352200',
      location: '48.856600,2.352200',
      score: 1,
    })
    expect(c.CreatedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/)
    expect(c.lastchange).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    expect(c.tags).toEqual([
      { name: 'donor', appearance_count: 1, color: expect.stringMatching(/^#[0-9a-f]{6}$/) },
      { name: 'volunteer', appearance_count: 1, color: 'red' },
    ])
    expect(c.formdatas).toHaveLength(1)
    expect(c.formdatas[0]).toMatchObject({
      data: 'yes',
      deleted_at: null,
      contact_id: c.id,
      group_id: space.groupId,
    })
    expect(c.customfields).toHaveLength(1)
    expect(c.customfields[0].data).toBe('Architect')
    expect(c.notes.map((n: any) => [n.content, n.pinned])).toEqual([
      ['Asked about the next event', true],
      ['Second note', false],
    ])
  })

  test('a minimal contact has every key, with empty lists and black_list false', async () => {
    const response = await space.request({
      method: 'POST',
      url: '/contacts',
      payload: { data: { contact: { mail: 'a@b.co' } } },
    })
    expect(response.statusCode).toBe(200)
    const body = response.json()
    expect(shapeDiff(body.data, writeSeed.data, WRITE_RULES)).toEqual([])
    expect(body.data.contact).toMatchObject({
      black_list: false,
      tags: [],
      action_ids: [],
      notes: [],
      formdatas: [],
      age_category: 0,
    })
    expect(body.data.contact.address).toMatchObject({
      latitude: null,
      location: null,
      score: null,
      id: expect.any(Number),
    })
  })

  test('always creates: the same body twice makes two contacts, and an id in the body is ignored', async () => {
    const first = await createContact(space, { mail: 'twice@example.com' })
    const second = await createContact(space, { mail: 'twice@example.com', id: first.id })
    expect(second.id).not.toBe(first.id)
  })

  test('appearance_count counts the contacts of the space carrying the tag', async () => {
    await createContact(space, { tags: [{ name: 'vip' }] })
    await createContact(space, { tags: [{ name: 'vip' }, { name: 'other' }] })
    const third = await createContact(space, { tags: [{ name: 'vip' }] })
    expect(third.tags).toEqual([{ name: 'vip', appearance_count: 3, color: expect.any(String) }])
    const elsewhere = await t.newSpace()
    expect((await createContact(elsewhere, { tags: [{ name: 'vip' }] })).tags[0].appearance_count).toBe(1)
  })
})

describe('GET /contacts/{id}', () => {
  test('returns what POST returned', async () => {
    const created = await createContact(space, await fullContact())
    const response = await space.request({ method: 'GET', url: `/contacts/${created.id}` })
    expect(response.statusCode).toBe(200)
    expect(response.json().data.contact).toEqual(created)
    expect(shapeDiff(response.json().data, writeSeed.data, WRITE_RULES)).toEqual([])
  })
})

describe('PATCH /contacts/{id}', () => {
  test('is a full replace: what the body leaves out is cleared', async () => {
    const created = await createContact(space, await fullContact())
    const response = await space.request({
      method: 'PATCH',
      url: `/contacts/${created.id}`,
      payload: { data: { contact: { firstname: 'Anne' } } },
    })
    expect(response.statusCode).toBe(200)
    const c = response.json().data.contact
    expect(shapeDiff(response.json().data, writeSeed.data, WRITE_RULES)).toEqual([])
    expect(c).toMatchObject({
      id: created.id,
      firstname: 'Anne',
      surname: null,
      mail: null,
      birthdate: null,
      black_list: false,
      tags: [],
      action_ids: [],
      formdatas: [],
      customfields: [],
      notes: [],
    })
    expect(c.address).toMatchObject({ city: null, street: null, latitude: null, id: created.address.id })
    expect(c.CreatedAt).toBe(created.CreatedAt)
    expect(c.UpdatedAt >= created.UpdatedAt).toBe(true)
  })

  test('accepts unchanged the contact GET returned, and changes nothing', async () => {
    const created = await createContact(space, await fullContact())
    const before = (await space.request({ method: 'GET', url: `/contacts/${created.id}` })).json().data
      .contact
    const response = await space.request({
      method: 'PATCH',
      url: `/contacts/${created.id}`,
      payload: { data: { contact: before } },
    })
    expect(response.statusCode).toBe(200)
    const after = (await space.request({ method: 'GET', url: `/contacts/${created.id}` })).json().data.contact
    const { UpdatedAt: _u1, lastchange: _l1, ...stableBefore } = before
    const { UpdatedAt: _u2, lastchange: _l2, ...stableAfter } = after
    expect(stableAfter).toEqual(stableBefore)
  })

  test('a contact with every optional field empty (nulls from GET) is accepted back', async () => {
    const created = await createContact(space, { firstname: null, mail: null, surname: 'Only' })
    const before = (await space.request({ method: 'GET', url: `/contacts/${created.id}` })).json().data
      .contact
    expect(before.gender).toBeNull()
    const response = await space.request({
      method: 'PATCH',
      url: `/contacts/${created.id}`,
      payload: { data: { contact: before } },
    })
    expect(response.statusCode, response.body).toBe(200)
  })

  test('concurrent PATCHes that share tags all succeed (no deadlock reaches the client)', async () => {
    const names = ['a', 'b', 'c', 'd', 'e']
    const contacts = await Promise.all(Array.from({ length: 8 }, () => createContact(space)))
    const responses = await Promise.all(
      contacts.flatMap((c, i) =>
        [0, 1].map((round) => {
          const order = (i + round) % 2 === 0 ? names : [...names].reverse()
          return space.request({
            method: 'PATCH',
            url: `/contacts/${c.id}`,
            payload: { data: { contact: { surname: `S${round}`, tags: order.map((name) => ({ name })) } } },
          })
        }),
      ),
    )
    expect(responses.map((r) => r.statusCode)).toEqual(responses.map(() => 200))
    const tags = (await space.request({ method: 'GET', url: `/contacts/${contacts[0].id}` })).json().data
      .contact.tags
    expect(tags.map((t: any) => [t.name, t.appearance_count])).toEqual(names.map((n) => [n, 8]))
  })

  test('accepts the other spellings of the public API', async () => {
    const created = await createContact(space)
    const response = await space.request({
      method: 'PATCH',
      url: `/contacts/${created.id}`,
      payload: {
        data: {
          contact: {
            surname: 'Durand',
            birth_city: 'Lyon',
            actions_ids: [3],
            address: { house_number: '12 bis', postal_code: '69001', floor: 3 },
          },
        },
      },
    })
    expect(response.statusCode).toBe(200)
    const c = response.json().data.contact
    expect(c).toMatchObject({ birthcity: 'Lyon', action_ids: [3], actions_ids: [3] })
    expect(c.address).toMatchObject({ housenumber: '12 bis', postalcode: '69001', floor: '3' })
  })

  test('coordinates: kept while the address does not move, cleared when it does', async () => {
    const created = await createContact(space, {
      address: { street: 'rue A', city: 'Paris', latitude: 48.1, longitude: 2.2 },
    })
    const patch = (contact: object) =>
      space.request({
        method: 'PATCH',
        url: `/contacts/${created.id}`,
        payload: { data: { contact: { surname: 'X', ...contact } } },
      })
    let c = (await patch({ address: { street: 'rue A', city: 'Paris', door: 'B' } })).json().data.contact
    expect(c.address).toMatchObject({ latitude: '48.100000', longitude: '2.200000', score: 1, door: 'B' })
    c = (await patch({ address: { street: 'rue B', city: 'Paris' } })).json().data.contact
    expect(c.address).toMatchObject({ latitude: null, longitude: null, location: null, score: null })
  })

  test('notes with an id update that note; notes without one are created', async () => {
    const created = await createContact(space, { notes: [{ content: 'one' }, { content: 'two' }] })
    const [one] = created.notes
    const c = (
      await space.request({
        method: 'PATCH',
        url: `/contacts/${created.id}`,
        payload: {
          data: {
            contact: {
              surname: 'X',
              notes: [{ id: one.id, content: 'one, edited', pinned: true }, { content: 'three' }],
            },
          },
        },
      })
    ).json().data.contact
    expect(c.notes).toEqual([
      { id: one.id, content: 'one, edited', pinned: true },
      { id: expect.any(Number), content: 'three', pinned: false },
    ])
  })
})

describe('DELETE /contacts/{id}', () => {
  test('erases the contact and everything attached; a second delete is 404', async () => {
    const created = await createContact(space, await fullContact())
    const response = await space.request({ method: 'DELETE', url: `/contacts/${created.id}` })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({ status: 'success', data: { id: created.id } })
    for (const table of ['contact_tag', 'contact_action', 'form_data', 'note', 'interaction'] as const) {
      const rows = await t.conn.db
        .selectFrom(table)
        .select('contact_id')
        .where('group_id', '=', space.groupId)
        .where('contact_id', '=', created.id)
        .execute()
      expect(rows, table).toEqual([])
    }
    expect((await space.request({ method: 'GET', url: `/contacts/${created.id}` })).statusCode).toBe(404)
    expect((await space.request({ method: 'DELETE', url: `/contacts/${created.id}` })).statusCode).toBe(404)
  })
})

describe('spaces are sealed from each other', () => {
  test("another space's key gets 404 on every contact route and changes nothing", async () => {
    const created = await createContact(space, { surname: 'Private' })
    const intruder = await t.newSpace('intruder')
    const url = `/contacts/${created.id}`
    expect((await intruder.request({ method: 'GET', url })).statusCode).toBe(404)
    const patch = await intruder.request({
      method: 'PATCH',
      url,
      payload: { data: { contact: { surname: 'Hacked' } } },
    })
    expect(patch.statusCode).toBe(404)
    expect((await intruder.request({ method: 'DELETE', url })).statusCode).toBe(404)
    const after = (await space.request({ method: 'GET', url })).json().data.contact
    expect(after).toEqual(created)
  })
})

describe('bad input', () => {
  test('422 names the field and changes nothing', async () => {
    const created = await createContact(space, { surname: 'Kept' })
    const response = await space.request({
      method: 'PATCH',
      url: `/contacts/${created.id}`,
      payload: { data: { contact: { surname: 'Changed', mail: 'not-an-address' } } },
    })
    expect(response.statusCode).toBe(422)
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/)
    const problem = response.json()
    expect(problem).toMatchObject({
      type: 'about:blank',
      title: 'Unprocessable Entity',
      status: 422,
      instance: `/contacts/${created.id}`,
    })
    expect(problem.errors).toEqual([
      {
        location: 'body.data.contact.mail',
        message: expect.stringContaining('e-mail'),
        value: 'not-an-address',
      },
    ])
    expect(
      (await space.request({ method: 'GET', url: `/contacts/${created.id}` })).json().data.contact.surname,
    ).toBe('Kept')
  })

  test('422 when a form answer names an unknown form, and nothing is written', async () => {
    const created = await createContact(space, { surname: 'Kept', tags: [{ name: 'keep' }] })
    const response = await space.request({
      method: 'PATCH',
      url: `/contacts/${created.id}`,
      payload: {
        data: { contact: { surname: 'Changed', tags: [], formdatas: [{ form_id: 999999, data: 'x' }] } },
      },
    })
    expect(response.statusCode).toBe(422)
    expect(response.json().errors[0].location).toBe('body.data.contact.formdatas[0].form_id')
    const after = (await space.request({ method: 'GET', url: `/contacts/${created.id}` })).json().data.contact
    expect(after).toMatchObject({ surname: 'Kept', tags: [{ name: 'keep' }] })
  })

  test.each([
    ['no identifying field', { married_name: 'x' }, 'body.data.contact'],
    ['a wrong type', { surname: 'x', age_category: 'old' }, 'body.data.contact.age_category'],
    ['an unknown gender', { surname: 'x', gender: 'X' }, 'body.data.contact.gender'],
    ['a bad date', { surname: 'x', birthdate: '06/07/1955' }, 'body.data.contact.birthdate'],
    ['a tag without a name', { surname: 'x', tags: [{ color: 'red' }] }, 'body.data.contact.tags[0].name'],
  ])('POST with %s → 422 at %s', async (_name, contact, location) => {
    const response = await space.request({ method: 'POST', url: '/contacts', payload: { data: { contact } } })
    expect(response.statusCode).toBe(422)
    expect(response.json().errors.map((e: any) => e.location)).toContain(location)
  })

  test('POST without the data.contact envelope → 422', async () => {
    const response = await space.request({
      method: 'POST',
      url: '/contacts',
      payload: { contact: aContact() },
    })
    expect(response.statusCode).toBe(422)
    expect(response.json().errors[0].location).toBe('body.data')
  })

  test('malformed JSON → 400 problem', async () => {
    const response = await space.request({
      method: 'POST',
      url: '/contacts',
      headers: { 'content-type': 'application/json' },
      payload: '{"data": {',
    })
    expect(response.statusCode).toBe(400)
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(response.json()).toMatchObject({
      status: 400,
      title: 'Bad Request',
      detail: expect.stringContaining('JSON'),
    })
  })

  test('a body over the limit → 413 problem', async () => {
    const big = 'x'.repeat(1024 * 1024 + 10)
    const response = await space.request({
      method: 'POST',
      url: '/contacts',
      payload: { data: { contact: { surname: big } } },
    })
    expect(response.statusCode).toBe(413)
    expect(response.json()).toMatchObject({ status: 413, title: 'Payload Too Large' })
  })

  test('missing, malformed or revoked key → 401 problem', async () => {
    const created = await createContact(space)
    const url = `/contacts/${created.id}`
    for (const authorization of [undefined, 'Bearer nope', 'Basic abc', 'Bearer ']) {
      const headers = authorization === undefined ? {} : { authorization }
      const response = await t.app.inject({ method: 'GET', url, headers })
      expect(response.statusCode, String(authorization)).toBe(401)
      expect(response.json()).toMatchObject({ status: 401, title: 'Unauthorized' })
    }
  })

  test('unknown id → 404 problem', async () => {
    const response = await space.request({ method: 'GET', url: '/contacts/987654321' })
    expect(response.statusCode).toBe(404)
    expect(response.json()).toMatchObject({ status: 404, detail: 'Contact 987654321 not found', errors: [] })
  })

  test('PATCH of an unknown id is 404 whatever the body, and a known one without identity is 422', async () => {
    const patch = (id: number, contact: object) =>
      space.request({ method: 'PATCH', url: `/contacts/${id}`, payload: { data: { contact } } })
    for (const contact of [{ surname: 'Known' }, { gender: 'F' }]) {
      const response = await patch(987654321, contact)
      expect(response.statusCode, JSON.stringify(contact)).toBe(404)
    }
    const created = await createContact(space, { surname: 'Kept' })
    const response = await patch(created.id, { gender: 'F' })
    expect(response.statusCode).toBe(422)
    expect(response.json().errors[0].message).toContain('at least one of firstname')
    const after = await space.request({ method: 'GET', url: `/contacts/${created.id}` })
    expect(after.json().data.contact).toMatchObject({ surname: 'Kept', gender: null })
  })
  test('"" is no value for every field, mail included (stored as null); a birthdate in year 0 is a 422', async () => {
    const created = await createContact(space, { surname: 'Blank', mail: '', phone: '' })
    expect(created).toMatchObject({ surname: 'Blank', mail: null, phone: null })
    const response = await space.request({
      method: 'POST',
      url: '/contacts',
      payload: { data: { contact: { surname: 'Year zero', birthdate: '0000-01-01' } } },
    })
    expect(response.statusCode).toBe(422)
    expect(response.json().errors[0].location).toBe('body.data.contact.birthdate')
  })
})
