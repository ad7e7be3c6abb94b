import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest'
import { type Space, type TestApp, testApp } from '../../test/app.ts'
import { createContact } from '../../test/fixtures.ts'
import type { OpenDatabase } from '../db/open.ts'
import { actionCommands } from './actions.cli.ts'

let t: TestApp
let space: Space
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())
beforeEach(async () => {
  space = await t.newSpace()
})

const createAction = (action: Record<string, unknown>, s = space) =>
  s.request({ method: 'POST', url: '/v1/actions', payload: { data: { action } } })
const listActions = async (s = space) => {
  const response = await s.request({ method: 'GET', url: '/actions' })
  expect(response.statusCode).toBe(200)
  return response.json().data.actions
}

describe('GET /actions, POST /v1/actions', () => {
  test('creates actions and lists them with the number of contacts attached', async () => {
    const response = await createAction({ name: 'Door-to-door Belleville', type: 'door_to_door' })
    expect(response.statusCode).toBe(200)
    const action = response.json().data.action
    expect(action).toEqual({
      id: expect.any(Number),
      name: 'Door-to-door Belleville',
      type: 'door_to_door',
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      updated_at: expect.any(String),
      contacts_count: 0,
    })
    const rally = (await createAction({ name: 'Rally' })).json().data.action
    expect(rally.type).toBe('other')
    const a = await createContact(space, { action_ids: [action.id, rally.id] })
    await createContact(space, { actions_ids: [action.id] })
    expect((await listActions()).map((x: any) => [x.id, x.contacts_count])).toEqual([
      [action.id, 2],
      [rally.id, 1],
    ])
    await space.request({ method: 'DELETE', url: `/contacts/${a.id}` })
    expect((await listActions()).map((x: any) => x.contacts_count)).toEqual([1, 0])
    expect(await listActions(await t.newSpace())).toEqual([])
  })

  test('an unknown id in action_ids makes a placeholder with that id; later ids of the space never collide with it', async () => {
    const explicit = [7, 8, 9]
    const contact = await createContact(space, { action_ids: explicit })
    expect(contact.action_ids).toEqual(explicit)
    expect((await listActions()).map((x: any) => [x.id, x.name, x.contacts_count])).toEqual(
      explicit.map((id) => [id, `Action ${id}`, 1]),
    )
    const created = await createAction({ name: 'After placeholders', type: 'call' })
    expect(created.statusCode).toBe(200)
    expect(created.json().data.action.id).toBe(10)
  })

  test('action ids are per space: naming the largest id in one space changes nothing for another', async () => {
    const other = await t.newSpace()
    const before = (await createAction({ name: 'first' }, other)).json().data.action.id
    expect(before).toBe(1)
    await createContact(space, { action_ids: [2_147_483_647] })
    const next = await createAction({ name: 'second' }, other)
    expect(next.statusCode).toBe(200)
    expect(next.json().data.action.id).toBe(2)
    // the space that named the largest id gets its lowest free ids, which every route accepts
    const own = (await createAction({ name: 'own' })).json().data.action.id
    expect(own).toBe(1)
    const attached = await createContact(space, { action_ids: [own, 2_147_483_647] })
    expect(attached.action_ids).toEqual([own, 2_147_483_647])
  })

  test('actions created at once in one space all get distinct ids', async () => {
    const created = await Promise.all(
      Array.from({ length: 8 }, (_, i) => createAction({ name: `parallel ${i}` })),
    )
    const ids = created.map((r) => r.json().data.action.id)
    expect(new Set(ids).size).toBe(8)
  })

  test('bad input is a 422 naming the field', async () => {
    const noName = await createAction({ type: 'call' })
    expect(noName.statusCode).toBe(422)
    expect(noName.json().errors[0].location).toBe('body.data.action.name')
    const blank = await createAction({ name: '   ' })
    expect(blank.statusCode).toBe(422)
    expect(await listActions()).toEqual([])
  })

  test('carnet actions create / list', async () => {
    const lines: string[] = []
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line))
    const database = { db: t.conn.db } as unknown as OpenDatabase
    try {
      const space2 = String(space.groupId)
      await actionCommands['actions create']!.run({
        values: { space: space2, name: 'Phone bank', type: 'call' },
        positionals: [],
        database,
      })
      await actionCommands['actions list']!.run({ values: { space: space2 }, positionals: [], database })
    } finally {
      log.mockRestore()
    }
    expect(lines[0]).toMatch(/^Created action \d+\tcall\tPhone bank$/)
    expect(lines[1]).toMatch(/^\d+\tcall\tPhone bank\t0 contacts$/)
    expect((await listActions()).map((x: any) => x.name)).toEqual(['Phone bank'])
  })
})
