// API keys tied to a user: the user's role and contacts bind the key as well as its scope, and
// what the key (or the user's session) writes names the user as its author.
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { type Space, type TestApp, testApp } from '../../test/app.ts'
import { aPerson } from '../../test/people.ts'
import { upsert, workerApp } from '../../test/upsert.ts'
import type { KeyScope } from '../db/database.ts'
import * as roles from '../roles/roles.service.ts'
import * as spaces from './spaces.service.ts'

let t: TestApp
beforeAll(async () => {
  t = await testApp({}, { listen: true })
})
afterAll(() => t.close())

async function keyFor(space: Space, userId: number, scope: KeyScope = 'full') {
  const { key, id } = await spaces.createApiKey(t.conn.db, space.groupId, 'user key', { scope, userId })
  return {
    id,
    key,
    request: (options: Parameters<Space['request']>[0]) =>
      t.app.inject({ ...options, headers: { authorization: `Bearer ${key}`, ...options.headers } }),
  }
}

const contact = (surname: string, city = 'Paris') => ({
  data: { contact: { firstname: 'Ada', surname, address: { city } } },
})

describe('a key tied to a user', () => {
  test("the user's role binds it: a user-role key of scope full cannot manage keys; a manager's cannot read contacts", async () => {
    const space = await t.newSpace()
    const user = await aPerson(t, space, 'user')
    const key = await keyFor(space, user.id)
    expect((await key.request({ method: 'GET', url: '/v1/keys' })).statusCode).toBe(403)
    expect(
      (await key.request({ method: 'POST', url: '/contacts', payload: contact('Byron') })).statusCode,
    ).toBe(200)
    const manager = await aPerson(t, space, 'manager')
    const managerKey = await keyFor(space, manager.id)
    expect(
      (await managerKey.request({ method: 'POST', url: '/contacts', payload: contact('X') })).statusCode,
    ).toBe(403)
    expect((await managerKey.request({ method: 'GET', url: '/actions' })).statusCode).toBe(200)
    // and the scope still binds a superadmin's key
    const boss = await aPerson(t, space, 'superadmin')
    const readKey = await keyFor(space, boss.id, 'read')
    expect((await readKey.request({ method: 'GET', url: '/v1/keys' })).statusCode).toBe(403)
    expect(
      (await (await keyFor(space, boss.id)).request({ method: 'GET', url: '/v1/keys' })).statusCode,
    ).toBe(200)
  })

  test("the user's contacts bind it, and a change of role takes effect at the next request", async () => {
    const space = await t.newSpace()
    for (const [surname, city] of [
      ['Lyonnais', 'Lyon'],
      ['Parisien', 'Paris'],
    ])
      await space.request({ method: 'POST', url: '/contacts', payload: contact(surname!, city) })
    const scope = { $all: [{ $all: [{ $condition: { attr: 'address.city', ope: 'eql', value: 'Lyon' } }] }] }
    const user = await aPerson(t, space, 'user', { scope })
    const key = await keyFor(space, user.id)
    const search = () =>
      key.request({
        method: 'POST',
        url: '/search',
        payload: { data: { advanced_search: { query: { $all: [] } } } },
      })
    const seen = () => search().then((r) => r.json().data.contacts.map((c: { surname: string }) => c.surname))
    expect(await seen()).toEqual(['Lyonnais'])
    expect(await seen()).toEqual(['Lyonnais']) // from the key cache now
    const manager = await roles.builtIn(t.conn.db, space.groupId, 'manager')
    await t.conn.db
      .updateTable('space_user')
      .set({ role_id: manager.id })
      .where('group_id', '=', space.groupId)
      .where('user_id', '=', user.id)
      .execute()
    await vi.waitFor(async () => expect((await search()).statusCode).toBe(403), { timeout: 3000 })
  })

  test('a key for someone who is not a user of the space is refused; the key goes when the user leaves', async () => {
    const space = await t.newSpace()
    const other = await t.newSpace()
    const stranger = await aPerson(t, other, 'user')
    await expect(
      spaces.createApiKey(t.conn.db, space.groupId, 'x', { userId: stranger.id }),
    ).rejects.toMatchObject({
      status: 404,
    })
    const created = await space.request({
      method: 'POST',
      url: '/v1/keys',
      payload: { data: { key: { user_id: stranger.id } } },
    })
    expect(created.statusCode).toBe(404)
    const user = await aPerson(t, space, 'user')
    const viaHttp = await space.request({
      method: 'POST',
      url: '/v1/keys',
      payload: { data: { key: { user_id: user.id, scope: 'write' } } },
    })
    expect(viaHttp.json().data.key).toMatchObject({ user_id: user.id, scope: 'write' })
    const key = viaHttp.json().data.key.key
    const get = () =>
      t.app.inject({ method: 'GET', url: '/actions', headers: { authorization: `Bearer ${key}` } })
    expect((await get()).statusCode).toBe(200)
    expect((await space.request({ method: 'DELETE', url: `/users/${user.id}` })).statusCode).toBe(200)
    await vi.waitFor(async () => expect((await get()).statusCode).toBe(401), { timeout: 3000 })
  })
})

describe('authorship', () => {
  test("a contact's user_id is the user who created it: by a key tied to them, by their session, by their upsert", async () => {
    const space = await t.newSpace()
    const user = await aPerson(t, space, 'user')
    const key = await keyFor(space, user.id)
    const byKey = (await key.request({ method: 'POST', url: '/contacts', payload: contact('ByKey') })).json()
      .data.contact
    expect(byKey.user_id).toBe(user.id)
    const bySession = await user.request({ method: 'POST', url: '/contacts', payload: contact('BySession') })
    expect(bySession.json().data.contact.user_id).toBe(user.id)
    const plain = (
      await space.request({ method: 'POST', url: '/contacts', payload: contact('Plain') })
    ).json().data.contact
    expect(plain.user_id).toBeNull()
    // the history names the user, and the channel a session writes through
    const history = (id: number) =>
      space.request({ method: 'GET', url: `/v1/contacts/${id}/history` }).then((r) => r.json().data.history)
    expect((await history(byKey.id))[0]).toMatchObject({
      author: { api_key_id: key.id, user_id: user.id },
      channel: 'api',
    })
    expect((await history(bySession.json().data.contact.id))[0]).toMatchObject({
      author: { api_key_id: null, user_id: user.id },
      channel: 'console',
      route: 'POST /contacts',
    })
    const worker = await workerApp(t.conn.db)
    try {
      const done = await upsert(worker, key.key, {
        firstname: 'Up',
        surname: 'Serted',
        mail: 'up@example.com',
      })
      expect(done.status).toBe('done')
      const upserted = await space.request({ method: 'GET', url: `/contacts/${done.contact_id}` })
      expect(upserted.json().data.contact.user_id).toBe(user.id)
      expect((await history(done.contact_id))[0]).toMatchObject({
        author: { api_key_id: key.id, user_id: user.id },
        channel: 'upsert',
      })
    } finally {
      await worker.close()
    }
  })
})
