// One space never sees or touches another's data. Every route of the OpenAPI document (so a new
// route is covered without editing this file) is called with another space's key, path ids taken
// from the victim's objects and a body valid for any write route; nothing may leak or change.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { type TestApp, testApp } from '../app.ts'
import { aForm, createContact } from '../fixtures.ts'
import { aPerson } from '../people.ts'

const MARKER = 'Zyxwvut'
let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

const BODY = {
  kind: 'contact',
  data: {
    contact: { surname: 'Intruder', mail: 'intruder@example.com' },
    surname: 'Intruder',
    note: { content: 'Intruder' },
    interaction: { type: 'call', title: 'Intruder' },
    form: {
      label: 'Intruder',
      type_of_form: 'survey',
      type: 'radio',
      refvalues: [{ label: 'a', value: 'a' }],
    },
    action: { name: 'Intruder' },
    advanced_search: { query: { $all: [] } },
    invitations: [{ email: 'intruder-invitee@example.com' }],
  },
}

test("another space's key reaches nothing of this space through any route", async () => {
  const victim = await t.newSpace('victim')
  const form = await aForm(t.conn.db, victim.tenant, { label: `${MARKER} form` })
  const contact = await createContact(victim, {
    surname: MARKER,
    tags: [{ name: `${MARKER} tag` }],
    notes: [{ content: `${MARKER} note` }],
    formdatas: [{ form_id: form.id, data: 'yes' }],
  })
  const note = contact.notes[0]
  const interaction = (
    await victim.request({
      method: 'POST',
      url: `/contacts/${contact.id}/interactions`,
      payload: { data: { interaction: { type: 'call', title: `${MARKER} call` } } },
    })
  ).json().data.interaction
  await victim.request({
    method: 'POST',
    url: '/v1/actions',
    payload: { data: { action: { name: `${MARKER} action` } } },
  })
  const upsert = (
    await victim.request({
      method: 'POST',
      url: '/contacts/upsert',
      payload: { kind: 'contact', data: { surname: `${MARKER}2` } },
    })
  ).json().data
  const person = await aPerson(t, victim, 'admin')
  await victim.request({
    method: 'PATCH',
    url: `/users/${person.id}`,
    payload: { data: { surname: MARKER } },
  })
  const team = (
    await victim.request({
      method: 'POST',
      url: '/teams',
      payload: { data: { team: { name: `${MARKER} team`, private: true, users: [{ id: person.id }] } } },
    })
  ).json().data.team
  const invitation = (
    await victim.request({
      method: 'POST',
      url: '/users/invitation',
      payload: { data: { invitations: [{ email: `${MARKER.toLowerCase()}@example.com` }] } },
    })
  ).json().data.invitations[0]
  const victimRole = (await victim.request({ method: 'GET', url: '/roles' })).json().data.roles[0].id
  const body = {
    ...BODY,
    data: {
      ...BODY.data,
      team: { id: team.id, name: 'Intruder', users: [{ id: person.id }] },
      role_id: victimRole,
      user_id: person.id,
    },
  }
  const snapshot = async () =>
    Promise.all(
      [
        `/contacts/${contact.id}`,
        `/forms/${form.id}`,
        '/v1/tags',
        '/actions',
        `/contacts/${contact.id}/interactions`,
        '/users',
        '/teams',
        '/users/invitation',
        '/roles',
      ].map(async (url) => (await victim.request({ method: 'GET', url })).body),
    )
  const before = await snapshot()

  const ids: Record<string, string> = {
    id: String(contact.id),
    noteId: String(note.id),
    interactionId: String(interaction.id),
    idOrType: String(form.id),
    type: 'survey',
    token: 'not-a-token',
  }
  const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json()
  const intruder = await t.newSpace('intruder')
  let calls = 0
  for (const [path, operations] of Object.entries<Record<string, unknown>>(doc.paths)) {
    for (const method of Object.keys(operations)) {
      let url = path.replace(/\{(\w+)\}/g, (_m, name: string) => ids[name] ?? String(contact.id))
      if (path === '/v1/forms/{id}') url = `/v1/forms/${form.id}`
      if (path === '/contacts/upsert/{id}') url = `/contacts/upsert/${upsert.upsert_id}`
      if (path.startsWith('/users/{id}')) url = `/users/${person.id}`
      if (path.startsWith('/teams/{id}')) url = `/teams/${team.id}`
      if (path === '/users/invitation/{id}') url = `/users/invitation/${invitation.id}`
      const hasBody = ['post', 'patch', 'put'].includes(method)
      const response = await intruder.request({
        method: method.toUpperCase() as 'GET',
        url,
        ...(hasBody ? { payload: body } : {}),
      })
      calls++
      const where = `${method.toUpperCase()} ${url} → ${response.statusCode}`
      expect(response.body, where).not.toContain(MARKER)
      expect(response.statusCode, where).toBeLessThan(500)
      if (path.includes('{') && path !== '/v1/forms/type/{type}') {
        expect(response.statusCode, where).toBeGreaterThanOrEqual(400)
      }
    }
  }
  expect(calls).toBeGreaterThanOrEqual(35)
  expect(await snapshot()).toEqual(before)
})
