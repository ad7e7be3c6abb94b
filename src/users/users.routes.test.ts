import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type Space, type TestApp, testApp } from '../../test/app.ts'
import { aPerson } from '../../test/people.ts'
import * as spaces from '../spaces/spaces.service.ts'

let t: TestApp
let space: Space
beforeAll(async () => {
  t = await testApp()
  space = await t.newSpace()
})
afterAll(() => t.close())

const USER_KEYS = [
  'CreatedAt',
  'UpdatedAt',
  'address',
  'avatar',
  'birthdate',
  'city',
  'created',
  'firstname',
  'group_id',
  'id',
  'locale',
  'location',
  'mail',
  'phone',
  'postal',
  'postalcode',
  'role_data',
  'status',
  'surname',
  'two_factor_enable',
]

async function roleId(s: Space, type: string): Promise<number> {
  const roles = (await s.request({ method: 'GET', url: '/roles' })).json().data.roles
  return roles.find((r: { type: string }) => r.type === type).id
}

describe('GET /roles', () => {
  test('every space starts with the four built-in roles, ids of its own', async () => {
    const a = await t.newSpace()
    const b = await t.newSpace()
    const response = await a.request({ method: 'GET', url: '/roles' })
    expect(response.statusCode).toBe(200)
    const body = response.json()
    expect(body.status).toBe('success')
    expect(body.data.count).toBe(4)
    expect(body.data.roles.map((r: { type: string }) => r.type)).toEqual([
      'superadmin',
      'admin',
      'manager',
      'user',
    ])
    for (const role of body.data.roles)
      expect(Object.keys(role).sort()).toEqual(['color', 'id', 'mobile', 'name', 'order', 'type', 'web'])
    const other = (await b.request({ method: 'GET', url: '/roles' })).json().data.roles
    expect(other.map((r: { id: number }) => r.id)).not.toEqual(
      body.data.roles.map((r: { id: number }) => r.id),
    )
  })

  test('a space created by the CLI or the bootstrap gets them too (a trigger on space)', async () => {
    const created = await spaces.createSpace(t.conn.db, 'from the CLI')
    const { rows } = await sql<{ type: string }>`
      select type from role where group_id = ${created.id} order by "order"`.execute(t.conn.db)
    expect(rows.map((r) => r.type)).toEqual(['superadmin', 'admin', 'manager', 'user'])
  })
})

describe('GET /users, GET /users/{id}', () => {
  test('lists the users of the space with count, in the documented shape', async () => {
    const s = await t.newSpace()
    const ann = await aPerson(t, s, 'superadmin')
    await aPerson(t, s, 'user')
    const response = await s.request({ method: 'GET', url: '/users' })
    expect(response.statusCode).toBe(200)
    const { data } = response.json()
    expect(data.count).toBe(2)
    expect(data.users).toHaveLength(2)
    const user = data.users.find((u: { id: number }) => u.id === ann.id)
    expect(Object.keys(user).sort()).toEqual([...USER_KEYS].sort())
    expect(user).toMatchObject({ mail: ann.mail, group_id: [s.groupId], two_factor_enable: false })
    expect(user.role_data).toMatchObject({
      type: 'superadmin',
      name: 'Administrator',
      web: true,
      mobile: true,
    })
    expect(typeof user.CreatedAt).toBe('string')
    const one = await s.request({ method: 'GET', url: `/users/${ann.id}` })
    expect(one.json()).toEqual({ status: 'success', data: { user } })
  })

  test('limit, offset and sort (alphabetical by surname)', async () => {
    const s = await t.newSpace()
    const people = []
    for (let i = 0; i < 3; i++) people.push(await aPerson(t, s))
    for (const [i, surname] of ['Zola', 'Adam', 'Moreau'].entries())
      await s.request({ method: 'PATCH', url: `/users/${people[i]!.id}`, payload: { data: { surname } } })
    const sorted = (await s.request({ method: 'GET', url: '/users?sort=true' })).json().data
    expect(sorted.users.map((u: { surname: string }) => u.surname)).toEqual(['Adam', 'Moreau', 'Zola'])
    const page = (await s.request({ method: 'GET', url: '/users?sort=true&limit=1&offset=1' })).json().data
    expect(page.count).toBe(3)
    expect(page.users.map((u: { surname: string }) => u.surname)).toEqual(['Moreau'])
    expect((await s.request({ method: 'GET', url: '/users?limit=0' })).statusCode).toBe(422)
  })

  test('a user of another space is a 404, and group_id never shows the other spaces to others', async () => {
    const a = await t.newSpace()
    const b = await t.newSpace()
    const both = await aPerson(t, a)
    await aPerson(t, b, 'user', { mail: both.mail })
    const outsider = await aPerson(t, await t.newSpace())
    expect((await a.request({ method: 'GET', url: `/users/${outsider.id}` })).statusCode).toBe(404)
    const seenByA = (await a.request({ method: 'GET', url: `/users/${both.id}` })).json().data.user
    expect(seenByA.group_id).toEqual([a.groupId])
    const self = (await both.request({ method: 'GET', url: '/v1/auth/me' })).json().data.user
    expect(self.group_id).toEqual([a.groupId, b.groupId])
  })
})

