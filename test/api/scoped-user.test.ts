// A user limited by PATCH /users/role `advanced_search` sees only the contacts that search
// matches, on every route that reads or writes contacts: the others are a 404 to that user, are
// never counted, listed or exported, and their notes and interactions are out of reach too.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { type Space, type TestApp, testApp } from '../app.ts'
import { createContact } from '../fixtures.ts'
import { aPerson, type Person } from '../people.ts'

const LYON = { $all: [{ $all: [{ $condition: { attr: 'tags', ope: 'eql', value: 'Lyon' } }] }] }

let t: TestApp
let space: Space
let inside: { id: number }
let outside: { id: number }
let scoped: Person
beforeAll(async () => {
  t = await testApp()
  space = await t.newSpace()
  inside = await createContact(space, {
    surname: 'Inside',
    tags: [{ name: 'Lyon' }],
    notes: [{ content: 'in' }],
  })
  outside = await createContact(space, {
    surname: 'Outside',
    tags: [{ name: 'Paris' }],
    notes: [{ content: 'out' }],
  })
  // a superadmin, so that every contact route is allowed and only the scope decides
  scoped = await aPerson(t, space, 'superadmin', { scope: LYON })
})
afterAll(() => t.close())

const searchBody = (query: unknown = { $all: [] }) => ({
  data: { advanced_search: { query, per_page: 100 } },
})

test('search and kpi see only the scope, combined with the query asked', async () => {
  const found = (await scoped.request({ method: 'POST', url: '/search', payload: searchBody() })).json().data
    .contacts
  expect(found.map((c: { id: number }) => c.id)).toEqual([inside.id])
  const kpi = await scoped.request({ method: 'POST', url: '/kpi', payload: searchBody() })
  expect(kpi.json().data.total).toBe(1)
  const paris = { $all: [{ $all: [{ $condition: { attr: 'tags', ope: 'eql', value: 'Paris' } }] }] }
  expect(
    (await scoped.request({ method: 'POST', url: '/kpi', payload: searchBody(paris) })).json().data.total,
  ).toBe(0)
  // a relation-only count (counted as id sets when unscoped) also keeps the scope
  expect(
    (await space.request({ method: 'POST', url: '/kpi', payload: searchBody(paris) })).json().data.total,
  ).toBe(1)
  // the key of the space, without user, still sees both
  expect(
    (await space.request({ method: 'POST', url: '/kpi', payload: searchBody() })).json().data.total,
  ).toBe(2)
})

test('pages of a scoped user are not mixed with the pages of a user without scope', async () => {
  const unscoped = await aPerson(t, space, 'superadmin')
  const body = (page: number) => ({ data: { advanced_search: { query: { $all: [] }, per_page: 1, page } } })
  const first = (await unscoped.request({ method: 'POST', url: '/search', payload: body(0) })).json().data
    .contacts
  expect(first).toHaveLength(1)
  const mine = (await scoped.request({ method: 'POST', url: '/search', payload: body(0) })).json().data
    .contacts
  expect(mine.map((c: { id: number }) => c.id)).toEqual([inside.id])
  expect(
    (await scoped.request({ method: 'POST', url: '/search', payload: body(1) })).json().data.contacts,
  ).toEqual([])
})

test('GET, PATCH and DELETE of a contact outside the scope are 404 and change nothing', async () => {
  expect((await scoped.request({ method: 'GET', url: `/contacts/${inside.id}` })).statusCode).toBe(200)
  const get = await scoped.request({ method: 'GET', url: `/contacts/${outside.id}` })
  expect(get.statusCode).toBe(404)
  const patch = await scoped.request({
    method: 'PATCH',
    url: `/contacts/${outside.id}`,
    payload: { data: { contact: { surname: 'Changed' } } },
  })
  expect(patch.statusCode).toBe(404)
  expect((await scoped.request({ method: 'DELETE', url: `/contacts/${outside.id}` })).statusCode).toBe(404)
  const still = await space.request({ method: 'GET', url: `/contacts/${outside.id}` })
  expect(still.json().data.contact.surname).toBe('Outside')
})

test('notes and interactions of a contact outside the scope are out of reach', async () => {
  const note = (await space.request({ method: 'GET', url: `/contacts/${outside.id}/notes` })).json().data
    .notes[0]
  for (const request of [
    { method: 'GET', url: `/contacts/${outside.id}/notes` },
    { method: 'POST', url: `/contacts/${outside.id}/notes`, payload: { data: { note: { content: 'x' } } } },
    {
      method: 'PATCH',
      url: `/contacts/${outside.id}/notes/${note.id}`,
      payload: { data: { note: { content: 'x' } } },
    },
    { method: 'DELETE', url: `/contacts/${outside.id}/notes/${note.id}` },
    { method: 'GET', url: `/contacts/${outside.id}/interactions` },
    {
      method: 'POST',
      url: `/contacts/${outside.id}/interactions`,
      payload: { data: { interaction: { type: 'call' } } },
    },
  ] as const) {
    const response = await scoped.request(request)
    expect(response.statusCode, `${request.method} ${request.url}`).toBe(404)
  }
  expect((await scoped.request({ method: 'GET', url: `/contacts/${inside.id}/notes` })).statusCode).toBe(200)
  const notes = (await space.request({ method: 'GET', url: `/contacts/${outside.id}/notes` })).json().data
    .notes
  expect(notes).toHaveLength(1)
})

test('an export holds only the scope', async () => {
  const response = await scoped.request({ method: 'POST', url: '/contacts/export', payload: { data: {} } })
  expect(response.statusCode).toBe(200)
  const lines = response.body
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line))
  expect(lines.map((c: { id: number }) => c.id)).toEqual([inside.id])
})

test('an upsert (which may match any contact) is refused to a scoped user', async () => {
  const response = await scoped.request({
    method: 'POST',
    url: '/contacts/upsert',
    payload: { kind: 'contact', data: { id: outside.id, surname: 'Taken' } },
  })
  expect(response.statusCode).toBe(403)
})

test('a scope set by PATCH /users/role applies to a user of role user from their next request', async () => {
  const champ = await aPerson(t, space, 'user')
  expect(
    (await champ.request({ method: 'POST', url: '/kpi', payload: searchBody() })).json().data.total,
  ).toBe(2)
  const roles = (await space.request({ method: 'GET', url: '/roles' })).json().data.roles
  const user = roles.find((r: { type: string }) => r.type === 'user').id
  const set = await space.request({
    method: 'PATCH',
    url: '/users/role',
    payload: { data: { user_id: champ.id, role_id: user, advanced_search: { query: LYON } } },
  })
  expect(set.statusCode).toBe(200)
  expect(
    (await champ.request({ method: 'POST', url: '/kpi', payload: searchBody() })).json().data.total,
  ).toBe(1)
  expect((await champ.request({ method: 'GET', url: `/contacts/${outside.id}` })).statusCode).toBe(404)
})
