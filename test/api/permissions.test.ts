// Every route of the OpenAPI document, called by a user of each role: a route the role's
// permissions do not include answers 403 (a problem body) and changes nothing; any other route
// answers something else than 403. The expected answer comes from the permission matrix
// (shared/permissions.ts) and the route table (http/access.ts), the same two tables the server
// checks, so this test is also the proof that every route of the document is in the table.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { ROUTE_PERMISSIONS } from '../../src/http/access.ts'
import { ROLE_PERMISSIONS } from '../../src/shared/permissions.ts'
import { type Space, type TestApp, testApp } from '../app.ts'
import { aPerson, type Person } from '../people.ts'

let t: TestApp
let space: Space
beforeAll(async () => {
  t = await testApp()
  space = await t.newSpace()
})
afterAll(() => t.close())

const UNKNOWN = '987654321'
const BODY = {
  kind: 'contact',
  data: {
    contact: { surname: 'Probe', mail: 'probe@example.com' },
    surname: 'Probe',
    note: { content: 'Probe' },
    interaction: { type: 'call', title: 'Probe' },
    form: { label: 'Probe', type_of_form: 'survey', type: 'radio', refvalues: [{ label: 'a', value: 'a' }] },
    action: { name: 'Probe' },
    advanced_search: { query: { $all: [] } },
    invitations: [{ email: 'probe-invitee@example.com' }],
    team: { id: Number(UNKNOWN), name: 'Probe' },
    role_id: Number(UNKNOWN),
    user_id: Number(UNKNOWN),
  },
}

async function operations() {
  const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json()
  return (
    Object.entries<Record<string, { security?: unknown[] }>>(doc.paths)
      .flatMap(([path, ops]) =>
        Object.entries(ops)
          // the log-in and the invitation tokens need no key: no role is involved
          .filter(([, op]) => !(Array.isArray(op.security) && op.security.length === 0))
          .map(([method, _]) => ({ method: method.toUpperCase(), path })),
      )
      // the log-out ends the session every call goes through: it goes last
      .sort((a, b) => Number(a.path === '/v1/auth/logout') - Number(b.path === '/v1/auth/logout'))
  )
}

async function call(who: Person | Space, method: string, path: string) {
  const url = path.replace(/\{(\w+)\}/g, (_m, name: string) => (name === 'type' ? 'survey' : UNKNOWN))
  const hasBody = ['POST', 'PATCH', 'PUT'].includes(method)
  return who.request({ method: method as 'GET', url, ...(hasBody ? { payload: BODY } : {}) })
}

for (const role of ['superadmin', 'admin', 'manager', 'user'] as const) {
  test(`a ${role} gets 403 exactly where the matrix refuses`, async () => {
    const person = await aPerson(t, space, role)
    let refused = 0
    for (const { method, path } of await operations()) {
      const key = `${method} ${path.replace(/\{(\w+)\}/g, ':$1')}`
      expect(key in ROUTE_PERMISSIONS, `${key} is in the route table`).toBe(true)
      const permission = ROUTE_PERMISSIONS[key]
      const allowed = permission === null || ROLE_PERMISSIONS[role].has(permission!)
      const response = await call(person, method, path)
      const where = `${role}: ${key} (${permission}) → ${response.statusCode} ${response.body.slice(0, 200)}`
      if (allowed) {
        expect(response.statusCode, where).not.toBe(403)
      } else {
        refused++
        expect(response.statusCode, where).toBe(403)
        expect(response.headers['content-type'], where).toMatch(/application\/problem\+json/)
        expect(response.json().detail, where).toContain(permission)
      }
      expect(response.statusCode, where).toBeLessThan(500)
    }
    if (role === 'superadmin') expect(refused).toBe(0)
    else expect(refused).toBeGreaterThan(0)
  })
}

test('an API key without user is refused nothing', async () => {
  for (const { method, path } of await operations()) {
    const response = await call(space, method, path)
    expect(response.statusCode, `${method} ${path} → ${response.body.slice(0, 200)}`).not.toBe(403)
  }
})

test('a refused write changes nothing', async () => {
  const manager = await aPerson(t, space, 'manager')
  const before = await space.request({
    method: 'POST',
    url: '/kpi',
    payload: { data: { advanced_search: {} } },
  })
  const response = await manager.request({ method: 'POST', url: '/contacts', payload: BODY })
  expect(response.statusCode).toBe(403)
  const after = await space.request({
    method: 'POST',
    url: '/kpi',
    payload: { data: { advanced_search: {} } },
  })
  expect(after.json().data.total).toBe(before.json().data.total)
})
