// The users of a space: a person (app_user: e-mail, password) and their membership of the space
// (space_user: role, profile as shown in this space, the contacts they may see). A user edited
// in one space keeps the profile other spaces show; only the e-mail, their log-in, is shared.
import type { Db } from '../db/database.ts'
import { inTransaction } from '../db/transaction.ts'
import * as roles from '../roles/roles.service.ts'
import { parseQueryOf } from '../search/search.service.ts'
import { errors } from '../shared/errors.ts'
import type { Tenant } from '../shared/tenant.ts'
import * as repo from './users.repository.ts'
import type { User, UserPatch, UserRole } from './users.schema.ts'

export function toUser(row: repo.MemberRow, groupIds: number[]): User {
  return {
    CreatedAt: row.created_at,
    UpdatedAt: row.updated_at,
    address: row.address,
    avatar: row.avatar,
    birthdate: row.birthdate,
    city: row.city,
    created: row.account_created_at,
    firstname: row.firstname,
    group_id: groupIds,
    id: row.id,
    locale: row.locale,
    location: row.location,
    mail: row.mail,
    phone: row.phone,
    postal: row.postal,
    postalcode: row.postal,
    role_data: {
      color: row.role_color,
      id: row.role_id,
      mobile: row.role_mobile,
      name: row.role_name,
      order: row.role_order,
      web: row.role_web,
      type: row.role_type,
    },
    status: row.status,
    surname: row.surname,
    two_factor_enable: row.two_factor_enable,
  }
}

/** The spaces shown in a user's `group_id`: all of them to the user, this one to anyone else. */
async function groupIdsFor(db: Db, tenant: Tenant, userId: number): Promise<number[]> {
  return tenant.userId === userId ? repo.spacesOf(db, userId) : [tenant.groupId]
}

export async function list(
  db: Db,
  tenant: Tenant,
  query: { limit?: number; offset?: number; sort?: boolean },
) {
  const [rows, count] = await Promise.all([
    repo.listMembers(db, tenant.groupId, {
      limit: query.limit,
      offset: query.offset ?? 0,
      sort: query.sort ?? false,
    }),
    repo.countMembers(db, tenant.groupId),
  ])
  const own = tenant.userId === undefined ? [] : await repo.spacesOf(db, tenant.userId)
  return { count, users: rows.map((row) => toUser(row, row.id === tenant.userId ? own : [tenant.groupId])) }
}

export async function get(db: Db, tenant: Tenant, id: number): Promise<User> {
  const row = await repo.getMember(db, tenant.groupId, id)
  if (!row) throw errors.notFound('User', id)
  return toUser(row, await groupIdsFor(db, tenant, id))
}

/** Members of the space among `ids`, by id (teams show their members). */
export async function byIds(db: Db, tenant: Tenant, ids: number[]): Promise<Map<number, User>> {
  const rows = await repo.membersByIds(db, tenant.groupId, ids)
  return new Map(rows.map((row) => [row.id, toUser(row, [tenant.groupId])]))
}

/** PATCH /users/{id}: the fields sent are written, the others left. */
export async function update(db: Db, tenant: Tenant, id: number, patch: UserPatch): Promise<void> {
  await inTransaction(db, async (trx) => {
    const member = await repo.getMember(trx, tenant.groupId, id)
    if (!member) throw errors.notFound('User', id)
    const { mail, locale, postalcode, ...profile } = patch
    if (postalcode !== undefined && profile.postal === undefined) profile.postal = postalcode
    await repo.updateMember(trx, tenant.groupId, id, profile)
    if (locale !== undefined) await repo.updateUser(trx, id, { locale })
    if (mail !== undefined && mail.trim().toLowerCase() !== member.mail.toLowerCase())
      await changeMail(trx, tenant, id, mail)
  })
}

/**
 * The e-mail is the user's log-in in every space: another space's admin may not change it, so
 * it changes only for a user of this space alone, or by the user themself.
 */
