// Bad input is always a 4xx that says what to fix, never a 500 (docs/api.md): values that pass
// a JSON type check but that PostgreSQL cannot hold (the character U+0000, integers past the
// column's range) are refused before anything is written.
import { describe, expect, test } from 'vitest'
import { useApp } from '../app.ts'
import { aForm, createContact } from '../fixtures.ts'

const u = useApp()

const NUL = 'a\u0000b'
const HUGE = 2 ** 63 // past bigint, and past the integers JSON numbers hold exactly

const contactCount = async () =>
  Number(
    (
      await u.t.conn.db
        .selectFrom('contact')
        .where('group_id', '=', u.space.groupId)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

describe('a 422 naming the field, and nothing written', () => {
  test.each([
    ['U+0000 in a name', { surname: NUL }, 'body.data.contact.surname'],
    [
      'U+0000 in an address field',
      { surname: 'x', address: { city: NUL } },
      'body.data.contact.address.city',
    ],
    ['U+0000 in a tag', { surname: 'x', tags: [{ name: NUL }] }, 'body.data.contact.tags[0].name'],
    [
      'age_category past a 4-byte integer',
      { surname: 'x', age_category: 2 ** 31 },
      'body.data.contact.age_category',
    ],
    ['an action id past bigint', { surname: 'x', action_ids: [HUGE] }, 'body.data.contact.action_ids[0]'],
    [
      'a nationbuilderid past bigint',
      { surname: 'x', nationbuilderid: HUGE },
      'body.data.contact.nationbuilderid',
    ],
    [
      'a form id past bigint',
      { surname: 'x', formdatas: [{ form_id: HUGE, data: 'x' }] },
      'body.data.contact.formdatas[0].form_id',
    ],
  ])('POST /contacts with %s', async (_name, contact, location) => {
    const before = await contactCount()
    const response = await u.space.request({
      method: 'POST',
      url: '/contacts',
      payload: { data: { contact } },
    })
    expect(response.statusCode).toBe(422)
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(response.json().errors.map((e: { location: string }) => e.location)).toContain(location)
    expect(await contactCount()).toBe(before)
  })

  // strings a JSON number coercion turns into ±Infinity: not integers, whatever the spelling
  test.each(['1e400', 'Infinity', '-Infinity', '1e308'])(
    'POST and PATCH /contacts with %s as an action id or a form id → 422 at it',
    async (value) => {
      const form = await aForm(u.t.conn.db, u.space.tenant)
      const created = await createContact(u.space, { surname: 'Infinite' })
      for (const [contact, location] of [
        [{ surname: 'x', action_ids: [value] }, 'body.data.contact.action_ids[0]'],
        [{ surname: 'x', actions_ids: [1, value] }, 'body.data.contact.actions_ids[1]'],
        [
          { surname: 'x', formdatas: [{ form_id: value, data: 'yes' }] },
          'body.data.contact.formdatas[0].form_id',
        ],
        [
          { surname: 'x', custom_fields: [{ form_id: form.id, form_ref_id: value }] },
          'body.data.contact.custom_fields[0].form_ref_id',
        ],
      ] as const) {
        for (const [method, url] of [
          ['POST', '/contacts'],
          ['PATCH', `/contacts/${created.id}`],
        ] as const) {
          const before = await contactCount()
          const response = await u.space.request({ method, url, payload: { data: { contact } } })
          expect(response.statusCode, `${method} ${JSON.stringify(contact)}: ${response.body}`).toBe(422)
          expect(response.json().errors.map((e: { location: string }) => e.location)).toContain(location)
          expect(await contactCount()).toBe(before)
        }
      }
      const after = (await u.space.request({ method: 'GET', url: `/contacts/${created.id}` })).json().data
        .contact
      expect(after.surname).toBe('Infinite')
    },
  )

  test('PATCH with U+0000 in a note leaves the contact as it was', async () => {
    const created = await createContact(u.space, { surname: 'Kept', notes: [{ content: 'kept' }] })
    const response = await u.space.request({
      method: 'PATCH',
      url: `/contacts/${created.id}`,
      payload: { data: { contact: { surname: 'Changed', notes: [{ content: NUL }] } } },
    })
    expect(response.statusCode).toBe(422)
    expect(response.json().errors[0]).toMatchObject({
      location: 'body.data.contact.notes[0].content',
      message: expect.stringContaining('U+0000'),
    })
    const after = (await u.space.request({ method: 'GET', url: `/contacts/${created.id}` })).json().data
      .contact
    expect(after).toMatchObject({ surname: 'Kept', notes: [{ content: 'kept' }] })
  })

  test('an upsert with U+0000 is refused at once, and nothing is queued', async () => {
    const response = await u.space.request({
      method: 'POST',
      url: '/contacts/upsert',
      payload: { kind: 'contact', data: { surname: NUL } },
    })
    expect(response.statusCode).toBe(422)
    expect(response.json().errors[0].location).toBe('body.data.surname')
    const queued = await u.t.conn.db
      .selectFrom('upsert_job')
      .where('group_id', '=', u.space.groupId)
      .select('id')
      .execute()
    expect(queued).toEqual([])
  })
})

describe('searches', () => {
  test('U+0000 in a search value → 422 at the value', async () => {
    const response = await u.space.request({
      method: 'POST',
      url: '/search',
      payload: {
        data: {
          advanced_search: {
            query: { $all: [{ $all: [{ $condition: { attr: 'surname', ope: 'eql', value: NUL } }] }] },
          },
        },
      },
    })
    expect(response.statusCode).toBe(422)
    expect(response.json().errors[0].location).toBe(
      'body.data.advanced_search.query.$all[0].$all[0].$condition.value',
    )
  })

  test.each([
    ['a form id past bigint', { attr: 'form', form_id: HUGE, ope: 'ext' }, 422],
    // a number past the column's range is still a number to compare with: no contact has it
    ['an id past bigint', { attr: 'id', ope: 'eql', value: String(HUGE) }, 200],
    [
      'an age_category past a 4-byte integer',
      { attr: 'age_category', ope: 'gte', value: String(2 ** 31) },
      200,
    ],
  ])('a condition with %s: never a 500 on /search and /kpi', async (_name, condition, status) => {
    await aForm(u.t.conn.db, u.space.tenant)
    for (const url of ['/search', '/kpi']) {
      const response = await u.space.request({
        method: 'POST',
        url,
        payload: { data: { advanced_search: { query: { $all: [{ $all: [{ $condition: condition }] }] } } } },
      })
      expect(response.statusCode, `${url}: ${response.body}`).toBe(status)
      if (status === 422) expect(response.json().detail).toMatch(/form_id/)
      else expect(response.json().data).toEqual(url === '/kpi' ? { total: 0 } : { contacts: [] })
    }
  })

  test('a page past any base is an empty page (no deep-paging limit), not an error', async () => {
    await createContact(u.space)
    const response = await u.space.request({
      method: 'POST',
      url: '/search',
      payload: { data: { advanced_search: { page: 1e17, per_page: 1000 } } },
    })
    expect(response.statusCode).toBe(200)
    expect(response.json().data.contacts).toEqual([])
  })
})
