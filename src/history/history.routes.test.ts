// The history of a contact, for every write path, on both engines: who, when, through which
// channel and route, each changed field before and after; and after an erasure, one line only.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type Space, type TestApp, testApp } from '../../test/app.ts'
import { tempDir } from '../../test/tmp.ts'
import { upsert, workerApp } from '../../test/upsert.ts'
import { importContacts, readRecords } from '../bulk/import.ts'
import * as spaces from '../spaces/spaces.service.ts'

let t: TestApp
let worker: FastifyInstance
beforeAll(async () => {
  t = await testApp()
  worker = await workerApp(t.conn.db)
})
afterAll(async () => {
  await worker.close()
  await t.close()
})

const ada = {
  firstname: 'Ada',
  surname: 'Lovelace',
  mail: 'ada@example.com',
  address: { street: 'Marylebone', city: 'London' },
  tags: [{ name: 'volunteer' }],
}

async function create(space: Space, contact: Record<string, unknown> = ada) {
  const response = await space.request({ method: 'POST', url: '/contacts', payload: { data: { contact } } })
  expect(response.statusCode, response.body).toBe(200)
  return response.json().data.contact
}

async function historyOf(space: Space, id: number, query = '') {
  const response = await space.request({ method: 'GET', url: `/v1/contacts/${id}/history${query}` })
  expect(response.statusCode, response.body).toBe(200)
  return response.json().data.history as any[]
}

const changed = (entry: { changes: { field: string; before: unknown; after: unknown }[] }) =>
  Object.fromEntries(entry.changes.map((c) => [c.field, [c.before, c.after]]))