async function changeMail(db: Db, tenant: Tenant, id: number, mail: string): Promise<void> {
  const location = 'body.data.mail'
  if (tenant.userId !== id && (await repo.spacesOf(db, id)).length > 1)
    throw errors.conflict('This user belongs to other spaces too: only they can change their e-mail', [
      { location, message: 'only the user can change it', value: mail },
    ])
  const taken = await repo.findUserByMail(db, mail)
  if (taken && taken.id !== id)
    throw errors.conflict('Another user has this e-mail', [
      { location, message: 'already taken', value: mail },
    ])
  await repo.updateUser(db, id, { mail: mail.trim() })
}

/** Only a superadmin (or a key without user) gives or takes the superadmin role. */
function requireSuperadminToTouch(tenant: Tenant): void {
  if (tenant.role !== undefined && tenant.role !== 'superadmin')
    throw errors.forbidden('Only a superadmin can give or take the superadmin role')
}

/** PATCH /users/role: the role, and the contacts the user may see (`advanced_search`). */
export async function setRole(db: Db, tenant: Tenant, input: UserRole): Promise<void> {
  const scope = await scopeOf(db, tenant, input.advanced_search)
  await inTransaction(db, async (trx) => {
    const superadmins = await repo.lockSuperadmins(trx, tenant.groupId)
    const member = await repo.getMember(trx, tenant.groupId, input.user_id)
    if (!member) throw errors.notFound('User', input.user_id)
    const role = await roles.require(trx, tenant, input.role_id, 'body.data.role_id')
    const wasSuper = member.role_type === 'superadmin'
    if (wasSuper !== (role.type === 'superadmin')) requireSuperadminToTouch(tenant)
    if (wasSuper && role.type !== 'superadmin' && superadmins.length === 1)
      throw errors.conflict('A space keeps at least one superadmin: give the role to someone else first')
    await repo.setRole(trx, tenant.groupId, input.user_id, {
      role_id: role.id,
      ...(scope !== undefined ? { advanced_search: scope } : {}),
      ...(input.saved_filters_id !== undefined ? { saved_filters_id: input.saved_filters_id } : {}),
    })
  })
}

/** The stored scope: undefined leaves it, null removes it; a query is checked as a search would be. */
async function scopeOf(db: Db, tenant: Tenant, raw: unknown): Promise<string | null | undefined> {
  if (raw === undefined || raw === null) return raw as undefined | null
  const query =
    typeof raw === 'object' && !Array.isArray(raw) && 'query' in (raw as object)
      ? (raw as { query: unknown }).query
      : raw
  await parseQueryOf(db, { groupId: tenant.groupId, apiKeyId: tenant.apiKeyId }, query)
  return JSON.stringify(query)
}

/** DELETE /users/{id} (our addition): the user leaves the space; their sessions there end. */
export async function remove(db: Db, tenant: Tenant, id: number): Promise<{ id: number }> {
  return inTransaction(db, async (trx) => {
    const superadmins = await repo.lockSuperadmins(trx, tenant.groupId)
    const member = await repo.getMember(trx, tenant.groupId, id)
    if (!member) throw errors.notFound('User', id)
    if (member.role_type === 'superadmin') {
      requireSuperadminToTouch(tenant)
      if (superadmins.length === 1)
        throw errors.conflict('A space keeps at least one superadmin: give the role to someone else first')
    }
    await repo.removeMember(trx, tenant.groupId, id)
    return { id }
  })
}

/** Adds `userId` to the space with `roleId` (an invitation accepted, the CLI). */
export async function addMember(
  db: Db,
  groupId: number,
  userId: number,
  roleId: number,
  profile: repo.ProfileColumns,
): Promise<void> {
  await repo.insertMember(db, groupId, userId, roleId, profile)
}

export const findByMail = repo.findUserByMail
export const findUser = repo.findUser
export const createUser = repo.insertUser
export const updateUser = repo.updateUser
export const getMember = repo.getMember
export const spacesOf = repo.spacesOf
