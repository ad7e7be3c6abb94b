import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { type Space, type TestApp, testApp } from '../../test/app.ts'
import { createContact } from '../../test/fixtures.ts'

let t: TestApp
let space: Space
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())
beforeEach(async () => {
  space = await t.newSpace()
})

const listTags = async (s = space) => {
  const response = await s.request({ method: 'GET', url: '/v1/tags' })
  expect(response.statusCode).toBe(200)
  return response.json().data.tags.map((tag: any) => [tag.name, tag.appearance_count])
}

describe('GET /v1/tags and appearance_count', () => {
  test('lists every tag of the space with its exact count, unused tags at 0', async () => {
    expect(await listTags()).toEqual([])
    const a = await createContact(space, { tags: [{ name: 'vip' }, { name: 'donor', color: '#123456' }] })
    const b = await createContact(space, { tags: [{ name: 'vip' }] })
    await createContact(await t.newSpace(), { tags: [{ name: 'vip' }, { name: 'elsewhere' }] })
    expect(await listTags()).toEqual([
      ['donor', 1],
      ['vip', 2],
    ])
    const body = (await space.request({ method: 'GET', url: '/v1/tags' })).json()
    expect(body.data.tags[0]).toEqual({
      id: expect.any(Number),
      name: 'donor',
      color: '#123456',
      appearance_count: 1,
    })

    // PATCH replaces the contact's tags: counts follow, the unused tag stays with 0
    const patched = await space.request({
      method: 'PATCH',
      url: `/contacts/${a.id}`,
      // gender null is dropped: the contacts schema refuses gender: null (reported)
      payload: { data: { contact: { ...a, gender: undefined, tags: [{ name: 'volunteer' }] } } },
    })
    expect(patched.statusCode, patched.body).toBe(200)
    expect(patched.json().data.contact.tags).toEqual([
      { name: 'volunteer', appearance_count: 1, color: expect.any(String) },
    ])
    expect(await listTags()).toEqual([
      ['donor', 0],
      ['vip', 1],
      ['volunteer', 1],
    ])
    // deleting a contact drops its tags from the counts
    await space.request({ method: 'DELETE', url: `/contacts/${b.id}` })
    expect(await listTags()).toEqual([
      ['donor', 0],
      ['vip', 0],
      ['volunteer', 1],
    ])
    const read = await space.request({ method: 'GET', url: `/contacts/${a.id}` })
    expect(read.json().data.contact.tags[0].appearance_count).toBe(1)
  })
})
