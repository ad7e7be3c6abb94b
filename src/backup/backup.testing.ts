// Test helpers for backups: a space filled through the real code paths (the generator, the bulk
// import, the API), and what every read route answers for it, to compare before and after a move.
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { expect } from 'vitest'
import { testConfig } from '../../test/app.ts'
import { buildApp } from '../app.ts'
import { ensureForms, generateContacts } from '../bulk/generate.ts'
import { importContacts } from '../bulk/import.ts'
import type { Connection } from '../db/connect.ts'
import * as roles from '../roles/roles.service.ts'
import * as spaces from '../spaces/spaces.service.ts'
import * as users from '../users/users.service.ts'

export type Request = (options: InjectOptions) => Promise<LightMyRequestResponse>

export async function appOn(conn: Connection): Promise<FastifyInstance> {
  const app = await buildApp({ config: testConfig, db: conn.db })
  await app.ready()
  return app
}

export const as =
  (app: FastifyInstance, key: string): Request =>
  (options) =>
    app.inject({ ...options, headers: { authorization: `Bearer ${key}`, ...options.headers } })

/**
 * A new space with `count` generated contacts (tags, form answers, interactions), notes, an action
 * and a queued upsert; its key.
 */
export async function filledSpace(conn: Connection, count: number, seed: number) {
  const space = await spaces.createSpace(conn.db, `Space ${seed}`)
  const { key } = await spaces.createApiKey(conn.db, space.id, 'backup test')
  const tenant = { groupId: space.id, apiKeyId: 0 }
  const forms = await ensureForms(conn.db, tenant)
  const records = (async function* () {
    let line = 0
    for (const value of generateContacts(count, seed, forms)) yield { line: ++line, value }
  })()
  await importContacts(conn, tenant, records, { indexes: 'keep' })
  const app = await appOn(conn)
  try {
    const request = as(app, key)
    const ok = async (options: InjectOptions) => {
      const response = await request(options)
      expect(response.statusCode, response.body).toBeLessThan(300)
      return response.json().data
    }
    const { contacts } = await ok({ method: 'POST', url: '/search', payload: search({ $all: [] }, 0, 20) })
    for (const contact of contacts.slice(0, 10))
      await ok({
        method: 'POST',
        url: `/contacts/${contact.id}/notes`,
        payload: { data: { note: { data: `Note ${contact.id}` } } },
      })
    await ok({
      method: 'POST',
      url: '/v1/actions',
      payload: { data: { action: { name: `Porte-à-porte ${seed}` } } },
    })
    const upsert = await ok({
      method: 'POST',
      url: '/contacts/upsert',
      payload: { kind: 'contact', data: { firstname: 'Queued', surname: `Upsert ${seed}` } },
    })
    // a member (a user who may belong to other spaces), a team, an invitation, a contact's history
    const mail = `backup.${seed}@example.com`
    const user = (await users.findByMail(conn.db, mail)) ?? (await users.createUser(conn.db, mail, null))
    const role = await roles.builtIn(conn.db, space.id, 'admin')
    await users.addMember(conn.db, space.id, user.id, role!.id, {
      firstname: 'Ada',
      surname: `Member ${seed}`,
    })
    // and one who belongs to every space filled here
    const shared =
      (await users.findByMail(conn.db, 'backup.shared@example.com')) ??
      (await users.createUser(conn.db, 'backup.shared@example.com', null))
    await users.addMember(conn.db, space.id, shared.id, role!.id, { surname: `Shared in ${seed}` })
    await ok({
      method: 'POST',
      url: '/teams',
      payload: { data: { team: { name: `Team ${seed}`, users: [{ id: user.id }] } } },
    })
    await ok({
      method: 'POST',
      url: '/users/invitation',
      payload: { data: { invitations: [{ email: `invited.${seed}@example.com` }] } },
    })
    const created = await ok({
      method: 'POST',
      url: '/contacts',
      payload: { data: { contact: { firstname: 'With', surname: `History ${seed}` } } },
    })
    await ok({
      method: 'PATCH',
      url: `/contacts/${created.contact.id}`,
      payload: { data: { contact: { firstname: 'Changed' } } },
    })
    return {
      groupId: space.id,
      key,
      upsertId: upsert.upsert_id as number,
      userId: user.id,
      historyId: created.contact.id as number,
    }
  } finally {
    await app.close()
  }
}

const search = (query: unknown, page: number, per_page: number, sort_attr?: string) => ({
  data: { advanced_search: { query, page, per_page, ...(sort_attr ? { sort_attr, sort_asc: true } : {}) } },
})

/**
 * What the read routes answer for a space: a sample of contacts (GET, notes, interactions),
 * search pages, counts, forms, tags, actions and the upsert's receipt. Equal answers before and
 * after a restore mean the restore lost nothing a client can see.
 */
export async function answers(request: Request, upsertId: number, sample = 40, historyId?: number) {
  const get = async (url: string) => {
    const response = await request({ method: 'GET', url })
    return { status: response.statusCode, body: response.json() }
  }
  const post = async (url: string, payload: InjectOptions['payload']) => {
    const response = await request({ method: 'POST', url, payload })
    return { status: response.statusCode, body: response.json() }
  }
  const queries = [
    { $all: [] },
    { $all: [{ $all: [{ $condition: { attr: 'tags', ope: 'ext' } }] }] },
    { $all: [{ $all: [{ $condition: { attr: 'address.city', ope: 'eql', value: 'Paris' } }] }] },
    { $at_least_one: [{ $at_least_one: [{ $condition: { attr: 'gender', ope: 'eql', value: 'F' } }] }] },
  ]
  const out: Record<string, unknown> = {}
  for (const [i, query] of queries.entries()) {
    out[`kpi ${i}`] = await post('/kpi', search(query, 0, 1))
    out[`search ${i}`] = await post('/search', search(query, 1, 50, 'surname'))
  }
  // every answer is a success: comparing errors would prove nothing
  const failed = Object.entries(out).find(([, answer]) => (answer as { status: number }).status !== 200)
  expect(failed).toBeUndefined()
  const all = await post('/search', search({ $all: [] }, 0, 1000, 'id'))
  const ids: number[] = all.body.data.contacts.map((c: { id: number }) => c.id)
  const step = Math.max(1, Math.floor(ids.length / sample))
  for (let i = 0; i < ids.length; i += step) {
    out[`contact ${ids[i]}`] = await get(`/contacts/${ids[i]}`)
    out[`notes ${ids[i]}`] = await get(`/contacts/${ids[i]}/notes`)
    out[`interactions ${ids[i]}`] = await get(`/contacts/${ids[i]}/interactions`)
  }
  for (const type of ['consent', 'survey', 'level_of_support', 'custom_fields', 'presence_status', 'tasks']) {
    const forms = await get(`/v1/forms/type/${type}`)
    out[`forms ${type}`] = forms
    for (const form of forms.body.data?.forms ?? []) out[`form ${form.id}`] = await get(`/forms/${form.id}`)
  }
  out.tags = await get('/v1/tags')
  out.actions = await get('/actions')
  out.upsert = await get(`/contacts/upsert/${upsertId}`)
  for (const url of ['/users', '/teams', '/users/invitation', '/roles']) {
    out[url] = await get(url)
    expect(out[url]).toMatchObject({ status: 200 })
  }
  if (historyId !== undefined) {
    out.history = await get(`/v1/contacts/${historyId}/history`)
    expect(out.history).toMatchObject({ status: 200 })
  }
  out.contacts = ids.length
  return out
}