describe('each write path records who, when, how, and each field before and after', () => {
  test('POST, then PATCH of a contact', async () => {
    const space = await t.newSpace()
    const contact = await create(space)
    const patch = { ...ada, surname: 'King', address: { street: 'Marylebone', city: 'Ockham' }, tags: [] }
    const patched = await space.request({
      method: 'PATCH',
      url: `/contacts/${contact.id}`,
      payload: { data: { contact: patch } },
    })
    expect(patched.statusCode).toBe(200)
    const [update, creation, ...rest] = await historyOf(space, contact.id)
    expect(rest).toEqual([])
    expect(creation).toMatchObject({
      contact_id: contact.id,
      action: 'created',
      author: { api_key_id: space.tenant.apiKeyId, user_id: null },
      channel: 'api',
      route: 'POST /contacts',
    })
    expect(changed(creation)).toMatchObject({
      firstname: [null, 'Ada'],
      surname: [null, 'Lovelace'],
      mail: [null, 'ada@example.com'],
      'address.city': [null, 'London'],
      tags: [null, ['volunteer']],
    })
    expect(update).toMatchObject({ action: 'updated', channel: 'api', route: 'PATCH /contacts/{id}' })
    expect(changed(update)).toEqual({
      surname: ['Lovelace', 'King'],
      'address.city': ['London', 'Ockham'],
      tags: [['volunteer'], []],
    })
    expect(Date.parse(update.at)).toBeGreaterThanOrEqual(Date.parse(creation.at))
  })

  test("a contact's notes and interactions", async () => {
    const space = await t.newSpace()
    const { id } = await create(space)
    const note = (
      await space.request({
        method: 'POST',
        url: `/contacts/${id}/notes`,
        payload: { data: { note: { content: 'likes maths' } } },
      })
    ).json().data.note
    await space.request({
      method: 'PATCH',
      url: `/contacts/${id}/notes/${note.id}`,
      payload: { data: { note: { content: 'likes engines', pinned: true } } },
    })
    await space.request({ method: 'DELETE', url: `/contacts/${id}/notes/${note.id}` })
    const interaction = (
      await space.request({
        method: 'POST',
        url: `/contacts/${id}/interactions`,
        payload: { data: { interaction: { type: 'call', sub_type: 'outgoing', comments: 'said yes' } } },
      })
    ).json().data.interaction
    await space.request({
      method: 'PATCH',
      url: `/contacts/${id}/interactions/${interaction.id}`,
      payload: { data: { interaction: { comments: 'said maybe' } } },
    })
    await space.request({ method: 'DELETE', url: `/contacts/${id}/interactions/${interaction.id}` })
    const lines = (await historyOf(space, id)).slice(0, 6).reverse()
    expect(lines.map((l) => l.route)).toEqual([
      'POST /contacts/{id}/notes',
      'PATCH /contacts/{id}/notes/{noteId}',
      'DELETE /contacts/{id}/notes/{noteId}',
      'POST /contacts/{id}/interactions',
      'PATCH /contacts/{id}/interactions/{interactionId}',
      'DELETE /contacts/{id}/interactions/{interactionId}',
    ])
    const [added, edited, deleted, called, recalled, forgotten] = lines.map((l) => l.changes)
    expect(added).toEqual([
      { field: 'notes', before: null, after: { id: note.id, content: 'likes maths', pinned: false } },
    ])
    expect(edited[0].before).toMatchObject({ content: 'likes maths', pinned: false })
    expect(edited[0].after).toMatchObject({ content: 'likes engines', pinned: true })
    expect(deleted[0]).toMatchObject({ before: { content: 'likes engines' }, after: null })
    expect(called[0]).toMatchObject({ field: 'interactions', before: null, after: { comments: 'said yes' } })
    expect(recalled[0]).toMatchObject({ before: { comments: 'said yes' }, after: { comments: 'said maybe' } })
    expect(forgotten[0]).toMatchObject({ before: { comments: 'said maybe' }, after: null })
  })

  test('the upsert worker names the key that queued the record', async () => {
    const space = await t.newSpace()
    const created = await upsert(worker, space.key, {
      firstname: 'Grace',
      surname: 'Hopper',
      mail: 'g@navy.mil',
    })
    expect(created).toMatchObject({ status: 'done', rule: 'created' })
    const merged = await upsert(worker, space.key, {
      mail: 'g@navy.mil',
      phone: '0102030405',
      tags: [{ name: 'cobol' }],
    })
    expect(merged).toMatchObject({ status: 'done', rule: 'mail', contact_id: created.contact_id })
    const [update, creation] = await historyOf(space, created.contact_id)
    for (const line of [update, creation])
      expect(line).toMatchObject({
        author: { api_key_id: space.tenant.apiKeyId, user_id: null },
        channel: 'upsert',
        route: 'POST /contacts/upsert',
      })
    expect(creation.action).toBe('created')
    expect(changed(creation)).toMatchObject({ surname: [null, 'Hopper'] })
    expect(update.action).toBe('updated')
    expect(changed(update)).toEqual({ phone: [null, '0102030405'], tags: [[], ['cobol']] })
  })

  test('the bulk import writes one line a contact, "created by import", without values', async () => {
    const space = await t.newSpace()
    const path = join(tempDir('carnet-history-'), 'two.ndjson')
    writeFileSync(
      path,
      `${JSON.stringify({ surname: 'Curie' })}\n${JSON.stringify({ surname: 'Noether' })}\n`,
    )
    const summary = await importContacts(
      t.conn,
      { ...space.tenant, apiKeyId: 0, channel: 'import' },
      readRecords(path, 'ndjson'),
      {
        indexes: 'keep',
      },
    )
    expect(summary.imported).toBe(2)
    const { rows } = await sql<{
      id: number
    }>`select id from contact where group_id = ${space.groupId}`.execute(t.conn.db)
    for (const { id } of rows)
      expect(await historyOf(space, id)).toEqual([
        expect.objectContaining({
          action: 'created',
          channel: 'import',
          route: null,
          author: { api_key_id: null, user_id: null },
          changes: [],
        }),
      ])
  })
})

