// `UpdatedAt` changes on every write of a contact (docs/api.md), also the writes of its notes and
// interactions through their own routes, so clients that poll on it see them; `lastchange` does
// not (it follows POST and PATCH of the contact only). A write that fails moves nothing.
import { expect, test } from 'vitest'
import { useApp } from '../app.ts'
import { createContact } from '../fixtures.ts'

const u = useApp()

const tick = () => new Promise((resolve) => setTimeout(resolve, 5))

test('each note and interaction write moves the contact’s UpdatedAt, not its lastchange', async () => {
  const contact = await createContact(u.space)
  const stamps = async () => {
    const c = (await u.space.request({ method: 'GET', url: `/contacts/${contact.id}` })).json().data.contact
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
  const note = await u.space.request({
    method: 'POST',
    url: `${base}/notes`,
    payload: { data: { note: { content: 'a' } } },
  })
  await expectMoved('note created', note.statusCode, true)
  const noteId = note.json().data.note.id
  const patched = await u.space.request({
    method: 'PATCH',
    url: `${base}/notes/${noteId}`,
    payload: { data: { note: { pinned: true } } },
  })
  await expectMoved('note changed', patched.statusCode, true)
  const unknown = await u.space.request({
    method: 'PATCH',
    url: `${base}/notes/${noteId + 1000}`,
    payload: { data: { note: { pinned: true } } },
  })
  await expectMoved('an unknown note', unknown.statusCode, false)
  await expectMoved(
    'note deleted',
    (await u.space.request({ method: 'DELETE', url: `${base}/notes/${noteId}` })).statusCode,
    true,
  )

  const interaction = await u.space.request({
    method: 'POST',
    url: `${base}/interactions`,
    payload: { data: { interaction: { type: 'call', title: 'hello' } } },
  })
  await expectMoved('interaction created', interaction.statusCode, true)
  const interactionId = interaction.json().data.interaction.id
  const changed = await u.space.request({
    method: 'PATCH',
    url: `${base}/interactions/${interactionId}`,
    payload: { data: { interaction: { title: 'again' } } },
  })
  await expectMoved('interaction changed', changed.statusCode, true)
  const gone = await u.space.request({ method: 'DELETE', url: `${base}/interactions/${interactionId}` })
  await expectMoved('interaction deleted', gone.statusCode, true)
  const again = await u.space.request({ method: 'DELETE', url: `${base}/interactions/${interactionId}` })
  await expectMoved('an interaction already deleted', again.statusCode, false)
})
