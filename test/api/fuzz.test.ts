// Bad input, generated: every operation of the OpenAPI document (so a new route is fuzzed without
// editing this file) gets bad requests from test/bad-input.ts: each number and date field of its
// body sent the values databases compute badly with, then random requests from a fixed seed.
// Whatever the request, the answer is never a 5xx; every error is an application/problem+json
// body of the contract's shape; a refused request changes nothing in the space (every row of it
// compared); a path id that is not the plain decimal id of an object is refused. Every failing
// request of an operation is listed with its method, URL and the change made to a valid body.
//
// FUZZ_RUNS sets the random requests per operation (default 40; `FUZZ_RUNS=2000` for a long
// run), FUZZ_SEED the seed (default 20).
import fc from 'fast-check'
import { afterAll, describe, expect, test } from 'vitest'
import { testApp } from '../app.ts'
import { badRequests, cornerRequests } from '../bad-input.ts'
import { idValues, operations, pathValue, vocabulary } from '../openapi-requests.ts'
import { expectProblem, fillSpace, snapshot } from '../space-data.ts'

const RUNS = Number(process.env.FUZZ_RUNS ?? 40)
const SEED = Number(process.env.FUZZ_SEED ?? 20)

const t = await testApp()
afterAll(() => t.close())
const ops = operations(t.app)
const keys = vocabulary(ops)

describe.each(ops.map((op) => [`${op.method} ${op.path}`, op] as const))('%s', (_name, op) => {
  test(`${RUNS} bad requests: no 5xx, problem+json errors, nothing changed when refused`, async () => {
    const space = await t.newSpace('fuzzed')
    const ids = await fillSpace(t, space, 'Fuzzed')
    let current = await snapshot(t.conn.db, space.groupId)

    const failures: string[] = []
    const path = (name: string) => pathValue(op, name, ids)
    const requests = [
      ...cornerRequests(op, path, idValues(ids)),
      ...fc.sample(badRequests(op, path, idValues(ids), keys), { numRuns: RUNS, seed: SEED }),
    ]
    for (const request of requests) {
      const response = await space.request({
        method: request.method,
        url: request.url,
        headers: request.headers,
        ...(request.payload === undefined ? {} : { payload: request.payload }),
      })
      const where = `${request.method} ${request.url.slice(0, 100)} [${request.label.slice(0, 100)}] → ${response.statusCode} ${response.body.slice(0, 200)}`
      const after = await snapshot(t.conn.db, space.groupId)
      try {
        expect(response.statusCode, where).toBeLessThan(500)
        if (response.statusCode >= 400) {
          expectProblem(response, where)
          expect(after, `${where}: a refused request changed the space`).toEqual(current)
        }
        // never a success; a dot segment names another path (`/contacts/..` is `/`, which
        // redirects to the console)
        if (request.strayId)
          expect(response.statusCode, `${where}: a stray id was accepted`).toBeGreaterThanOrEqual(300)
      } catch (error) {
        failures.push((error as Error).message.split('\n')[0]!)
      }
      current = after
    }
    expect(failures).toEqual([])
  })
})
