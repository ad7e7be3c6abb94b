// What the suites that send refused requests compare: every row a space owns, and a space holding
// one object of every kind (so every route with a path id has something to reach).
import type { LightMyRequestResponse } from 'fastify'
import { sql } from 'kysely'
import { expect } from 'vitest'
import type { Db } from '../src/db/database.ts'
import type { Space, TestApp } from './app.ts'
import { aForm, createContact } from './fixtures.ts'
import { aPerson } from './people.ts'

const tablesOf = new WeakMap<Db, Promise<string[]>>()

/** Every table holding a space's data: those with a `group_id` column (a new table is included). */
function spaceTables(db: Db): Promise<string[]> {
  let tables = tablesOf.get(db)
  if (!tables) {
    tables = sql<{ table_name: string }>`
      select table_name from information_schema.columns
      where column_name = 'group_id' and table_schema = current_schema() order by table_name`
      .execute(db)
      .then((r) => r.rows.map((row) => row.table_name))
    tablesOf.set(db, tables)
  }
  return tables
}

/**
 * The rows of every table of a space, as one digest per table (one statement). Equal snapshots
 * mean nothing of the space changed, down to timestamps.
 */
export async function snapshot(db: Db, groupId: number): Promise<Record<string, string>> {
  const parts = (await spaceTables(db)).map(
    (table) =>
      sql`select ${table}::text as name,
        md5(coalesce(string_agg(t::text, '|' order by t::text), '')) || ':' || count(*) as digest
        from ${sql.table(table)} t where t.group_id = ${groupId}`,
  )
  const { rows } = await sql<{ name: string; digest: string }>`${sql.join(parts, sql` union all `)}`.execute(
    db,
  )
  return Object.fromEntries(rows.map((r) => [r.name, r.digest]))
}

/** The ids of one object of every kind, named as the OpenAPI document names its path parameters. */
export interface SpaceIds {
  id: number
  noteId: number
  interactionId: number
  formId: number
  /** a refvalue of that form */
  refvalueId: number
  actionId: number
  upsertId: number
  /** a second contact, for routes that take two contacts */
  otherContactId: number
  userId: number
  teamId: number
  invitationId: number
  roleId: number
}

/**
 * Fills a space with one contact (tagged, with a note, an answer, an action), an interaction, an
 * upsert job, a user (an admin), a private team with that user, an invitation.
 */
export async function fillSpace(t: TestApp, space: Space, marker: string): Promise<SpaceIds> {
  const form = await aForm(t.conn.db, space.tenant, { label: `${marker} form` })
  const action = (
    await ok(
      space.request({
        method: 'POST',
        url: '/v1/actions',
        payload: { data: { action: { name: `${marker} action` } } },
      }),
    )
  ).data.action
  const contact = await createContact(space, {
    surname: marker,
    tags: [{ name: `${marker} tag` }],
    notes: [{ content: `${marker} note` }],
    formdatas: [{ form_id: form.id, data: 'yes' }],
    action_ids: [action.id],
  })
  const other = await createContact(space, { surname: `${marker} other`, tags: [{ name: `${marker} tag` }] })
  const interaction = (
    await ok(
      space.request({
        method: 'POST',
        url: `/contacts/${contact.id}/interactions`,
        payload: { data: { interaction: { type: 'call', title: `${marker} call` } } },
      }),
    )
  ).data.interaction
  const upsert = (
    await ok(
      space.request({
        method: 'POST',
        url: '/contacts/upsert',
        payload: { kind: 'contact', data: { surname: marker } },
      }),
    )
  ).data
  const person = await aPerson(t, space, 'admin')
  await ok(
    space.request({ method: 'PATCH', url: `/users/${person.id}`, payload: { data: { surname: marker } } }),
  )
  const team = (
    await ok(
      space.request({
        method: 'POST',
        url: '/teams',
        payload: { data: { team: { name: `${marker} team`, private: true, users: [{ id: person.id }] } } },
      }),
    )
  ).data.team
  const invitation = (
    await ok(
      space.request({
        method: 'POST',
        url: '/users/invitation',
        payload: {
          data: { invitations: [{ email: `${marker.toLowerCase()}.${space.groupId}@example.com` }] },
        },
      }),
    )
  ).data.invitations[0]
  const role = (await ok(space.request({ method: 'GET', url: '/roles' }))).data.roles[0]
  return {
    userId: person.id,
    teamId: team.id,
    invitationId: invitation.id,
    roleId: role.id,
    id: contact.id,
    noteId: contact.notes[0].id,
    interactionId: interaction.id,
    formId: form.id,
    refvalueId: form.refvalues[0]!.id,
    actionId: action.id,
    upsertId: upsert.upsert_id,
    otherContactId: other.id,
  }
}

async function ok(response: Promise<LightMyRequestResponse>) {
  const r = await response
  if (r.statusCode >= 300) throw new Error(`setup request failed: ${r.statusCode} ${r.body}`)
  return r.json()
}

const PROBLEM_KEYS = ['detail', 'errors', 'instance', 'status', 'title', 'type']

/** An error response as the contract says: application/problem+json, `{type, title, status, detail, instance, errors?}`. */
export function expectProblem(response: LightMyRequestResponse, where: string): void {
  expect(response.headers['content-type'], where).toMatch(/^application\/problem\+json/)
  const body = JSON.parse(response.body)
  expect(
    Object.keys(body).filter((k) => !PROBLEM_KEYS.includes(k)),
    `${where}: keys`,
  ).toEqual([])
  expect(body, where).toMatchObject({
    type: expect.any(String),
    title: expect.any(String),
    status: response.statusCode,
    detail: expect.any(String),
    instance: expect.any(String),
  })
  if ('errors' in body) {
    expect(Array.isArray(body.errors), `${where}: errors`).toBe(true)
    for (const e of body.errors) {
      expect(e, where).toMatchObject({ location: expect.any(String), message: expect.any(String) })
    }
  }
}
