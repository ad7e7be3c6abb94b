// People of a test space: a user with a role, logged in, and an `inject` that sends their session
// cookie (and the console's header, as the browser console does).
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import type { RoleType } from '../src/db/database.ts'
import * as roles from '../src/roles/roles.service.ts'
import { hashPassword } from '../src/users/password.ts'
import * as users from '../src/users/users.service.ts'
import type { Space, TestApp } from './app.ts'

export const PASSWORD = 'correct horse battery staple'
let counter = 0

export interface Person {
  id: number
  mail: string
  cookie: string
  /** app.inject with this person's session cookie and X-Carnet-Console: 1 */
  request(options: InjectOptions): Promise<LightMyRequestResponse>
}

/** The carnet_session=… pair of a log-in answer, to send back as a Cookie header. */
export function sessionCookie(response: LightMyRequestResponse): string {
  const header = [response.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('carnet_session='))
  if (!header) throw new Error(`no session cookie: ${response.statusCode} ${response.body}`)
  return header.split(';')[0]!
}

export function logIn(t: TestApp, mail: string, password = PASSWORD, groupId?: number) {
  return t.app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { mail, password, ...(groupId !== undefined ? { group_id: groupId } : {}) },
  })
}

/** A user of `space` with `role`, not logged in. */
export async function aMember(
  t: TestApp,
  space: Space,
  role: Exclude<RoleType, 'custom'> = 'user',
): Promise<{ id: number; mail: string }> {
  counter++
  const mail = `member.${counter}.${process.pid}@example.com`
  const db = t.conn.db
  const id = (await users.createUser(db, mail, await hashPassword(PASSWORD))).id
  const roleRow = await roles.builtIn(db, space.groupId, role)
  await users.addMember(db, space.groupId, id, roleRow.id, { firstname: 'Ada', surname: `Member ${counter}` })
  return { id, mail }
}

/** A user of `space` with `role` (scope: a search query limiting their contacts), logged in. */
export async function aPerson(
  t: TestApp,
  space: Space,
  role: Exclude<RoleType, 'custom'> = 'user',
  { scope, mail }: { scope?: unknown; mail?: string } = {},
): Promise<Person> {
  counter++
  const address = mail ?? `person.${counter}.${process.pid}@example.com`
  const db = t.conn.db
  const existing = await users.findByMail(db, address)
  const id = existing?.id ?? (await users.createUser(db, address, await hashPassword(PASSWORD))).id
  const roleRow = await roles.builtIn(db, space.groupId, role)
  await users.addMember(db, space.groupId, id, roleRow.id, { firstname: 'Ada', surname: `Person ${counter}` })
  if (scope !== undefined)
    await db
      .updateTable('space_user')
      .set({ advanced_search: JSON.stringify(scope) })
      .where('group_id', '=', space.groupId)
      .where('user_id', '=', id)
      .execute()
  return personOf(t, id, address, sessionCookie(await logIn(t, address, PASSWORD, space.groupId)))
}

export function personOf(t: TestApp, id: number, mail: string, cookie: string): Person {
  return {
    id,
    mail,
    cookie,
    request: (options) =>
      t.app.inject({ ...options, headers: { cookie, 'x-carnet-console': '1', ...options.headers } }),
  }
}
