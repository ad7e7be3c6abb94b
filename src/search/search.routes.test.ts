import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { type Space, type TestApp, testApp } from '../../test/app.ts'
import { aForm, createContact } from '../../test/fixtures.ts'
import { searchSeed, shapeDiff } from '../../test/shape.ts'

let t: TestApp
let space: Space
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())
beforeEach(async () => {
  space = await t.newSpace()
})

const cond = (c: Record<string, unknown>) => ({ $all: [{ $all: [{ $condition: c }] }] })
async function search(advanced_search: Record<string, unknown>, who = space) {
  return who.request({ method: 'POST', url: '/search', payload: { data: { advanced_search } } })
}
/** The ids a query finds, sorted; /kpi of the same query must count as many. */
async function ids(query: unknown): Promise<number[]> {
  const response = await search({ query })
  expect(response.statusCode, response.body).toBe(200)
  const found = response
    .json()
    .data.contacts.map((c: { id: number }) => c.id)
    .sort((a: number, b: number) => a - b)
  const kpi = await space.request({
    method: 'POST',
    url: '/kpi',
    payload: { data: { advanced_search: { query } } },
  })
  expect(kpi.json(), JSON.stringify(query)).toEqual({ status: 'success', data: { total: found.length } })
  return found
}

const TEXT_NUMBERS = ['housenumber', 'postalcode', 'citycode', 'floor'].map((k) => `contacts[].address.${k}`)
const ANSWER_KEYS = ['form_id', 'data', 'id', 'created_at', 'updated_at', 'date', 'group_id', 'contact_id']
const SEARCH_RULES = {
  extraKeys: { 'contacts[].': { action_ids: [1] } },
  types: {
    ...Object.fromEntries(TEXT_NUMBERS.map((path) => [path, ['string']])),
    'contacts[].address.latitude': ['number'],
    'contacts[].address.longitude': ['number'],
    'contacts[].address.invalid': ['boolean'],
    'contacts[].interactions[].id': ['integer'],
  },
  nonNull: [
    ...['id', 'group_id', 'CreatedAt', 'UpdatedAt', 'lastchange', 'age_category'].map(
      (k) => `contacts[].${k}`,
    ),
    'contacts[].address.id',
    'contacts[].tags[].name',
    'contacts[].tags[].color',
    'contacts[].actions_ids[]',
    'contacts[].action_ids[]',
    ...ANSWER_KEYS.flatMap((k) => [`contacts[].formdatas[].${k}`, `contacts[].customfields[].${k}`]),
    ...['id', 'created_at', 'updated_at', 'data', 'contact_id', 'group_id', 'pinned'].map(
      (k) => `contacts[].notes.${k}`,
    ),
    ...['id', 'created_at', 'updated_at', 'type', 'contact_id', 'group_id', 'only_super_admin'].map(
      (k) => `contacts[].interactions[].${k}`,
    ),
    'contacts[].interactions[].files[].id',
    'contacts[].interactions[].files[].is_interaction',
  ],
}