describe('PATCH /users/{id}', () => {
  test('writes the fields sent, leaves the others, answers "OK"', async () => {
    const person = await aPerson(t, space)
    const response = await space.request({
      method: 'PATCH',
      url: `/users/${person.id}`,
      payload: { data: { firstname: 'Louise', city: 'Lyon', postal: '69001', birthdate: '1990-05-04' } },
    })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({ data: 'OK', status: 'success' })
    const user = (await space.request({ method: 'GET', url: `/users/${person.id}` })).json().data.user
    expect(user).toMatchObject({ firstname: 'Louise', city: 'Lyon', postal: '69001', postalcode: '69001' })
    expect(user.surname).toMatch(/^Person/)
    expect(user.birthdate).toMatch(/^1990-05-04T00:00:00/)
  })

  test("one space's edit does not show in another; the e-mail of a user of several spaces is theirs to change", async () => {
    const a = await t.newSpace()
    const b = await t.newSpace()
    const person = await aPerson(t, a)
    await aPerson(t, b, 'user', { mail: person.mail })
    await a.request({
      method: 'PATCH',
      url: `/users/${person.id}`,
      payload: { data: { firstname: 'OnlyInA' } },
    })
    const inB = (await b.request({ method: 'GET', url: `/users/${person.id}` })).json().data.user
    expect(inB.firstname).toBe('Ada')
    const mail = await a.request({
      method: 'PATCH',
      url: `/users/${person.id}`,
      payload: { data: { mail: 'taken-over@example.com' } },
    })
    expect(mail.statusCode).toBe(409)
    expect(mail.json().errors[0].location).toBe('body.data.mail')
  })

  test('an e-mail another user has is a 409; an unknown user a 404', async () => {
    const one = await aPerson(t, space)
    const two = await aPerson(t, space)
    const taken = await space.request({
      method: 'PATCH',
      url: `/users/${two.id}`,
      payload: { data: { mail: one.mail } },
    })
    expect(taken.statusCode).toBe(409)
    const renamed = await space.request({
      method: 'PATCH',
      url: `/users/${two.id}`,
      payload: { data: { mail: `renamed.${two.id}@example.com` } },
    })
    expect(renamed.statusCode).toBe(200)
    expect(
      (await space.request({ method: 'PATCH', url: '/users/99999999', payload: { data: {} } })).statusCode,
    ).toBe(404)
  })
})

