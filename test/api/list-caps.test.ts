// A contact holds at most 1,000 tags and 1,000 notes, what PATCH accepts, whichever route writes
// them: otherwise GET could return a contact that PATCH then refuses (the GET → PATCH round trip).
import { expect, test } from 'vitest'
import { MAX_NOTES_PER_CONTACT, MAX_TAGS_PER_CONTACT } from '../../src/contacts/contacts.schema.ts'
import { as, upsert, useWorkerApp } from '../../src/upsert/upsert.testing.ts'

const u = useWorkerApp()

const request = (options: Parameters<typeof as>[2]) => as(u.app, u.space.key, options)

async function fullContact(list: 'tags' | 'notes', count: number) {
  const items = Array.from({ length: count }, (_, i) =>
    list === 'tags' ? { name: `tag ${i}` } : { content: `note ${i}` },
  )
  const created = await request({
    method: 'POST',
    url: '/contacts',
    payload: { data: { contact: { surname: 'Full', [list]: items } } },
  })
  expect(created.statusCode).toBe(200)
  return created.json().data.contact as { id: number; tags: unknown[]; notes: unknown[] }
}

async function roundTrip(id: number) {
  const got = await request({ method: 'GET', url: `/contacts/${id}` })
  const contact = got.json().data.contact
  const patched = await request({ method: 'PATCH', url: `/contacts/${id}`, payload: { data: { contact } } })
  expect(patched.statusCode).toBe(200)
  return contact as { tags: unknown[]; notes: unknown[] }
}

test('an upsert that would add a tag past the most is rejected and changes nothing', async () => {
  const full = await fullContact('tags', MAX_TAGS_PER_CONTACT)
  const known = await upsert(u.app, u.space.key, { id: full.id, tags: [{ name: 'tag 1' }], mail: 'a@b.fr' })
  expect(known).toMatchObject({ status: 'done', contact_id: full.id })

  const past = await upsert(u.app, u.space.key, { id: full.id, tags: [{ name: 'one more' }], mail: 'c@d.fr' })
  expect(past.status).toBe('rejected')
  expect(past.reason).toContain(`would have ${MAX_TAGS_PER_CONTACT + 1} tags`)
  const after = await roundTrip(full.id)
  expect(after.tags).toHaveLength(MAX_TAGS_PER_CONTACT)
  expect(JSON.stringify(after)).toContain('a@b.fr')
  expect(JSON.stringify(after)).not.toContain('c@d.fr')
})

test('an upsert that would add a note past the most is rejected; one that edits a note is not', async () => {
  const full = await fullContact('notes', MAX_NOTES_PER_CONTACT)
  const first = (await roundTrip(full.id)).notes[0] as { id: number }
  const edit = await upsert(u.app, u.space.key, { id: full.id, notes: [{ id: first.id, content: 'edited' }] })
  expect(edit).toMatchObject({ status: 'done' })

  const past = await upsert(u.app, u.space.key, { id: full.id, notes: [{ content: 'one more' }] })
  expect(past.status).toBe('rejected')
  expect(past.reason).toContain(`would have ${MAX_NOTES_PER_CONTACT + 1} notes`)
  const after = await roundTrip(full.id)
  expect(after.notes).toHaveLength(MAX_NOTES_PER_CONTACT)
  expect(JSON.stringify(after.notes)).toContain('edited')
})

test('POST /contacts/{id}/notes on a contact that holds the most notes is a 409, and adds nothing', async () => {
  const full = await fullContact('notes', MAX_NOTES_PER_CONTACT - 1)
  const last = await request({
    method: 'POST',
    url: `/contacts/${full.id}/notes`,
    payload: { data: { note: { content: 'the last one' } } },
  })
  expect(last.statusCode).toBe(200)

  const past = await request({
    method: 'POST',
    url: `/contacts/${full.id}/notes`,
    payload: { data: { note: { content: 'one more' } } },
  })
  expect(past.statusCode).toBe(409)
  expect(past.json().detail).toContain(`already has ${MAX_NOTES_PER_CONTACT} notes`)
  const after = await roundTrip(full.id)
  expect(after.notes).toHaveLength(MAX_NOTES_PER_CONTACT)
  expect(JSON.stringify(after.notes)).not.toContain('one more')
})
