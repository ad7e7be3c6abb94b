import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type Space, type TestApp, testApp } from '../../test/app.ts'
import { aPerson, logIn, PASSWORD, sessionCookie } from '../../test/people.ts'

let t: TestApp
let space: Space
beforeAll(async () => {
  t = await testApp()
  space = await t.newSpace()
})
afterAll(() => t.close())

describe('POST /v1/auth/login', () => {
  test('sets an HttpOnly, SameSite=Strict session cookie and answers the user', async () => {
    const person = await aPerson(t, space, 'admin')
    const response = await logIn(t, person.mail.toUpperCase())
    expect(response.statusCode).toBe(200)
    const cookie = [response.headers['set-cookie']].flat().join()
    expect(cookie).toMatch(/^carnet_session=[\w-]{40,};/)
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Strict/)
    expect(cookie).toMatch(/Path=\//)
    expect(cookie).not.toMatch(/Secure/)
    const body = response.json()
    expect(body.status).toBe('success')
    expect(body.data.user).toMatchObject({ id: person.id, mail: person.mail, group_id: [space.groupId] })
    expect(body.data.user.role_data.type).toBe('admin')
    expect(JSON.stringify(body)).not.toContain('password')
    expect(JSON.stringify(body)).not.toContain('scrypt')
  })

  test('behind a proxy that ends TLS (X-Forwarded-Proto: https) the cookie is Secure', async () => {
    const person = await aPerson(t, space)
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { mail: person.mail, password: PASSWORD },
      headers: { 'x-forwarded-proto': 'https' },
    })
    expect([response.headers['set-cookie']].flat().join()).toMatch(/; Secure/)
  })

  test('a wrong password or an unknown e-mail is the same 401', async () => {
    const person = await aPerson(t, space)
    const wrong = await logIn(t, person.mail, 'not the password')
    const unknown = await logIn(t, 'nobody@example.com', PASSWORD)
    expect([wrong.statusCode, unknown.statusCode]).toEqual([401, 401])
    expect(wrong.json().detail).toBe(unknown.json().detail)
    expect(wrong.headers['content-type']).toMatch(/application\/problem\+json/)
    expect(wrong.headers['set-cookie']).toBeUndefined()
  })

  test('after 5 failures in a row the account waits, doubling, even with the right password', async () => {
    const person = await aPerson(t, space)
    for (let i = 0; i < 5; i++) expect((await logIn(t, person.mail, `wrong ${i}`)).statusCode).toBe(401)
    const sixth = await logIn(t, person.mail, 'wrong again')
    expect(sixth.statusCode).toBe(401)
    const locked = await logIn(t, person.mail, PASSWORD)
    expect(locked.statusCode).toBe(429)
    expect(Number(locked.headers['retry-after'])).toBeGreaterThanOrEqual(1)
    const row = await t.conn.db
      .selectFrom('app_user')
      .select(['failed_logins', 'locked_until'])
      .where('id', '=', person.id)
      .executeTakeFirstOrThrow()
    expect(row.failed_logins).toBe(6)
    expect(row.locked_until).not.toBeNull()
    // once the wait is over, the right password works and the count starts again
    await t.conn.db.updateTable('app_user').set({ locked_until: null }).where('id', '=', person.id).execute()
    expect((await logIn(t, person.mail, PASSWORD)).statusCode).toBe(200)
    const after = await t.conn.db
      .selectFrom('app_user')
      .select('failed_logins')
      .where('id', '=', person.id)
      .executeTakeFirstOrThrow()
    expect(after.failed_logins).toBe(0)
  })

  test('an address that keeps failing is slowed down whatever e-mails it tries', async () => {
    const other = await testApp()
    try {
      const statuses: number[] = []
      for (let i = 0; i < 22; i++)
        statuses.push((await logIn(other, `guess${i}@example.com`, 'password')).statusCode)
      expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401))
      expect(statuses.slice(20)).toEqual([429, 429])
    } finally {
      await other.close()
    }
  })

  test('group_id picks the space; a space the user is not in is a 403', async () => {
    const second = await t.newSpace('second')
    const person = await aPerson(t, space, 'manager')
    await aPerson(t, second, 'user', { mail: person.mail })
    const inSecond = await logIn(t, person.mail, PASSWORD, second.groupId)
    expect(inSecond.statusCode).toBe(200)
    expect(inSecond.json().data.user.group_id).toEqual([space.groupId, second.groupId])
    const me = await t.app.inject({
      method: 'GET',
      url: '/v1/auth/me',
      headers: { cookie: sessionCookie(inSecond) },
    })
    expect(me.json().data).toMatchObject({ group_id: second.groupId, role: 'user' })
    const third = await t.newSpace('third')
    expect((await logIn(t, person.mail, PASSWORD, third.groupId)).statusCode).toBe(403)
  })
})