describe('PATCH /users/role', () => {
  test('sets the role and answers "OK"', async () => {
    const person = await aPerson(t, space)
    const admin = await roleId(space, 'admin')
    const response = await space.request({
      method: 'PATCH',
      url: '/users/role',
      payload: { data: { role_id: admin, user_id: person.id } },
    })
    expect(response.json()).toEqual({ data: 'OK', status: 'success' })
    const user = (await space.request({ method: 'GET', url: `/users/${person.id}` })).json().data.user
    expect(user.role_data).toMatchObject({ id: admin, type: 'admin' })
    // the role holds from the next request of their session
    const me = (await person.request({ method: 'GET', url: '/v1/auth/me' })).json().data
    expect(me.role).toBe('admin')
  })

  test("another space's role id is a 422; an unknown user a 404", async () => {
    const person = await aPerson(t, space)
    const foreign = await roleId(await t.newSpace(), 'admin')
    const response = await space.request({
      method: 'PATCH',
      url: '/users/role',
      payload: { data: { role_id: foreign, user_id: person.id } },
    })
    expect(response.statusCode).toBe(422)
    expect(response.json().errors[0].location).toBe('body.data.role_id')
    const unknown = await space.request({
      method: 'PATCH',
      url: '/users/role',
      payload: { data: { role_id: await roleId(space, 'user'), user_id: 99999999 } },
    })
    expect(unknown.statusCode).toBe(404)
  })

  test('only a superadmin gives or takes superadmin; the last superadmin stays', async () => {
    const s = await t.newSpace()
    const boss = await aPerson(t, s, 'superadmin')
    const admin = await aPerson(t, s, 'admin')
    const superRole = await roleId(s, 'superadmin')
    const userRole = await roleId(s, 'user')
    const promote = {
      method: 'PATCH' as const,
      url: '/users/role',
      payload: { data: { role_id: superRole, user_id: admin.id } },
    }
    expect((await admin.request(promote)).statusCode).toBe(403)
    const demoteBoss = { data: { role_id: userRole, user_id: boss.id } }
    expect(
      (await admin.request({ method: 'PATCH', url: '/users/role', payload: demoteBoss })).statusCode,
    ).toBe(403)
    const last = await boss.request({ method: 'PATCH', url: '/users/role', payload: demoteBoss })
    expect(last.statusCode).toBe(409)
    expect((await s.request({ method: 'DELETE', url: `/users/${boss.id}` })).statusCode).toBe(409)
    expect((await boss.request(promote)).statusCode).toBe(200)
    expect(
      (await boss.request({ method: 'PATCH', url: '/users/role', payload: demoteBoss })).statusCode,
    ).toBe(200)
  })

  test('advanced_search is checked as a search (422 with its path) and stored; null removes it', async () => {
    const person = await aPerson(t, space)
    const user = await roleId(space, 'user')
    const bad = await space.request({
      method: 'PATCH',
      url: '/users/role',
      payload: {
        data: {
          role_id: user,
          user_id: person.id,
          advanced_search: { query: { $all: [{ $condition: {} }] } },
        },
      },
    })
    expect(bad.statusCode).toBe(422)
    const scope = { $all: [{ $all: [{ $condition: { attr: 'tags', ope: 'eql', value: 'Lyon' } }] }] }
    const good = await space.request({
      method: 'PATCH',
      url: '/users/role',
      payload: {
        data: { role_id: user, user_id: person.id, advanced_search: { query: scope }, saved_filters_id: 3 },
      },
    })
    expect(good.statusCode).toBe(200)
    expect((await person.request({ method: 'GET', url: '/v1/auth/me' })).json().data.advanced_search).toEqual(
      scope,
    )
    await space.request({
      method: 'PATCH',
      url: '/users/role',
      payload: { data: { role_id: user, user_id: person.id } },
    })
    expect((await person.request({ method: 'GET', url: '/v1/auth/me' })).json().data.advanced_search).toEqual(
      scope,
    )
    await space.request({
      method: 'PATCH',
      url: '/users/role',
      payload: { data: { role_id: user, user_id: person.id, advanced_search: null } },
    })
    expect(
      (await person.request({ method: 'GET', url: '/v1/auth/me' })).json().data.advanced_search,
    ).toBeNull()
  })
})

describe('DELETE /users/{id}', () => {
  test('removes the user from this space only', async () => {
    const a = await t.newSpace()
    const b = await t.newSpace()
    const person = await aPerson(t, a)
    await aPerson(t, b, 'user', { mail: person.mail })
    const response = await a.request({ method: 'DELETE', url: `/users/${person.id}` })
    expect(response.json()).toEqual({ status: 'success', data: { id: person.id } })
    expect((await a.request({ method: 'GET', url: `/users/${person.id}` })).statusCode).toBe(404)
    expect((await b.request({ method: 'GET', url: `/users/${person.id}` })).statusCode).toBe(200)
    expect((await a.request({ method: 'DELETE', url: `/users/${person.id}` })).statusCode).toBe(404)
  })
})
