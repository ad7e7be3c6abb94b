// Citus readiness of the queries themselves (docs/scaling.md): a journey through every route of
// the API, the upsert worker included, runs on a Kysely that records each statement; every
// statement that reads or writes a space's table must name the space (`group_id`), so that on a
// cluster distributed by group_id it goes to one shard. The exceptions are listed with the reason.
import { sql } from 'kysely'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { recordingDb, type TestApp, testApp, testConfig } from '../../test/app.ts'
import { aForm } from '../../test/fixtures.ts'
import { buildApp } from '../app.ts'
import { EXAMPLES } from '../http/openapi.docs.ts'
import * as spaces from '../spaces/spaces.service.ts'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

/** Statements that may reach every shard, and why (docs/scaling.md says the same). */
const CROSS_SPACE: [RegExp, string][] = [
  [/from "api_key"/, 'a key is looked up by its hash before its space is known: a reference table'],
  [/from "upsert_job" as "j"/, 'the worker claims the oldest queued job of any space'],
  [
    /^delete from "upsert_job" where "status" <> \$1 and "done_at" < \$2$/,
    'finished jobs of every space are purged',
  ],
]

/** group_id compared with a value, or a column of the rows inserted */
const NAMES_THE_SPACE = [
  /"?group_id"?\s*=\s*(\$\d+|any\s*\(\s*\$\d+)/i,
  /"?group_id"?\s+in\s*\(\s*\$\d+/i,
  /^\s*insert into "?\w+"?\s*\([^)]*\bgroup_id\b/i,
]

const TABLE = /\b(?:from|join|into|update)\s+"?([a-z_]+)"?/gi

function offenders(statements: string[], tenantTables: Set<string>) {
  return statements.filter((statement) => {
    const tables = [...statement.matchAll(TABLE)].map((m) => m[1]!).filter((name) => tenantTables.has(name))
    if (tables.length === 0) return false
    if (CROSS_SPACE.some(([pattern]) => pattern.test(statement))) return false
    return !NAMES_THE_SPACE.some((pattern) => pattern.test(statement))
  })
}

test('every statement of an API journey on a space table names the space', async () => {
  const { rows } = await sql<{ table: string }>`
    select distinct table_name as table from information_schema.columns
    where table_schema = current_schema() and column_name = 'group_id'`.execute(t.conn.db)
  const tenantTables = new Set(rows.map((r) => r.table))
  expect(tenantTables).toContain('contact')

  const statements: string[] = []
  const db = recordingDb(t.conn, (statement) => statements.push(statement))
  const app = await buildApp({ config: testConfig, db, upsertWorker: { pollMs: 20 } })
  await app.ready()
  try {
    const space = await spaces.createSpace(t.conn.db, 'journey')
    const { key } = await spaces.createApiKey(t.conn.db, space.id, 'journey')
    const tenant = { groupId: space.id, apiKeyId: 0 }
    const survey = await aForm(t.conn.db, tenant, { label: 'Intention' })
    const call = (method: string, url: string, payload?: unknown) =>
      app.inject({
        method: method as 'GET',
        url,
        headers: { authorization: `Bearer ${key}`, 'idempotency-key': `${method}${url}${Math.random()}` },
        ...(payload === undefined ? {} : { payload: payload as object }),
      })
    const json = async (method: string, url: string, payload?: unknown) => {
      const response = await call(method, url, payload)
      expect([method, url, response.statusCode]).toEqual([method, url, expect.any(Number)])
      expect([method, url, response.statusCode < 300]).toEqual([method, url, true])
      return response.json()
    }
    const contact = (await json('POST', '/contacts', EXAMPLES['post /contacts'])).data.contact
    await json('POST', '/contacts', {
      data: {
        contact: { surname: 'Martin', formdatas: [{ form_id: survey.id, data: survey.refvalues[0]!.value }] },
      },
    })
    await json('GET', `/contacts/${contact.id}`)
    await json('PATCH', `/contacts/${contact.id}`, EXAMPLES['patch /contacts/{id}'])
    const upsert = (await json('POST', '/contacts/upsert', EXAMPLES['post /contacts/upsert'])).data.upsert_id
    for (let i = 0; i < 200; i++) {
      const receipt = (await json('GET', `/contacts/upsert/${upsert}`)).data.upsert
      if (receipt.status !== 'queued') break
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
    const queries = [
      { attr: 'firstname', ope: 'eql', value: 'Camille' },
      { attr: 'address.city', ope: 'contains', value: 'ly' },
      { attr: 'tags', ope: 'any_of', value: ['bénévole'] },
      { attr: 'form', ope: 'eql', form_id: survey.id, form_ref_ids: [survey.refvalues[0]!.id] },
      { attr: 'notes', ope: 'contains', value: 'samedi' },
      { attr: 'interactions.type', ope: 'eql', value: 'call' },
      { attr: 'action_ids', ope: 'ext' },
      { attr: 'birthdate', ope: 'range', from: '1980-01-01', to: 'now' },
    ]
    for (const condition of queries) {
      const query = { $all: [{ $all: [{ $condition: condition }] }] }
      await json('POST', '/search', {
        data: { advanced_search: { query, sort_attr: 'city', include_interactions: true } },
      })
      await json('POST', '/kpi', { data: { advanced_search: { query } } })
    }
    await json('POST', '/search', EXAMPLES['post /search'])
    expect((await call('POST', '/contacts/export', EXAMPLES['post /contacts/export'])).statusCode).toBe(200)
    const form = (await json('POST', '/v1/forms', EXAMPLES['post /v1/forms'])).data.form
    await json('PATCH', `/v1/forms/${form.id}`, EXAMPLES['patch /v1/forms/{id}'])
    await json('GET', '/v1/forms/type/level_of_support')
    await json('GET', `/forms/${form.id}`)
    const note = (await json('POST', `/contacts/${contact.id}/notes`, EXAMPLES['post /contacts/{id}/notes']))
      .data.note
    await json(
      'PATCH',
      `/contacts/${contact.id}/notes/${note.id}`,
      EXAMPLES['patch /contacts/{id}/notes/{noteId}'],
    )
    await json('GET', `/contacts/${contact.id}/notes`)
    await json('DELETE', `/contacts/${contact.id}/notes/${note.id}`)
    const path = `/contacts/${contact.id}/interactions`
    const interaction = (await json('POST', path, EXAMPLES['post /contacts/{id}/interactions'])).data
      .interaction
    await json(
      'PATCH',
      `${path}/${interaction.id}`,
      EXAMPLES['patch /contacts/{id}/interactions/{interactionId}'],
    )
    await json('GET', path)
    await json('DELETE', `${path}/${interaction.id}`)
    await json('POST', '/v1/actions', EXAMPLES['post /v1/actions'])
    await json('GET', '/actions')
    await json('GET', '/v1/tags')
    await json('DELETE', `/v1/forms/${form.id}`)
    await json('DELETE', `/contacts/${contact.id}`)
  } finally {
    // the recording Kysely shares the test's pool: closing the app is enough
    await app.close()
  }
  expect(statements.length).toBeGreaterThan(50)
  for (const [pattern, why] of CROSS_SPACE)
    expect([why, statements.some((statement) => pattern.test(statement))]).toEqual([why, true])
  expect(offenders(statements, tenantTables)).toEqual([])
}, 60_000)
