// What GET and PATCH /contacts/{id} cost in statements and, on PostgreSQL, in round trips: inside
// PATCH's transaction the statements share one connection, and the round trips it waits for are
// most of its latency (docs/api.md).
import type { Kysely } from 'kysely'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { driver, recordingDb, roundTrips, type Space, type TestApp, testApp } from '../../test/app.ts'
import { aForm, createContact } from '../../test/fixtures.ts'
import type { Database } from '../db/database.ts'
import { toCoordinates } from './address.ts'
import type { AddressInput, ContactInput } from './contacts.schema.ts'
import * as contacts from './contacts.service.ts'

let t: TestApp
let space: Space
let statements: string[] = []
let counted: Kysely<Database>
beforeAll(async () => {
  t = await testApp()
  space = await t.newSpace()
  counted = recordingDb(t.conn, (sql) => statements.push(sql))
})
afterAll(() => t.close())

async function counting<T>(work: () => Promise<T>): Promise<{ result: T; count: number }> {
  statements = []
  const result = await work()
  return { result, count: statements.length }
}

async function contactWithEverything() {
  const survey = await aForm(t.conn.db, space.tenant, { type: 'radio' })
  const created = await createContact(space, {
    tags: [{ name: 'a' }, { name: 'b' }],
    action_ids: [1],
    formdatas: [{ form_id: survey.id, data: 'yes' }],
    notes: [{ content: 'n1' }, { content: 'n2' }],
    address: { city: 'Paris' },
  })
  return { survey, created }
}

test('GET reads the contact and all its relations in one statement', async () => {
  const { created } = await contactWithEverything()
  const { result, count } = await counting(() => contacts.get(counted, space.tenant, created.id))
  expect(count).toBe(1)
  expect(result).toEqual(created)
  expect(result.tags.map((tag) => tag.name)).toEqual(['a', 'b'])
  expect(result.action_ids).toEqual([1])
  expect(result.formdatas).toHaveLength(1)
  expect(result.notes.map((note) => note.content)).toEqual(['n1', 'n2'])
})

test('PATCH writes only what changed: a contact sent back unchanged costs 5 statements', async () => {
  const { created } = await contactWithEverything()
  const { result, count } = await counting(() => contacts.replace(counted, space.tenant, created.id, created))
  // lock the row, update it (returning it and its relations as they are), read the forms its
  // answers name (to validate them), write the history line, read the relations after the writes
  expect(count).toBe(5)
  expect({ ...result, UpdatedAt: null, lastchange: null }).toEqual({
    ...created,
    UpdatedAt: null,
    lastchange: null,
  })
})

test('PATCH changing every relation costs a fixed number of statements, and answers what GET reads', async () => {
  const { survey, created } = await contactWithEverything()
  const input = {
    ...created,
    tags: [{ name: 'a' }, { name: `new-${created.id}` }],
    action_ids: [2],
    formdatas: [{ form_id: survey.id, data: 'no' }],
    notes: [{ id: created.notes[0].id, content: 'n1 edited' }, { content: 'n3' }],
  }
  const { result, count } = await counting(() => contacts.replace(counted, space.tenant, created.id, input))
  // lock, update + relations; tags: lock (creating the new one), relink; actions: create the
  // placeholder, relink; answers: forms, soft-delete + insert; notes: update one, delete +
  // insert; the history line; the relations after the writes
  expect(count, statements.join('\n')).toBe(12)
  expect(result.tags.map((tag) => tag.name)).toEqual(['a', `new-${created.id}`])
  expect(result.action_ids).toEqual([2])
  expect(result.formdatas.map((answer) => answer.data)).toEqual(['no'])
  expect(result.notes.map((note) => note.content)).toEqual(['n1 edited', 'n3'])
  expect(result).toEqual(await contacts.get(t.conn.db, space.tenant, created.id))
})

test.skipIf(driver !== 'pg')(
  'PATCH changing every relation waits for at most 5 round trips on PostgreSQL (was one per statement)',
  async () => {
    const { survey, created } = await contactWithEverything()
    const input = {
      ...created,
      tags: [{ name: 'a' }, { name: `trip-${created.id}` }],
      action_ids: [3],
      formdatas: [{ form_id: survey.id, data: 'no' }],
      notes: [{ id: created.notes[0].id, content: 'n1 edited' }, { content: 'n3' }],
    }
    const { count } = roundTrips(t.conn)
    const {
      result,
      statements,
      roundTrips: trips,
      sent,
    } = await count((db) => contacts.replace(db, space.tenant, created.id, input))
    // begin + lock + update; then the four relations side by side, the longest (tags, answers,
    // notes) two deep; then the history line, the relations read and the commit, together. Fewer
    // when a relation's next statement goes out while another's answer is still awaited.
    expect(statements).toBe(14)
    expect(trips, sent.map((s) => `${s.unanswered} ${s.sql.slice(0, 60)}`).join('\n')).toBeLessThanOrEqual(5)
    // the history line is sent with the read, never on a round trip of its own
    const line = sent.findIndex((s) => s.sql.trim().startsWith('insert into contact_change'))
    expect(line).toBeGreaterThan(0)
    expect(sent[line + 1]?.unanswered).toBeGreaterThan(0)
    expect(result).toEqual(await contacts.get(t.conn.db, space.tenant, created.id))
    expect(result.tags.map((tag) => tag.name)).toEqual(['a', `trip-${created.id}`])
    expect(result.notes.map((note) => note.content)).toEqual(['n1 edited', 'n3'])
  },
)

test('PATCH applies the coordinates rule in the database exactly as toCoordinates does in memory', async () => {
  const stored = { street: 'rue A', city: 'Paris', postalcode: '75001', latitude: 48.1, longitude: 2.2 }
  const cases: { stored: object; sent: Record<string, unknown> | null }[] = [
    { stored, sent: { ...stored, latitude: 48.1000004, longitude: 2.2 } }, // echoed back
    { stored, sent: { ...stored, latitude: 48.2, longitude: 2.2 } }, // moved by the client
    { stored, sent: { street: 'rue A', city: 'Paris', postalcode: '75001', door: 'B' } }, // same place
    { stored, sent: { street: 'rue A', city: 'Lyon', postalcode: '75001' } }, // another city
    { stored, sent: null }, // no address
    { stored: { city: 'Paris' }, sent: { city: 'Paris', latitude: 45, longitude: 4 } }, // none stored
    { stored: { city: 'Paris' }, sent: { city: 'Paris' } },
  ]
  for (const { stored: address, sent } of cases) {
    const created = await createContact(space, { surname: 'Geo', address })
    // a geocoder's score and verdict, which only a kept position keeps
    await t.conn.db
      .updateTable('contact')
      .set({ address_score: 0.7, address_invalid: true })
      .where('group_id', '=', space.groupId)
      .where('id', '=', created.id)
      .execute()
    const row = () =>
      t.conn.db
        .selectFrom('contact')
        .selectAll()
        .where('group_id', '=', space.groupId)
        .where('id', '=', created.id)
        .executeTakeFirstOrThrow()
    const before = await row()
    const expected = toCoordinates(sent as AddressInput | null, before)
    await contacts.replace(t.conn.db, space.tenant, created.id, {
      surname: 'Geo',
      address: sent,
    } as ContactInput)
    const after = await row()
    expect(
      {
        address_latitude: after.address_latitude,
        address_longitude: after.address_longitude,
        address_score: after.address_score,
        address_invalid: after.address_invalid,
      },
      JSON.stringify(sent),
    ).toEqual(expected)
  }
})
