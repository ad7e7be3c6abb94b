import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { type Space, type TestApp, testApp } from '../../test/app.ts'
import { createContact } from '../../test/fixtures.ts'
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

const seedNote = searchSeed.data.contacts[0].notes
const NOTE_RULES = { nonNull: ['id', 'created_at', 'updated_at', 'data', 'contact_id', 'group_id', 'pinned'] }

const post = (contactId: number, note: Record<string, unknown>, s = space) =>
  s.request({ method: 'POST', url: `/contacts/${contactId}/notes`, payload: { data: { note } } })

describe('/contacts/{id}/notes', () => {
  test('create (content or data), list, update, delete; the note shape of the search seed', async () => {
    const contact = await createContact(space)
    const first = await post(contact.id, { content: 'Called back', pinned: true })
    expect(first.statusCode).toBe(200)
    const note = first.json().data.note
    expect(shapeDiff(note, seedNote, NOTE_RULES)).toEqual([])
    expect(note).toMatchObject({
      data: 'Called back',
      pinned: true,
      contact_id: contact.id,
      group_id: space.groupId,
    })
    expect(note.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    const second = (await post(contact.id, { data: 'Wants a poster' })).json().data.note
    expect(second.pinned).toBe(false)

    const list = await space.request({ method: 'GET', url: `/contacts/${contact.id}/notes` })
    expect(list.json()).toEqual({ status: 'success', data: { notes: [note, second] } })
    const onContact = (await space.request({ method: 'GET', url: `/contacts/${contact.id}` })).json().data
      .contact
    expect(onContact.notes).toEqual([
      { content: 'Called back', id: note.id, pinned: true },
      { content: 'Wants a poster', id: second.id, pinned: false },
    ])

    const patched = await space.request({
      method: 'PATCH',
      url: `/contacts/${contact.id}/notes/${note.id}`,
      payload: { data: { note: { pinned: false } } },
    })
    expect(patched.json().data.note).toMatchObject({ id: note.id, data: 'Called back', pinned: false })
    const text = await space.request({
      method: 'PATCH',
      url: `/contacts/${contact.id}/notes/${second.id}`,
      payload: { data: { note: { ...second, content: 'Wants two posters' } } },
    })
    expect(text.json().data.note).toMatchObject({ data: 'Wants two posters', pinned: false })

    const removed = await space.request({ method: 'DELETE', url: `/contacts/${contact.id}/notes/${note.id}` })
    expect(removed.json()).toEqual({ status: 'success', data: { id: note.id } })
    const again = await space.request({ method: 'DELETE', url: `/contacts/${contact.id}/notes/${note.id}` })
    expect(again.statusCode).toBe(404)
    const after = await space.request({ method: 'GET', url: `/contacts/${contact.id}/notes` })
    expect(after.json().data.notes.map((n: any) => n.id)).toEqual([second.id])
  })

  test('a note needs text (422 with its location)', async () => {
    const contact = await createContact(space)
    const none = await post(contact.id, { pinned: true })
    expect(none.statusCode).toBe(422)
    expect(none.json().errors[0].location).toBe('body.data.note.content')
    const blank = await post(contact.id, { data: '  ' })
    expect(blank.json().errors[0].location).toBe('body.data.note.data')
    const list = await space.request({ method: 'GET', url: `/contacts/${contact.id}/notes` })
    expect(list.json().data.notes).toEqual([])
  })

  test('a contact of another space, or a note of another contact, is a 404', async () => {
    const other = await t.newSpace()
    const theirs = await createContact(other)
    const theirNote = (await post(theirs.id, { content: 'secret' }, other)).json().data.note
    expect((await space.request({ method: 'GET', url: `/contacts/${theirs.id}/notes` })).statusCode).toBe(404)
    expect((await post(theirs.id, { content: 'x' })).statusCode).toBe(404)
    const mine = await createContact(space)
    const wrong = await space.request({
      method: 'PATCH',
      url: `/contacts/${mine.id}/notes/${theirNote.id}`,
      payload: { data: { note: { content: 'hijack' } } },
    })
    expect(wrong.statusCode).toBe(404)
    expect(
      (await space.request({ method: 'DELETE', url: `/contacts/${mine.id}/notes/${theirNote.id}` }))
        .statusCode,
    ).toBe(404)
    const still = await other.request({ method: 'GET', url: `/contacts/${theirs.id}/notes` })
    expect(still.json().data.notes).toEqual([theirNote])
  })
})