describe('erasure', () => {
  test('DELETE leaves one line (id, who, when) and no personal value in any table of the space', async () => {
    const space = await t.newSpace()
    const contact = await create(space, {
      ...ada,
      surname: 'Zyxwvutsrq',
      notes: [{ content: 'Zyxwvutsrq note' }],
    })
    await space.request({
      method: 'PATCH',
      url: `/contacts/${contact.id}`,
      payload: { data: { contact: { ...ada, surname: 'Zyxwvutsrq-Byron' } } },
    })
    await upsert(worker, space.key, { mail: ada.mail, phone: 'Zyxwvutsrq phone' })
    expect((await historyOf(space, contact.id)).length).toBeGreaterThanOrEqual(3)
    const deleted = await space.request({ method: 'DELETE', url: `/contacts/${contact.id}` })
    expect(deleted.statusCode).toBe(200)
    const lines = await historyOf(space, contact.id)
    expect(lines).toEqual([
      {
        id: expect.any(Number),
        contact_id: contact.id,
        at: expect.any(String),
        action: 'erased',
        author: { api_key_id: space.tenant.apiKeyId, user_id: null },
        channel: 'api',
        route: 'DELETE /contacts/{id}',
        changes: [],
      },
    ])
    const { rows } = await sql<{ changes: unknown; n: number }>`
      select changes, count(*) over ()::int as n from contact_change
      where group_id = ${space.groupId} and contact_id = ${contact.id}`.execute(t.conn.db)
    expect(rows).toEqual([{ changes: null, n: 1 }])
    // every table holding a space's data, read whole as text
    const tables = await sql<{ table: string }>`
      select c.table_name as table from information_schema.columns c
      join information_schema.tables t on t.table_name = c.table_name and t.table_schema = c.table_schema
      where c.table_schema = 'public' and c.column_name = 'group_id' and t.table_type = 'BASE TABLE'`.execute(
      t.conn.db,
    )
    expect(tables.rows.map((r) => r.table)).toContain('contact_change')
    for (const { table } of tables.rows) {
      const found = await sql<{ n: number }>`
        select count(*)::int as n from ${sql.table(table)} x
        where x.group_id = ${space.groupId} and x::text ilike '%zyxwvutsrq%'`.execute(t.conn.db)
      expect([table, found.rows[0]!.n]).toEqual([table, 0])
    }
  })
})

describe('reading the history', () => {
  test('newest first, paged by limit and offset; 404 for an unknown id; 422 for a bad page', async () => {
    const space = await t.newSpace()
    const { id } = await create(space)
    for (const surname of ['B', 'C', 'D'])
      await space.request({
        method: 'PATCH',
        url: `/contacts/${id}`,
        payload: { data: { contact: { surname } } },
      })
    const all = await historyOf(space, id)
    expect(all.map((l) => l.action)).toEqual(['updated', 'updated', 'updated', 'created'])
    expect(all.map((l) => changed(l).surname?.[1])).toEqual(['D', 'C', 'B', 'Lovelace'])
    const page = await historyOf(space, id, '?limit=2&offset=1')
    expect(page.map((l) => l.id)).toEqual(all.slice(1, 3).map((l) => l.id))
    expect(await historyOf(space, id, '?offset=10')).toEqual([])
    const unknown = await space.request({ method: 'GET', url: '/v1/contacts/999999999/history' })
    expect(unknown.statusCode).toBe(404)
    const bad = await space.request({ method: 'GET', url: `/v1/contacts/${id}/history?limit=0` })
    expect(bad.statusCode).toBe(422)
  })

  test("a space never sees another's history; a read key reads it", async () => {
    const a = await t.newSpace()
    const b = await t.newSpace()
    const { id } = await create(a)
    expect((await b.request({ method: 'GET', url: `/v1/contacts/${id}/history` })).statusCode).toBe(404)
    // b's writes to its own contacts do not reach a's lines
    const mine = await create(b)
    expect((await historyOf(b, mine.id)).every((l) => l.author.api_key_id === b.tenant.apiKeyId)).toBe(true)
    expect(await historyOf(a, id)).toHaveLength(1)
    const { key } = await spaces.createApiKey(t.conn.db, a.groupId, 'reader', { scope: 'read' })
    const read = await t.app.inject({
      method: 'GET',
      url: `/v1/contacts/${id}/history`,
      headers: { authorization: `Bearer ${key}` },
    })
    expect(read.json().data.history).toHaveLength(1)
  })

  test('HISTORY=off: writes record nothing', async () => {
    const off = await testApp({ history: false })
    try {
      const space = await off.newSpace()
      const response = await space.request({
        method: 'POST',
        url: '/contacts',
        payload: { data: { contact: ada } },
      })
      const { id } = response.json().data.contact
      await space.request({ method: 'PATCH', url: `/contacts/${id}`, payload: { data: { contact: ada } } })
      const history = await space.request({ method: 'GET', url: `/v1/contacts/${id}/history` })
      expect(history.json().data.history).toEqual([])
    } finally {
      await off.close()
    }
  })
})
