// One space never sees or touches another's data. Every route of the OpenAPI document (so a new
// route is covered without editing this file) is called with one space's key and the other
// space's ids, in both directions: in the path, and in the body wherever a field names an object
// (a form id, action ids, a contact id), in a body otherwise valid for the route. A route with a
// path id answers 404; no answer carries the other space's data; every row of the other space
// is unchanged after each call.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { type Space, type TestApp, testApp } from '../app.ts'
import { example, idValues, type Operation, operations, pathValue, url } from '../openapi-requests.ts'
import { expectProblem, fillSpace, type SpaceIds, snapshot } from '../space-data.ts'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

/** Bodies valid for any write route, for where the body built from the schema is refused first. */
const BODY = {
  kind: 'contact',
  data: {
    contact: { surname: 'Intruder', mail: 'intruder@example.com' },
    surname: 'Intruder',
    note: { content: 'Intruder' },
    interaction: { type: 'call', title: 'Intruder' },
    form: {
      label: 'Intruder',
      type_of_form: 'survey',
      type: 'radio',
      refvalues: [{ label: 'a', value: 'a' }],
    },
    action: { name: 'Intruder' },
    advanced_search: { query: { $all: [] } },
  },
}

interface Owner {
  space: Space
  ids: SpaceIds
  marker: string
}

/** Calls every operation as `intruder` with `owner`'s ids; returns the number of calls. */
async function sweep(ops: Operation[], intruder: Space, owner: Owner): Promise<number> {
  let calls = 0
  let before = await snapshot(t.conn.db, owner.space.groupId)
  for (const op of ops) {
    const target = url(op, (name) => pathValue(op, name, owner.ids))
    const bodies = op.body ? [example(op.body, idValues(owner.ids)), BODY] : [undefined]
    for (const body of bodies) {
      const response = await intruder.request({
        method: op.method,
        url: target,
        ...(body === undefined ? {} : { payload: body as object }),
      })
      calls++
      const where = `${op.method} ${target} ${JSON.stringify(body)?.slice(0, 300)} → ${response.statusCode} ${response.body.slice(0, 300)}`
      expect(response.statusCode, where).toBeLessThan(500)
      expect(response.body, where).not.toContain(owner.marker)
      // every path parameter but a form family names an object of the other space
      if (op.parameters.some((p) => p.in === 'path' && p.name !== 'type')) {
        expect(response.statusCode, where).toBe(404)
      }
      if (response.statusCode >= 400) expectProblem(response, where)
      const after = await snapshot(t.conn.db, owner.space.groupId)
      expect(after, `${where}: the other space changed`).toEqual(before)
      before = after
    }
  }
  return calls
}

test("a space's key reaches nothing of another space through any route, either way", async () => {
  const a = await t.newSpace('first')
  const b = await t.newSpace('second')
  const owners = {
    a: { space: a, ids: await fillSpace(t, a, 'Zyxwvut'), marker: 'Zyxwvut' },
    b: { space: b, ids: await fillSpace(t, b, 'Qponmlk'), marker: 'Qponmlk' },
  }
  const ops = operations(t.app)
  expect(ops.length).toBeGreaterThanOrEqual(20)
  expect(await sweep(ops, b, owners.a)).toBeGreaterThanOrEqual(ops.length)
  expect(await sweep(ops, a, owners.b)).toBeGreaterThanOrEqual(ops.length)
})

test('a body naming the other space’s form or action is refused or kept apart', async () => {
  const a = await t.newSpace('first')
  const b = await t.newSpace('second')
  const ids = await fillSpace(t, a, 'Zyxwvut')
  const before = await snapshot(t.conn.db, a.groupId)
  const response = await b.request({
    method: 'POST',
    url: '/contacts',
    payload: { data: { contact: { surname: 'Other', formdatas: [{ form_id: ids.formId, data: 'yes' }] } } },
  })
  expect(response.statusCode, response.body).toBeGreaterThanOrEqual(400)
  expectProblem(response, response.body)
  const withAction = await b.request({
    method: 'POST',
    url: '/contacts',
    payload: { data: { contact: { surname: 'Other', action_ids: [ids.actionId] } } },
  })
  expect(withAction.statusCode, withAction.body).toBeLessThan(500)
  expect(withAction.body).not.toContain('Zyxwvut')
  expect(await snapshot(t.conn.db, a.groupId)).toEqual(before)
})