describe('sessions', () => {
  test('GET /v1/auth/me: the user, the space, the role and its permissions', async () => {
    const person = await aPerson(t, space, 'manager')
    const me = await person.request({ method: 'GET', url: '/v1/auth/me' })
    expect(me.statusCode).toBe(200)
    const data = me.json().data
    expect(data).toMatchObject({ group_id: space.groupId, role: 'manager', advanced_search: null })
    expect(data.user.id).toBe(person.id)
    expect(data.permissions).toContain('teams.write')
    expect(data.permissions).not.toContain('contacts.read')
    const byKey = await space.request({ method: 'GET', url: '/v1/auth/me' })
    expect(byKey.json().data).toMatchObject({ user: null, role: null, group_id: space.groupId })
    expect(byKey.json().data.permissions).toContain('keys')
  })

  test('a write by cookie without X-Carnet-Console: 1 is refused (403), with it accepted', async () => {
    const person = await aPerson(t, space, 'admin')
    const payload = { data: { contact: { surname: 'Csrf' } } }
    const bare = await t.app.inject({
      method: 'POST',
      url: '/contacts',
      payload,
      headers: { cookie: person.cookie },
    })
    expect(bare.statusCode).toBe(403)
    expect(bare.headers['content-type']).toMatch(/application\/problem\+json/)
    expect(bare.json().detail).toMatch(/X-Carnet-Console/)
    const read = await t.app.inject({ method: 'GET', url: '/v1/auth/me', headers: { cookie: person.cookie } })
    expect(read.statusCode).toBe(200)
    const withHeader = await person.request({ method: 'POST', url: '/contacts', payload })
    expect(withHeader.statusCode).toBe(200)
  })

  test('log-out revokes the session; an expired session is a 401', async () => {
    const person = await aPerson(t, space)
    expect((await person.request({ method: 'POST', url: '/v1/auth/logout' })).statusCode).toBe(200)
    expect((await person.request({ method: 'GET', url: '/v1/auth/me' })).statusCode).toBe(401)

    const other = await aPerson(t, space)
    await t.conn.db
      .updateTable('session')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('user_id', '=', other.id)
      .execute()
    const expired = await other.request({ method: 'GET', url: '/v1/auth/me' })
    expect(expired.statusCode).toBe(401)
    expect(expired.json().detail).toMatch(/log in again/)
  })

  test('logging in again from the same browser ends the previous session', async () => {
    const person = await aPerson(t, space)
    const again = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { mail: person.mail, password: PASSWORD },
      headers: { cookie: person.cookie },
    })
    expect(again.statusCode).toBe(200)
    expect((await person.request({ method: 'GET', url: '/v1/auth/me' })).statusCode).toBe(401)
    const fresh = sessionCookie(again)
    expect(
      (await t.app.inject({ method: 'GET', url: '/v1/auth/me', headers: { cookie: fresh } })).statusCode,
    ).toBe(200)
  })

  test('a user removed from the space loses the session there at once', async () => {
    const person = await aPerson(t, space)
    expect((await space.request({ method: 'DELETE', url: `/users/${person.id}` })).statusCode).toBe(200)
    expect((await person.request({ method: 'GET', url: '/v1/auth/me' })).statusCode).toBe(401)
  })
})
