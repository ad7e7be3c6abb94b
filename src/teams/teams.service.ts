// Teams of a space. Public teams are seen by every member; a private team only by its members and
// by those who manage teams. `hide_users` hides the members (not the leaders) from everyone but the
// team's leaders and those who manage teams (who need them to replace the team with PATCH).
import type { Db } from '../db/database.ts'
import { inTransaction } from '../db/transaction.ts'
import { errors } from '../shared/errors.ts'
import { permissionsOf } from '../shared/permissions.ts'
import type { Tenant } from '../shared/tenant.ts'
import type { User } from '../users/users.schema.ts'
import * as users from '../users/users.service.ts'
import * as repo from './teams.repository.ts'
import type { Team, TeamAddressInput, TeamInput } from './teams.schema.ts'

const ADDRESS_KEYS = [
  'addition',
  'building',
  'city',
  'country',
  'county',
  'door',
  'floor',
  'housenumber',
  'infos',
  'pollingstation',
  'postalcode',
  'state',
  'street',
] as const

type StoredAddress = Partial<Record<(typeof ADDRESS_KEYS)[number], string | null>> & {
  latitude?: number | null
  longitude?: number | null
}

const text = (value: unknown): string | null =>
  value === undefined || value === null || value === '' ? null : String(value)
const coordinate = (value: unknown): number | null => {
  const n = value === undefined || value === null || value === '' ? Number.NaN : Number(value)
  return Number.isFinite(n) ? n : null
}

function storedAddress(input: TeamAddressInput | null | undefined): string | null {
  if (!input) return null
  const stored: StoredAddress = {}
  const spelled: Record<string, unknown> = {
    ...input,
    housenumber: input.housenumber ?? input.house_number,
    postalcode: input.postalcode ?? input.postal_code,
  }
  for (const key of ADDRESS_KEYS) stored[key] = text(spelled[key])
  stored.latitude = coordinate(input.latitude)
  stored.longitude = coordinate(input.longitude)
  return JSON.stringify(stored)
}

function toAddress(id: number, raw: unknown): Team['address'] {
  const stored = (raw ?? {}) as StoredAddress
  const parts = Object.fromEntries(ADDRESS_KEYS.map((key) => [key, stored[key] ?? null])) as Record<
    (typeof ADDRESS_KEYS)[number],
    string | null
  >
  const latitude = stored.latitude ?? null
  const longitude = stored.longitude ?? null
  const placed = latitude !== null && longitude !== null
  return {
    ...parts,
    id,
    latitude,
    longitude,
    location: placed ? `${latitude.toFixed(6)},${longitude.toFixed(6)}` : null,
    score: placed ? 1 : null,
  }
}

const managesTeams = (tenant: Tenant) => permissionsOf(tenant.role ?? null).has('teams.write')

async function toTeams(db: Db, tenant: Tenant, rows: repo.TeamRow[]): Promise<Team[]> {
  const members = await repo.membersOf(
    db,
    tenant.groupId,
    rows.map((r) => r.id),
  )
  const people = await users.byIds(db, tenant, [...new Set(members.map((m) => m.user_id))])
  return rows.map((row) => {
    const mine = members.filter((m) => m.team_id === row.id)
    const leads = mine.some((m) => m.leader && m.user_id === tenant.userId)
    const showUsers = !row.hide_users || managesTeams(tenant) || leads
    const pick = (list: typeof mine) => list.map((m) => people.get(m.user_id)).filter((u): u is User => !!u)
    return {
      id: row.id,
      name: row.name,
      description: row.description,
      hide_users: row.hide_users,
      private: row.private,
      created_at: row.created_at,
      updated_at: row.updated_at,
      address: toAddress(row.address_id, row.address),
      leaders: pick(mine.filter((m) => m.leader)),
      users: showUsers ? pick(mine) : [],
    }
  })
}

const visibility = (tenant: Tenant) =>
  managesTeams(tenant) || tenant.userId === undefined ? {} : { visibleTo: tenant.userId }

export async function list(db: Db, tenant: Tenant, onlyPublic = false): Promise<Team[]> {
  return toTeams(db, tenant, await repo.list(db, tenant.groupId, { ...visibility(tenant), onlyPublic }))
}

export async function get(db: Db, tenant: Tenant, id: number): Promise<Team> {
  const visible = await repo.list(db, tenant.groupId, visibility(tenant))
  const row = visible.find((r) => r.id === id)
  if (!row) throw errors.notFound('Team', id)
  return (await toTeams(db, tenant, [row]))[0]!
}

/** Leaders and users as members: a leader is a member too; every id must be a user of the space. */
async function membersOf(db: Db, tenant: Tenant, input: TeamInput) {
  const leaders = input.leaders ?? []
  const members = input.users ?? []
  const known = await users.byIds(
    db,
    tenant,
    [...leaders, ...members].map((m) => m.id),
  )
  const details = [
    ...leaders.map((m, i) => ({ m, location: `body.data.team.leaders[${i}].id` })),
    ...members.map((m, i) => ({ m, location: `body.data.team.users[${i}].id` })),
  ]
    .filter(({ m }) => !known.has(m.id))
    .map(({ m, location }) => ({
      location,
      message: `user ${m.id} is not a user of this space`,
      value: m.id,
    }))
  if (details.length > 0) throw errors.invalid('Unknown users in the team', details)
  const leaderIds = new Set(leaders.map((m) => m.id))
  const all = new Set([...leaderIds, ...members.map((m) => m.id)])
  return [...all].map((id) => ({ user_id: id, leader: leaderIds.has(id) }))
}

const values = (input: TeamInput): repo.TeamValues => ({
  name: input.name,
  description: input.description ?? null,
  hide_users: input.hide_users ?? false,
  private: input.private ?? false,
  address: storedAddress(input.address),
})

export async function create(db: Db, tenant: Tenant, input: TeamInput): Promise<Team> {
  const id = await inTransaction(db, async (trx) => {
    const members = await membersOf(trx, tenant, input)
    const { id } = await repo.insert(trx, tenant.groupId, values(input))
    await repo.replaceMembers(trx, tenant.groupId, id, members)
    return id
  })
  return get(db, tenant, id)
}

/** PATCH /teams: a full replace of the team named by `id` in the body. */
export async function replace(db: Db, tenant: Tenant, input: TeamInput): Promise<Team> {
  if (input.id === undefined)
    throw errors.invalidField('body.data.team.id', 'PATCH /teams names the team by its id in the body')
  const id = input.id
  await inTransaction(db, async (trx) => {
    if (!(await repo.update(trx, tenant.groupId, id, values(input)))) throw errors.notFound('Team', id)
    await repo.replaceMembers(trx, tenant.groupId, id, await membersOf(trx, tenant, input))
  })
  return get(db, tenant, id)
}

export async function remove(db: Db, tenant: Tenant, id: number): Promise<{ id: number }> {
  if (!(await repo.remove(db, tenant.groupId, id))) throw errors.notFound('Team', id)
  return { id }
}
