// Concurrent writers on the same rows, for every write route: no 5xx, and the end state is one a
// sequence of the same writes could have left (a row holds one whole written version, counts
// kept by triggers equal live counts, an effect asked once happens once). On PostgreSQL the
// requests run on separate connections at once; on PGlite they interleave between statements.
import type { LightMyRequestResponse } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { type Space, type TestApp, testApp } from '../app.ts'
import { aForm, createContact } from '../fixtures.ts'
import { workerApp } from '../upsert.ts'

const N = 8
let t: TestApp
let space: Space
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())
beforeEach(async () => {
  space = await t.newSpace('raced')
})

/** N requests at once; none may fail with a 5xx. */
async function together(make: (i: number) => Parameters<Space['request']>[0]) {
  const responses = await Promise.all(Array.from({ length: N }, (_, i) => space.request(make(i))))
  for (const r of responses) expect(r.statusCode, r.body).toBeLessThan(500)
  return responses
}
const statuses = (responses: LightMyRequestResponse[]) => responses.map((r) => r.statusCode).sort()
const get = async (url: string) => (await space.request({ method: 'GET', url })).json().data

/** Tags whose stored appearance_count is not the number of contacts carrying them. */
async function wrongTagCounts() {
  const { rows } = await sql<{ name: string; stored: number; actual: number }>`
    select t.name, t.appearance_count::int as stored,
      (select count(*)::int from contact_tag ct where ct.group_id = t.group_id and ct.tag_id = t.id) as actual
    from tag t where t.group_id = ${space.groupId}`.execute(t.conn.db)
  return rows.filter((r) => r.stored !== r.actual)
}

describe('contacts', () => {
  test('POST with the same new tags and new action ids: one tag and one action each, counts right', async () => {
    const names = Array.from({ length: 6 }, (_, i) => `race ${i}`)
    const actionIds = Array.from({ length: 6 }, (_, i) => 901 + i)
    // each writer lists them from another starting point: the orders differ
    const turned = <T>(list: T[], i: number) => [
      ...list.slice(i % list.length),
      ...list.slice(0, i % list.length),
    ]
    const writers = 3 * N
    const responses = await Promise.all(
      Array.from({ length: writers }, (_, i) =>
        space.request({
          method: 'POST',
          url: '/contacts',
          payload: {
            data: {
              contact: {
                surname: `Racer ${i}`,
                tags: turned(names, i).map((name) => ({ name })),
                action_ids: turned(actionIds, i + 3).reverse(),
              },
            },
          },
        }),
      ),
    )
    expect(statuses(responses), responses.find((r) => r.statusCode !== 200)?.body).toEqual(
      Array(writers).fill(200),
    )
    const tags = (await get('/v1/tags')).tags
    expect(
      tags.map((tag: { name: string; appearance_count: number }) => [tag.name, tag.appearance_count]),
    ).toEqual(names.map((name) => [name, writers]))
    expect(await wrongTagCounts()).toEqual([])
    const actions = (await get('/actions')).actions
    expect(actions.map((a: { id: number; contacts_count: number }) => [a.id, a.contacts_count])).toEqual(
      actionIds.map((id) => [id, writers]),
    )
  })

  test('PATCH of one contact: it ends as one whole written version, tag counts right', async () => {
    const contact = await createContact(space, { tags: [{ name: 'old' }] })
    const version = (i: number) => ({
      surname: `Version ${i}`,
      tags: [{ name: `only ${i}` }, { name: 'shared' }],
      notes: [{ content: `note ${i}` }],
    })
    await together((i) => ({
      method: 'PATCH',
      url: `/contacts/${contact.id}`,
      payload: { data: { contact: version(i) } },
    }))
    const after = (await get(`/contacts/${contact.id}`)).contact
    const i = Number(after.surname.replace('Version ', ''))
    expect(after.tags.map((tag: { name: string }) => tag.name).sort()).toEqual([`only ${i}`, 'shared'])
    expect(after.notes.map((n: { content: string }) => n.content)).toEqual([`note ${i}`])
    expect(await wrongTagCounts()).toEqual([])
  })

  test('DELETE of one contact: done once, the others 404', async () => {
    const contact = await createContact(space, { tags: [{ name: 'gone' }] })
    const responses = await together(() => ({ method: 'DELETE', url: `/contacts/${contact.id}` }))
    expect(statuses(responses)).toEqual([200, ...Array(N - 1).fill(404)])
    expect(await wrongTagCounts()).toEqual([])
  })

  test('tags through contacts: many contacts adding and removing the same tags', async () => {
    const contacts = await Promise.all(
      Array.from({ length: N }, () => createContact(space, { tags: [{ name: 'x' }] })),
    )
    await Promise.all(
      contacts.map((c, i) =>
        space.request({
          method: 'PATCH',
          url: `/contacts/${c.id}`,
          payload: {
            data: {
              contact: { surname: 's', tags: i % 2 ? [{ name: 'y' }, { name: 'x' }] : [{ name: 'y' }] },
            },
          },
        }),
      ),
    )
    expect(await wrongTagCounts()).toEqual([])
    const counts = Object.fromEntries(
      (await get('/v1/tags')).tags.map((tag: { name: string; appearance_count: number }) => [
        tag.name,
        tag.appearance_count,
      ]),
    )
    expect(counts).toEqual({ x: N / 2, y: N })
  })

  test('POST with one Idempotency-Key: one contact', async () => {
    const responses = await together(() => ({
      method: 'POST',
      url: '/contacts',
      headers: { 'idempotency-key': 'race-key' },
      payload: { data: { contact: { surname: 'Once' } } },
    }))
    const ids = new Set(responses.filter((r) => r.statusCode === 200).map((r) => r.json().data.contact.id))
    expect(ids.size).toBe(1)
    for (const r of responses) expect([200, 409], r.body).toContain(r.statusCode)
    const { rows } = await sql`select id from contact where group_id = ${space.groupId}`.execute(t.conn.db)
    expect(rows).toHaveLength(1)
  })
})

