import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type Space, type TestApp, testApp } from '../../test/app.ts'
import { aPerson, type Person } from '../../test/people.ts'

let t: TestApp
let space: Space
let leader: Person
let member: Person
let outsider: Person
beforeAll(async () => {
  t = await testApp()
  space = await t.newSpace()
  leader = await aPerson(t, space, 'user')
  member = await aPerson(t, space, 'user')
  outsider = await aPerson(t, space, 'user')
})
afterAll(() => t.close())

const TEAM_KEYS = [
  'address',
  'created_at',
  'description',
  'hide_users',
  'id',
  'leaders',
  'name',
  'private',
  'updated_at',
  'users',
]

async function createTeam(team: Record<string, unknown>) {
  const response = await space.request({ method: 'POST', url: '/teams', payload: { data: { team } } })
  expect(response.statusCode, response.body).toBe(200)
  return response.json().data.team
}

describe('POST /teams, GET /teams/{id}', () => {
  test('creates a team with its address, leaders and members, in the documented shape', async () => {
    const team = await createTeam({
      name: 'Belleville',
      description: 'Porte-à-porte',
      address: {
        house_number: 12,
        street: 'rue de Belleville',
        postalcode: '75020',
        city: 'Paris',
        latitude: 48.87,
        longitude: 2.38,
      },
      leaders: [{ id: leader.id }],
      users: [{ id: member.id }],
    })
    expect(Object.keys(team).sort()).toEqual(TEAM_KEYS)
    expect(team).toMatchObject({
      name: 'Belleville',
      description: 'Porte-à-porte',
      hide_users: false,
      private: false,
    })
    expect(team.address).toMatchObject({
      housenumber: '12',
      street: 'rue de Belleville',
      postalcode: '75020',
      city: 'Paris',
      latitude: 48.87,
      location: '48.870000,2.380000',
    })
    expect(typeof team.address.id).toBe('number')
    expect(team.leaders.map((u: { id: number }) => u.id)).toEqual([leader.id])
    expect(team.users.map((u: { id: number }) => u.id).sort()).toEqual([leader.id, member.id].sort())
    expect(team.users[0]).toHaveProperty('role_data')
    const read = await space.request({ method: 'GET', url: `/teams/${team.id}` })
    expect(read.json()).toEqual({ status: 'success', data: { team } })
  })

  test('a member who is not a user of the space is a 422 at its place; a name is required', async () => {
    const foreigner = await aPerson(t, await t.newSpace())
    const response = await space.request({
      method: 'POST',
      url: '/teams',
      payload: { data: { team: { name: 'X', users: [{ id: member.id }, { id: foreigner.id }] } } },
    })
    expect(response.statusCode).toBe(422)
    expect(response.json().errors[0].location).toBe('body.data.team.users[1].id')
    const noName = await space.request({ method: 'POST', url: '/teams', payload: { data: { team: {} } } })
    expect(noName.statusCode).toBe(422)
  })
})

describe('PATCH /teams', () => {
  test('a full replace of the team named in the body; what GET returned goes back unchanged', async () => {
    const team = await createTeam({
      name: 'Before',
      description: 'd',
      leaders: [{ id: leader.id }],
      users: [{ id: member.id }],
    })
    const same = await space.request({ method: 'PATCH', url: '/teams', payload: { data: { team } } })
    expect(same.statusCode).toBe(200)
    const { updated_at: _a, ...kept } = same.json().data.team
    const { updated_at: _b, ...was } = team
    expect(kept).toEqual(was)
    const replaced = await space.request({
      method: 'PATCH',
      url: '/teams',
      payload: { data: { team: { id: team.id, name: 'After', users: [{ id: outsider.id }] } } },
    })
    expect(replaced.json().data.team).toMatchObject({ name: 'After', description: null, leaders: [] })
    expect(replaced.json().data.team.users.map((u: { id: number }) => u.id)).toEqual([outsider.id])
  })

  test('without an id it is a 422; an unknown or foreign id a 404', async () => {
    const noId = await space.request({
      method: 'PATCH',
      url: '/teams',
      payload: { data: { team: { name: 'x' } } },
    })
    expect(noId.statusCode).toBe(422)
    expect(noId.json().errors[0].location).toBe('body.data.team.id')
    const other = await t.newSpace()
    const foreign = (
      await other.request({ method: 'POST', url: '/teams', payload: { data: { team: { name: 'theirs' } } } })
    ).json().data.team
    const response = await space.request({
      method: 'PATCH',
      url: '/teams',
      payload: { data: { team: { id: foreign.id, name: 'mine' } } },
    })
    expect(response.statusCode).toBe(404)
    expect((await other.request({ method: 'GET', url: `/teams/${foreign.id}` })).json().data.team.name).toBe(
      'theirs',
    )
  })
})

describe('visibility', () => {
  test('GET /teams/public is a bare array of the public teams', async () => {
    const open = await createTeam({ name: 'Open' })
    const secret = await createTeam({ name: 'Secret', private: true })
    const response = await space.request({ method: 'GET', url: '/teams/public' })
    expect(response.statusCode).toBe(200)
    const body = response.json()
    expect(Array.isArray(body)).toBe(true)
    const ids = body.map((team: { id: number }) => team.id)
    expect(ids).toContain(open.id)
    expect(ids).not.toContain(secret.id)
  })

  test('a private team is seen by its members only (and by those who manage teams)', async () => {
    const secret = await createTeam({ name: 'Cellule', private: true, users: [{ id: member.id }] })
    const seen = async (p: Person) =>
      (await p.request({ method: 'GET', url: '/teams' }))
        .json()
        .data.teams.some((x: { id: number }) => x.id === secret.id)
    expect(await seen(member)).toBe(true)
    expect(await seen(outsider)).toBe(false)
    expect((await outsider.request({ method: 'GET', url: `/teams/${secret.id}` })).statusCode).toBe(404)
    expect(await seen(await aPerson(t, space, 'manager'))).toBe(true)
  })

  test('hide_users hides the members from all but the leaders and those who manage teams', async () => {
    const hidden = await createTeam({
      name: 'Hidden',
      hide_users: true,
      leaders: [{ id: leader.id }],
      users: [{ id: member.id }],
    })
    const users = async (p: Person) =>
      (await p.request({ method: 'GET', url: `/teams/${hidden.id}` }))
        .json()
        .data.team.users.map((u: { id: number }) => u.id)
    expect(await users(member)).toEqual([])
    expect(
      (await member.request({ method: 'GET', url: `/teams/${hidden.id}` })).json().data.team.leaders,
    ).toHaveLength(1)
    expect((await users(leader)).sort()).toEqual([leader.id, member.id].sort())
    expect(await users(await aPerson(t, space, 'manager'))).toHaveLength(2)
  })
})

test('DELETE /teams/{id} (our addition)', async () => {
  const team = await createTeam({ name: 'Gone', users: [{ id: member.id }] })
  expect((await space.request({ method: 'DELETE', url: `/teams/${team.id}` })).json()).toEqual({
    status: 'success',
    data: { id: team.id },
  })
  expect((await space.request({ method: 'GET', url: `/teams/${team.id}` })).statusCode).toBe(404)
  expect((await space.request({ method: 'DELETE', url: `/teams/${team.id}` })).statusCode).toBe(404)
})
