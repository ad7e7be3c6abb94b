// A path id is a canonical decimal or a 404, on every route with a path id: `0x3`, `3e0`, `3.0`,
// `+3`, `003` must not read (or delete) resource 3.
import { expect, test } from 'vitest'
import { useApp } from '../app.ts'
import { aForm, createContact } from '../fixtures.ts'

const u = useApp()

const spellings = (id: number) => [
  `0x${id.toString(16)}`,
  `${id}e0`,
  `${id}.0`,
  `+${id}`,
  `00${id}`,
  ` ${id}`,
]

async function ids() {
  const contact = await createContact(u.space)
  const note = (
    await u.space.request({
      method: 'POST',
      url: `/contacts/${contact.id}/notes`,
      payload: { data: { note: { content: 'hello' } } },
    })
  ).json().data.note
  const interaction = (
    await u.space.request({
      method: 'POST',
      url: `/contacts/${contact.id}/interactions`,
      payload: { data: { interaction: { type: 'call' } } },
    })
  ).json().data.interaction
  const form = await aForm(u.t.conn.db, u.space.tenant)
  const upsert = (
    await u.space.request({
      method: 'POST',
      url: '/contacts/upsert',
      payload: { kind: 'contact', data: { surname: 'Receipt' } },
    })
  ).json().data.upsert_id
  return { contact: contact.id, note: note.id, interaction: interaction.id, form: form.id, upsert }
}

test('every route with a path id answers 404 to another spelling of an existing id, and changes nothing', async () => {
  const id = await ids()
  const routes = (c: string): [string, string][] => [
    ['GET', `/contacts/${c}`],
    ['PATCH', `/contacts/${c}`],
    ['DELETE', `/contacts/${c}`],
    ['GET', `/contacts/${c}/notes`],
    ['POST', `/contacts/${c}/notes`],
    ['GET', `/contacts/${c}/interactions`],
    ['POST', `/contacts/${c}/interactions`],
  ]
  const body = { data: { contact: { surname: 'X' }, note: { content: 'x' }, interaction: { type: 'call' } } }
  const requests: [string, string][] = []
  for (const spelling of spellings(id.contact)) requests.push(...routes(spelling))
  for (const spelling of spellings(id.note)) {
    requests.push(['PATCH', `/contacts/${id.contact}/notes/${spelling}`])
    requests.push(['DELETE', `/contacts/${id.contact}/notes/${spelling}`])
  }
  for (const spelling of spellings(id.interaction)) {
    requests.push(['PATCH', `/contacts/${id.contact}/interactions/${spelling}`])
    requests.push(['DELETE', `/contacts/${id.contact}/interactions/${spelling}`])
  }
  for (const spelling of spellings(id.form)) {
    requests.push(['GET', `/forms/${spelling}`])
    requests.push(['PATCH', `/v1/forms/${spelling}`])
    requests.push(['DELETE', `/v1/forms/${spelling}`])
  }
  for (const spelling of spellings(id.upsert)) requests.push(['GET', `/contacts/upsert/${spelling}`])
  for (const [method, url] of requests) {
    const response = await u.space.request({
      method: method as 'GET',
      url: encodeURI(url),
      ...(method === 'GET' || method === 'DELETE' ? {} : { payload: body }),
    })
    expect(response.statusCode, `${method} ${url}: ${response.body}`).toBe(404)
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/)
  }
  // nothing was deleted or changed: the canonical ids still read the same resources
  for (const url of [
    `/contacts/${id.contact}`,
    `/contacts/${id.contact}/notes`,
    `/forms/${id.form}`,
    `/contacts/upsert/${id.upsert}`,
  ]) {
    expect((await u.space.request({ method: 'GET', url })).statusCode, url).toBe(200)
  }
  const notes = (await u.space.request({ method: 'GET', url: `/contacts/${id.contact}/notes` })).json().data
    .notes
  expect(notes.map((n: { id: number; data: string }) => [n.id, n.data])).toEqual([[id.note, 'hello']])
  const interactions = (
    await u.space.request({ method: 'GET', url: `/contacts/${id.contact}/interactions` })
  ).json().data.interactions
  expect(interactions.map((i: { id: number }) => i.id)).toEqual([id.interaction])
})

test('ids past 2^53 - 1, negative ids and words are 404 too; a form type still lists its forms', async () => {
  for (const url of ['/contacts/9007199254740993', '/contacts/-1', '/contacts/abc', '/forms/1e1']) {
    const response = await u.space.request({ method: 'GET', url })
    expect(response.statusCode, url).toBe(404)
  }
  expect((await u.space.request({ method: 'GET', url: '/forms/survey' })).statusCode).toBe(200)
  expect((await u.space.request({ method: 'GET', url: '/forms/planets' })).statusCode).toBe(422)
})
