// A contact holds at most 1,000 tags and 1,000 notes, what PATCH accepts, whichever route writes
// them: otherwise GET could return a contact that PATCH then refuses (the GET → PATCH round trip).
import { expect, test } from 'vitest'
import {
  MAX_ANSWERS_PER_CONTACT,
  MAX_NOTES_PER_CONTACT,
  MAX_TAGS_PER_CONTACT,
} from '../../src/contacts/contacts.schema.ts'
import { aForm } from '../fixtures.ts'
import { as, upsert, useWorkerApp } from '../upsert.ts'

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

test('10,000 custom fields are written, and an upsert that would add one more is rejected', async () => {
  const job = await aForm(u.t.conn.db, u.space.tenant, {
    type_of_form: 'custom_fields',
    type: 'text',
    label: 'Job',
  })
  const answers = Array.from({ length: MAX_ANSWERS_PER_CONTACT }, (_, i) => ({
    form_id: job.id,
    data: `job ${i}`,
  }))
  const created = await request({
    method: 'POST',
    url: '/contacts',
    payload: { data: { contact: { surname: 'Busy', custom_fields: answers } } },
  })
  expect(created.statusCode, created.body).toBe(200)
  const { id } = created.json().data.contact
  // a full replace by as many others: the old ones soft-deleted, the new ones written in chunks
  const others = answers.map((answer) => ({ ...answer, data: `other ${answer.data}` }))
  const replaced = await request({
    method: 'PATCH',
    url: `/contacts/${id}`,
    payload: { data: { contact: { surname: 'Busy', custom_fields: others } } },
  })
  expect(replaced.statusCode, replaced.body).toBe(200)
  expect(replaced.json().data.contact.customfields.map((a: { data: string }) => a.data)).toEqual(
    others.map((a) => a.data),
  )
  const again = await upsert(u.app, u.space.key, {
    id,
    custom_fields: [{ id: job.id, value: 'other job 7' }],
  })
  expect(again).toMatchObject({ status: 'done' })

  const past = await upsert(u.app, u.space.key, { id, custom_fields: [{ id: job.id, value: 'one more' }] })
  expect(past.status).toBe('rejected')
  expect(past.reason).toContain(`would have ${MAX_ANSWERS_PER_CONTACT + 1} custom_fields`)
  // (no PATCH back here: the test app's body limit is 1 MiB, these answers are more)
  const after = (await request({ method: 'GET', url: `/contacts/${id}` })).json().data.contact
  expect(after.customfields).toHaveLength(MAX_ANSWERS_PER_CONTACT)
  expect(JSON.stringify(after)).not.toContain('one more')
})
