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

const seedInteraction = searchSeed.data.contacts[0].interactions[0]
const RULES = {
  nonNull: [
    'id',
    'created_at',
    'updated_at',
    'type',
    'contact_id',
    'group_id',
    'only_super_admin',
    'files',
  ].concat(['files[].id', 'files[].created', 'files[].group_id', 'files[].is_interaction']),
}

const letter = {
  type: 'letter',
  sub_type: 'incoming',
  title: 'Send a request for information',
  comments: 'Asked about the next event.',
  created_at: '2024-09-12T08:06:47.957Z',
  files: [
    {
      name: 'letter.jpg',
      mime: 'image/jpeg',
      url: 'https://files.example/letter.jpg',
      folder: 'mail',
      subject: 'The letter',
    },
  ],
}

const url = (contactId: number, id?: number) => `/contacts/${contactId}/interactions${id ? `/${id}` : ''}`
const post = (contactId: number, interaction: Record<string, unknown>, s = space) =>
  s.request({ method: 'POST', url: url(contactId), payload: { data: { interaction } } })

describe('/contacts/{id}/interactions', () => {
  test('create with files, list newest first, in the interaction shape of test/seeds/search-shape.json', async () => {
    const contact = await createContact(space)
    const response = await post(contact.id, letter)
    expect(response.statusCode).toBe(200)
    const created = response.json().data.interaction
    expect(shapeDiff(created, seedInteraction, RULES)).toEqual([])
    expect(created).toMatchObject({
      type: 'letter',
      sub_type: 'incoming',
      created_at: '2024-09-12T08:06:47.957Z',
      contact_id: contact.id,
      group_id: space.groupId,
      only_super_admin: false,
      files: [
        {
          name: 'letter.jpg',
          mime: 'image/jpeg',
          folder: 'mail',
          subject: 'The letter',
          is_interaction: true,
        },
      ],
    })
    const call = (await post(contact.id, { type: 'call', sub_type: 'outgoing' })).json().data.interaction
    expect(call.files).toEqual([])
    const list = await space.request({ method: 'GET', url: url(contact.id) })
    expect(list.json()).toEqual({ status: 'success', data: { interactions: [call, created] } })
  })

  test('PATCH changes the keys sent; files sent are the new list (ids kept by id)', async () => {
    const contact = await createContact(space)
    const created = (await post(contact.id, letter)).json().data.interaction
    const kept = created.files[0]
    const response = await space.request({
      method: 'PATCH',
      url: url(contact.id, created.id),
      payload: {
        data: {
          interaction: {
            comments: 'Answered',
            files: [
              { ...kept, subject: 'Scanned letter' },
              { name: 'answer.pdf', mime: 'application/pdf' },
            ],
          },
        },
      },
    })
    expect(response.statusCode).toBe(200)
    const patched = response.json().data.interaction
    expect(patched).toMatchObject({ type: 'letter', title: letter.title, comments: 'Answered' })
    expect(patched.files.map((f: any) => [f.name, f.subject])).toEqual([
      ['letter.jpg', 'Scanned letter'],
      ['answer.pdf', null],
    ])
    expect(patched.files[0].id).toBe(kept.id)
    // what GET returned can be sent back unchanged (sub_type null included)
    const call = (await post(contact.id, { type: 'call' })).json().data.interaction
    const back = await space.request({
      method: 'PATCH',
      url: url(contact.id, call.id),
      payload: { data: { interaction: call } },
    })
    expect(back.statusCode, back.body).toBe(200)
    expect({ ...back.json().data.interaction, updated_at: call.updated_at }).toEqual(call)
    const noFiles = await space.request({
      method: 'PATCH',
      url: url(contact.id, created.id),
      payload: { data: { interaction: { files: [] } } },
    })
    expect(noFiles.json().data.interaction.files).toEqual([])
  })

  test('bad input is a 422 naming the field, and writes nothing', async () => {
    const contact = await createContact(space)
    const badType = await post(contact.id, { type: 'fax' })
    expect(badType.statusCode).toBe(422)
    expect(badType.json().errors[0].location).toBe('body.data.interaction.type')
    expect(badType.json().errors[0].message).toMatch(/letter.*door_to_door.*other/)
    const badSub = await post(contact.id, { type: 'call', sub_type: 'sideways' })
    expect(badSub.json().errors[0].location).toBe('body.data.interaction.sub_type')
    const noType = await post(contact.id, { title: 'x' })
    expect(noType.json().errors[0].location).toBe('body.data.interaction.type')
    const emptyFile = await post(contact.id, { type: 'email', files: [{ mime: 'text/plain' }] })
    expect(emptyFile.statusCode).toBe(422)
    expect(emptyFile.json().errors[0].location).toBe('body.data.interaction.files[0]')
    const list = await space.request({ method: 'GET', url: url(contact.id) })
    expect(list.json().data.interactions).toEqual([])
  })

  test('delete; another space or another contact is a 404; deleting the contact erases them', async () => {
    const contact = await createContact(space)
    const created = (await post(contact.id, letter)).json().data.interaction
    const other = await t.newSpace()
    expect((await other.request({ method: 'GET', url: url(contact.id) })).statusCode).toBe(404)
    expect((await post(contact.id, letter, other)).statusCode).toBe(404)
    const stranger = await createContact(space)
    expect((await space.request({ method: 'DELETE', url: url(stranger.id, created.id) })).statusCode).toBe(
      404,
    )
    const removed = await space.request({ method: 'DELETE', url: url(contact.id, created.id) })
    expect(removed.json()).toEqual({ status: 'success', data: { id: created.id } })
    expect((await space.request({ method: 'DELETE', url: url(contact.id, created.id) })).statusCode).toBe(404)
    const again = (await post(contact.id, letter)).json().data.interaction
    await space.request({ method: 'DELETE', url: `/contacts/${contact.id}` })
    const files = await t.conn.db
      .selectFrom('file')
      .select('id')
      .where('interaction_id', '=', again.id)
      .execute()
    expect(files).toEqual([])
  })
})

describe('created_at both databases can store', () => {
  test.each([
    '0000-01-01T00:00:00Z',
    '0001-01-01T00:30:00+01:00',
    '2024-06-30T23:59:60Z',
    '10000-01-01T00:00:00Z',
  ])('%s → 422 at created_at on POST and PATCH, and nothing changes', async (createdAt) => {
    const contact = await createContact(space)
    const refused = await post(contact.id, { type: 'call', created_at: createdAt })
    expect(refused.statusCode, refused.body).toBe(422)
    expect(refused.json().errors[0].location).toBe('body.data.interaction.created_at')
    const kept = (await post(contact.id, { type: 'call', created_at: '2024-06-30T23:59:59Z' })).json().data
      .interaction
    const patched = await space.request({
      method: 'PATCH',
      url: url(contact.id, kept.id),
      payload: { data: { interaction: { created_at: createdAt } } },
    })
    expect(patched.statusCode, patched.body).toBe(422)
    const list = (await space.request({ method: 'GET', url: url(contact.id) })).json().data.interactions
    expect(list.map((i: { created_at: string }) => i.created_at)).toEqual(['2024-06-30T23:59:59.000Z'])
  })

  test('the first and last instants of years 0001-9999 are stored and read back as sent', async () => {
    const contact = await createContact(space)
    for (const at of ['0001-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z']) {
      const created = await post(contact.id, { type: 'call', created_at: at })
      expect(created.statusCode, created.body).toBe(200)
      expect(created.json().data.interaction.created_at).toBe(at)
    }
  })
})
