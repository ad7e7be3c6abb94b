// `UpdatedAt` changes on every write of a contact (decisions.md), also the writes of its notes and
// interactions through their own routes, so clients that poll on it see them; `lastchange` does
// not (it follows POST and PATCH of the contact only). A write that fails moves nothing.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { type Space, type TestApp, testApp } from '../app.ts'
import { createContact } from '../fixtures.ts'

let t: TestApp
let space: Space
beforeAll(async () => {
  t = await testApp()
  space = await t.newSpace()
})
afterAll(() => t.close())

const tick = () => new Promise((resolve) => setTimeout(resolve, 5))

test('each note and interaction write moves the contact’s UpdatedAt, not its lastchange', async () => {
  const contact = await createContact(space)
  const stamps = async () => {
    const c = (await space.request({ method: 'GET', url: `/contacts/${contact.id}` })).json().data.contact
    return { updated: Date.parse(c.UpdatedAt), lastchange: c.lastchange as string }
  }
  let last = await stamps()
  const expectMoved = async (what: string, status: number, moved: boolean) => {
    const now = await stamps()
    expect(status, what).toBe(moved ? 200 : 404)
    if (moved) expect(now.updated, what).toBeGreaterThan(last.updated)
    else expect(now.updated, what).toBe(last.updated)
    expect(now.lastchange, what).toBe(contact.lastchange)
    last = now
    await tick()
  }
  await tick()
  const base = `/contacts/${contact.id}`
  const note = await space.request({
    method: 'POST',
    url: `${base}/notes`,
    payload: { data: { note: { content: 'a' } } },
  })
  await expectMoved('note created', note.statusCode, true)
  const noteId = note.json().data.note.id
  const patched = await space.request({
    method: 'PATCH',
    url: `${base}/notes/${noteId}`,
    payload: { data: { note: { pinned: true } } },
  })
  await expectMoved('note changed', patched.statusCode, true)
  const unknown = await space.request({
    method: 'PATCH',
    url: `${base}/notes/${noteId + 1000}`,
    payload: { data: { note: { pinned: true } } },
  })
  await expectMoved('an unknown note', unknown.statusCode, false)
  await expectMoved(
    'note deleted',
    (await space.request({ method: 'DELETE', url: `${base}/notes/${noteId}` })).statusCode,
    true,
  )

  const interaction = await space.request({
    method: 'POST',
    url: `${base}/interactions`,
    payload: { data: { interaction: { type: 'call', title: 'hello' } } },
  })
  await expectMoved('interaction created', interaction.statusCode, true)
  const interactionId = interaction.json().data.interaction.id
  const changed = await space.request({
    method: 'PATCH',
    url: `${base}/interactions/${interactionId}`,
    payload: { data: { interaction: { title: 'again' } } },
  })
  await expectMoved('interaction changed', changed.statusCode, true)
  const gone = await space.request({ method: 'DELETE', url: `${base}/interactions/${interactionId}` })
  await expectMoved('interaction deleted', gone.statusCode, true)
  const again = await space.request({ method: 'DELETE', url: `${base}/interactions/${interactionId}` })
  await expectMoved('an interaction already deleted', again.statusCode, false)
})