async function addInteraction(contactId: number, values: Record<string, unknown> = {}) {
  const row = await t.conn.db
    .insertInto('interaction')
    .values({
      group_id: space.groupId,
      contact_id: contactId,
      type: 'letter',
      sub_type: 'incoming',
      ...values,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

describe('POST /search answers the search shape (test/seeds/search-shape.json)', () => {
  test('key for key and type for type, with interactions when asked', async () => {
    const survey = await aForm(t.conn.db, space.tenant, { type: 'radio' })
    const job = await aForm(t.conn.db, space.tenant, {
      type_of_form: 'custom_fields',
      type: 'text',
      label: 'Job',
    })
    const contact = await createContact(space, {
      gender: 'F',
      birthdate: '1955-07-06',
      address: {
        housenumber: 1,
        street: 'rue de la paix',
        postalcode: '01000',
        citycode: 75101,
        city: 'Paris',
        floor: 2,
        latitude: 48.8566,
        longitude: 2.3522,
      },
      tags: [{ name: 'tag1', color: 'red' }],
      action_ids: [1, 2],
      formdatas: [{ form_id: survey.id, form_ref_id: survey.refvalues[0]!.id, data: 'yes' }],
      custom_fields: [{ form_id: job.id, data: 'Architect' }],
      notes: [{ content: 'older, pinned', pinned: true }, { content: 'latest' }],
    })
    const interaction = await addInteraction(contact.id, {
      title: 'Send a request',
      comments: 'About the event',
    })
    await t.conn.db
      .insertInto('file')
      .values({
        group_id: space.groupId,
        interaction_id: interaction,
        name: 'letter.jpg',
        mime: 'image/jpeg',
      })
      .execute()

    const response = await search({ query: { $all: [] }, include_interactions: true })
    expect(response.statusCode).toBe(200)
    const body = response.json()
    expect(body.status).toBe('success')
    expect(shapeDiff(body.data, searchSeed.data, SEARCH_RULES)).toEqual([])
    const [c] = body.data.contacts
    expect(c.address).toMatchObject({
      latitude: 48.8566,
      longitude: 2.3522,
      location: '48.856600,2.352200',
      postalcode: '01000',
      housenumber: '1',
      floor: '2',
    })
    expect(c.notes).toMatchObject({ data: 'older, pinned', pinned: true, contact_id: contact.id })
    expect(c.tags).toEqual([{ name: 'tag1', color: 'red' }])
    expect(c).toMatchObject({ actions_ids: [1, 2], action_ids: [1, 2], birthdate: '1955-07-06T00:00:00Z' })
    expect(c.formdatas[0]).toMatchObject({ data: 'yes', contact_id: contact.id, group_id: space.groupId })
    expect(Object.keys(c.formdatas[0]).sort()).toEqual(
      Object.keys(searchSeed.data.contacts[0].formdatas[0]).sort(),
    )
    expect(c.customfields[0].data).toBe('Architect')
    expect(c.interactions).toHaveLength(1)
    expect(c.interactions[0]).toMatchObject({
      type: 'letter',
      title: 'Send a request',
      files: [{ name: 'letter.jpg', mime: 'image/jpeg', is_interaction: true }],
    })

    const without = (await search({ query: { $all: [] } })).json().data.contacts[0]
    expect(without).not.toHaveProperty('interactions')
    expect(
      shapeDiff({ contacts: [without] }, searchSeed.data, {
        ...SEARCH_RULES,
        extraKeys: { 'contacts[].': { action_ids: [1] } },
      }).filter((p) => !p.startsWith('contacts[].interactions')),
    ).toEqual([])
  })

  test('notes: the latest when none is pinned, null when there is none; empty result is []', async () => {
    await createContact(space, { surname: 'A', notes: [{ content: 'first' }, { content: 'second' }] })
    await createContact(space, { surname: 'B' })
    const contacts = (await search({ sort_attr: 'surname', sort_asc: true })).json().data.contacts
    expect(contacts.map((c: any) => c.notes?.data ?? null)).toEqual(['second', null])
    const none = await search({ query: cond({ attr: 'surname', ope: 'eql', value: 'nobody' }) })
    expect(none.json()).toEqual({ status: 'success', data: { contacts: [] } })
  })
})

describe('eql is a word-prefix match', () => {
  test('words split on any punctuation, typographic apostrophes included, on indexed and other fields', async () => {
    const a = await createContact(space, {
      surname: 'Dupont',
      address: { city: 'Saint-Jean-d’Angély' },
      birthcity: 'Villeneuve-d’Ascq',
    })
    const b = await createContact(space, {
      surname: 'Durand',
      address: { city: 'Angers' },
      birthcity: 'Lyon',
    })
    const city = (value: string) => ids(cond({ attr: 'address.city', ope: 'eql', value }))
    expect(await city('angely')).toEqual([a.id])
    expect(await city('ANG')).toEqual([a.id, b.id])
    expect(await city('jean d’ang')).toEqual([a.id])
    expect(await city('ngely')).toEqual([])
    const birthcity = (value: string) => ids(cond({ attr: 'birthcity', ope: 'eql', value }))
    expect(await birthcity('ascq')).toEqual([a.id])
    expect(await birthcity('villeneuve d')).toEqual([a.id])
    expect(await birthcity('scq')).toEqual([])
    expect(await ids(cond({ attr: 'birthcity', ope: 'not_eql', value: 'ascq' }))).toEqual([b.id])
  })
})

describe('form and interaction conditions', () => {
  test('form: ext, form_ref_ids, all_of, typed values; soft-deleted answers match nothing', async () => {
    const choice = await aForm(t.conn.db, space.tenant, { type: 'checkbox' })
    const [yes, no] = choice.refvalues
    const age = await aForm(t.conn.db, space.tenant, {
      type_of_form: 'custom_fields',
      type: 'numeric',
      label: 'Age',
    })
    const answer = (rv: { id: number; value: string }) => ({
      form_id: choice.id,
      form_ref_id: rv.id,
      data: rv.value,
    })
    const a = await createContact(space, {
      formdatas: [answer(yes!), answer(no!)],
      custom_fields: [{ form_id: age.id, data: '9' }],
    })
    const b = await createContact(space, {
      formdatas: [answer(yes!)],
      custom_fields: [{ form_id: age.id, data: '10' }],
    })
    const c = await createContact(space, { formdatas: [answer(no!)] })
    const d = await createContact(space)
    const form = (extra: Record<string, unknown>) => cond({ attr: 'form', form_id: choice.id, ...extra })
    expect(await ids(form({ ope: 'ext' }))).toEqual([a.id, b.id, c.id])
    expect(await ids(form({ ope: 'not_ext', form_ref_ids: [yes!.id] }))).toEqual([d.id])
    expect(await ids(form({ ope: 'eql', form_ref_ids: [yes!.id] }))).toEqual([a.id, b.id])
    expect(await ids(form({ ope: 'not_eql', form_ref_ids: [yes!.id] }))).toEqual([c.id, d.id])
    expect(await ids(form({ ope: 'all_of', form_ref_ids: [yes!.id, no!.id] }))).toEqual([a.id])
    expect(await ids(form({ ope: 'eql', value: yes!.value }))).toEqual([a.id, b.id])
    const ageIs = (extra: Record<string, unknown>) =>
      cond({ attr: 'custom_fields', form_id: age.id, ...extra })
    // numbers compare as numbers: '10' >= '9' although '10' < '9' as text
    expect(await ids(ageIs({ ope: 'gte', value: '9.5' }))).toEqual([b.id])
    expect(await ids(ageIs({ ope: 'range', from: '9', to: '10' }))).toEqual([a.id, b.id])
    // PATCH without the answer soft-deletes it
    await space.request({
      method: 'PATCH',
      url: `/contacts/${a.id}`,
      payload: { data: { contact: { surname: 'A' } } },
    })
    expect(await ids(form({ ope: 'ext' }))).toEqual([b.id, c.id])
    const bad = await search({ query: ageIs({ ope: 'contains', value: '1' }) })
    expect(bad.statusCode).toBe(422)
    expect(bad.json().errors[0].message).toMatch(/allowed: .*gte/)
  })

  test('interactions.type / sub_type / created_at', async () => {
    const a = await createContact(space)
    const b = await createContact(space)
    const c = await createContact(space)
    await addInteraction(a.id, { type: 'call', sub_type: 'outgoing', created_at: '2024-03-10T10:00:00Z' })
    await addInteraction(b.id, { type: 'letter', sub_type: 'incoming', created_at: '2024-05-01T10:00:00Z' })
    expect(await ids(cond({ attr: 'interactions.type', ope: 'eql', value: 'call' }))).toEqual([a.id])
    expect(await ids(cond({ attr: 'interactions.sub_type', ope: 'not_eql', value: 'outgoing' }))).toEqual([
      b.id,
      c.id,
    ])
    expect(await ids(cond({ attr: 'interactions.created_at', ope: 'eql', value: '2024-03-10' }))).toEqual([
      a.id,
    ])
    expect(
      await ids(cond({ attr: 'interactions.created_at', ope: 'gte', value: '2024-03-10||+1M/M' })),
    ).toEqual([b.id])
  })
})

describe('bad searches → 422 at the JSON path of the node', () => {
  const Q = 'body.data.advanced_search.query'
  const c = { attr: 'surname', ope: 'eql', value: 'x' }
  test.each([
    ['a condition at the root', { $condition: c }, Q, /cannot sit at the root/],
    ['a condition in the root list', { $all: [{ $condition: c }] }, `${Q}.$all[0]`, /cannot sit at the root/],
    [
      'a third level',
      { $all: [{ $all: [c].map((x) => ({ $condition: x })) }, { $at_least_one: [{ $all: [] }] }] },
      `${Q}.$all[1].$at_least_one[0]`,
      /third level/,
    ],
    ['an unknown root key', { $any: [] }, Q, /\$all/],
    [
      'an unknown attr',
      { $all: [{ $all: [{ $condition: { ...c, attr: 'town' } }] }] },
      `${Q}.$all[0].$all[0]`,
      /unknown attr "town"; allowed: .*address\.city/,
    ],
    [
      'an unknown ope',
      { $all: [{ $all: [{ $condition: { ...c, ope: 'like' } }] }] },
      `${Q}.$all[0].$all[0]`,
      /unknown ope "like"; allowed: eql/,
    ],
    [
      'gte on tags',
      { $all: [{ $all: [{ $condition: { attr: 'tags', ope: 'gte', value: 'a' } }] }] },
      `${Q}.$all[0].$all[0]`,
      /does not apply to attr tags; allowed: /,
    ],
    [
      'contains on a date',
      { $all: [{ $all: [{ $condition: { attr: 'CreatedAt', ope: 'contains', value: '2' } }] }] },
      `${Q}.$all[0].$all[0]`,
      /does not apply/,
    ],
    [
      'bad date math',
      { $all: [{ $all: [{ $condition: { attr: 'UpdatedAt', ope: 'gte', value: 'now-1x' } }] }] },
      `${Q}.$all[0].$all[0]`,
      /not a date/,
    ],
    [
      'a bad number',
      { $all: [{ $all: [{ $condition: { attr: 'age_category', ope: 'eql', value: 'old' } }] }] },
      `${Q}.$all[0].$all[0]`,
      /not a number/,
    ],
    [
      'an unknown key in a condition',
      { $all: [{ $all: [{ $condition: { ...c, values: [] } }] }] },
      `${Q}.$all[0].$all[0]`,
      /unknown key "values"/,
    ],
    [
      'an unknown form',
      { $all: [{ $all: [{ $condition: { attr: 'form', form_id: 999999, ope: 'ext' } }] }] },
      `${Q}.$all[0].$all[0]`,
      /form_id 999999/,
    ],
    [
      'a range without to',
      { $at_least_one: [{ $all: [] }, { $all: [{ $condition: { attr: 'id', ope: 'range', from: '1' } }] }] },
      `${Q}.$at_least_one[1].$all[0]`,
      /from and to/,
    ],
  ])('%s', async (_name, query, location, message) => {
    const response = await search({ query })
    expect(response.statusCode, response.body).toBe(422)
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/)
    const problem = response.json()
    expect(problem.errors[0].location).toBe(location)
    expect(problem.errors[0].message).toMatch(message)
    expect(
      (
        await space.request({
          method: 'POST',
          url: '/kpi',
          payload: { data: { advanced_search: { query } } },
        })
      ).statusCode,
    ).toBe(422)
  })

  test.each([[0], [1001], [2.5]])('per_page %s → 422 at per_page', async (perPage) => {
    const response = await search({ per_page: perPage })
    expect(response.statusCode).toBe(422)
    expect(response.json().errors[0].location).toBe('body.data.advanced_search.per_page')
  })

  test('an unknown key in advanced_search → 422 naming it (a typo must not be ignored)', async () => {
    const response = await search({ perpage: 10 })
    expect(response.statusCode).toBe(422)
    expect(response.json().errors[0].location).toBe('body.data.advanced_search.perpage')
  })

  test('an unknown sort_attr → 422 listing the sortable attrs', async () => {
    const response = await search({ sort_attr: 'city_name' })
    expect(response.statusCode).toBe(422)
    expect(response.json().errors[0]).toMatchObject({ location: 'body.data.advanced_search.sort_attr' })
    expect(response.json().errors[0].message).toMatch(/surname/)
  })
})

describe('paging, defaults, tenancy', () => {
  test('per_page defaults to 1000; no sort_attr = id descending; kpi ignores paging', async () => {
    const created = []
    for (let i = 0; i < 3; i++) created.push((await createContact(space)).id)
    const response = await search({})
    expect(response.json().data.contacts.map((c: any) => c.id)).toEqual([...created].reverse())
    const kpi = await space.request({
      method: 'POST',
      url: '/kpi',
      payload: { data: { advanced_search: { per_page: 1, page: 7, sort_attr: 'x' } } },
    })
    expect(kpi.json()).toEqual({ status: 'success', data: { total: 3 } })
  })

  test('sequential pages seek past the last row served: a contact added meanwhile shifts nothing', async () => {
    const created = []
    for (let i = 0; i < 4; i++) created.push((await createContact(space)).id)
    const page = async (n: number) =>
      (await search({ per_page: 2, page: n })).json().data.contacts.map((c: any) => c.id)
    expect(await page(0)).toEqual([created[3], created[2]])
    await createContact(space) // newest first: with OFFSET, page 1 would repeat created[2]
    expect(await page(1)).toEqual([created[1], created[0]])
    // and the walk ends there (OFFSET would serve created[0] a second time on page 2)
    expect(await page(2)).toEqual([])
  })

  test("another space's contacts never match, even through relations", async () => {
    await createContact(space, { surname: 'Mine', tags: [{ name: 'shared' }] })
    const other = await t.newSpace()
    await createContact(other, { surname: 'Theirs', tags: [{ name: 'shared' }] })
    const response = await search({ query: cond({ attr: 'tags', ope: 'eql', value: 'shared' }) }, other)
    expect(response.json().data.contacts.map((c: any) => c.surname)).toEqual(['Theirs'])
  })
})