describe.each([
  ['notes', 'note', (i: number) => ({ content: `version ${i}` }), 'data'],
  ['interactions', 'interaction', (i: number) => ({ type: 'call', title: `version ${i}` }), 'title'],
] as const)('%s', (route, key, body, field) => {
  test('POST on one contact: every one kept once; PATCH of one: one version; DELETE: once', async () => {
    const contact = await createContact(space)
    const created = await together((i) => ({
      method: 'POST',
      url: `/contacts/${contact.id}/${route}`,
      payload: { data: { [key]: body(i) } },
    }))
    expect(statuses(created)).toEqual(Array(N).fill(200))
    const listed = (await get(`/contacts/${contact.id}/${route}`))[route]
    expect(listed.map((x: Record<string, string>) => x[field]).sort()).toEqual(
      Array.from({ length: N }, (_, i) => `version ${i}`).sort(),
    )
    const id = listed[0].id
    await together((i) => ({
      method: 'PATCH',
      url: `/contacts/${contact.id}/${route}/${id}`,
      payload: { data: { [key]: body(i + 100) } },
    }))
    const patched = (await get(`/contacts/${contact.id}/${route}`))[route].find(
      (x: { id: number }) => x.id === id,
    )
    expect(patched[field]).toMatch(/^version 1\d\d$/)
    const deleted = await together(() => ({
      method: 'DELETE',
      url: `/contacts/${contact.id}/${route}/${id}`,
    }))
    expect(statuses(deleted)).toEqual([200, ...Array(N - 1).fill(404)])
    expect((await get(`/contacts/${contact.id}/${route}`))[route]).toHaveLength(N - 1)
  })
})

describe('forms', () => {
  test('POST of one label: created once, the others 409', async () => {
    const responses = await together(() => ({
      method: 'POST',
      url: '/v1/forms',
      payload: {
        data: {
          form: { type_of_form: 'survey', type: 'radio', label: 'Raced', refvalues: [{ value: 'a' }] },
        },
      },
    }))
    expect(statuses(responses)).toEqual([200, ...Array(N - 1).fill(409)])
  })

  test('PATCH of one form: its refvalues are one written version', async () => {
    const form = await aForm(t.conn.db, space.tenant)
    const refvalues = (i: number) => [{ value: 'yes' }, { value: `only ${i}` }, { value: `also ${i}` }]
    const responses = await together((i) => ({
      method: 'PATCH',
      url: `/v1/forms/${form.id}`,
      payload: { data: { form: { label: `Label ${i}`, refvalues: refvalues(i) } } },
    }))
    expect(statuses(responses)).toEqual(Array(N).fill(200))
    const after = (await get(`/forms/${form.id}`)).form
    const i = Number(after.label.replace('Label ', ''))
    expect(after.refvalues.map((r: { value: string }) => r.value)).toEqual(refvalues(i).map((r) => r.value))
  })

  test('DELETE of one form: done once, the others 404', async () => {
    const form = await aForm(t.conn.db, space.tenant)
    const responses = await together(() => ({ method: 'DELETE', url: `/v1/forms/${form.id}` }))
    expect(statuses(responses)).toEqual([200, ...Array(N - 1).fill(404)])
  })
})

test('actions: POST of the same name makes one action per request, ids distinct', async () => {
  const responses = await together(() => ({
    method: 'POST',
    url: '/v1/actions',
    payload: { data: { action: { name: 'Raced' } } },
  }))
  expect(statuses(responses)).toEqual(Array(N).fill(200))
  const ids = new Set(responses.map((r) => r.json().data.action.id))
  expect(ids.size).toBe(N)
  expect((await get('/actions')).actions.map((a: { id: number }) => a.id).sort()).toEqual([...ids].sort())
})

test('upsert: the same new person sent at once makes one contact', async () => {
  const worker = await workerApp(t.conn.db, { pollMs: 20 })
  try {
    const responses = await together(() => ({
      method: 'POST',
      url: '/contacts/upsert',
      payload: {
        kind: 'contact',
        data: { surname: 'Upserted', mail: 'same@example.com', tags: [{ name: 'u' }] },
      },
    }))
    expect(statuses(responses)).toEqual(Array(N).fill(202))
    const jobs = responses.map((r) => r.json().data.upsert_id)
    for (let tries = 0; ; tries++) {
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from upsert_job where group_id = ${space.groupId} and status = 'queued'`.execute(
        t.conn.db,
      )
      if (rows[0]!.n === 0 || tries > 500) break
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    const receipts = await Promise.all(jobs.map(async (id) => (await get(`/contacts/upsert/${id}`)).upsert))
    expect(receipts.map((r) => r.status)).toEqual(Array(N).fill('done'))
    expect(new Set(receipts.map((r) => r.contact_id)).size).toBe(1)
    expect(receipts.map((r) => r.rule).sort()).toEqual(['created', ...Array(N - 1).fill('mail')])
    expect(await wrongTagCounts()).toEqual([])
  } finally {
    await worker.close()
  }
})
