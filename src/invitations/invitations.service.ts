// Invitations: a one-time token, stored as its SHA-256, that expires after 7 days. Accepting it
// (POST /v1/invitations/{token}/accept, no key needed) creates the user, or adds the user who
// already has that e-mail to the space (they confirm with their password).
import { createHash, randomBytes } from 'node:crypto'
import type { Db } from '../db/database.ts'
import { inTransaction } from '../db/transaction.ts'
import * as roles from '../roles/roles.service.ts'
import { AppError, errors } from '../shared/errors.ts'
import type { Tenant } from '../shared/tenant.ts'
import { hashPassword, verifyPassword } from '../users/password.ts'
import type { User } from '../users/users.schema.ts'
import * as users from '../users/users.service.ts'
import * as repo from './invitations.repository.ts'
import type { Accept, Invitation, InvitationInput } from './invitations.schema.ts'

export const LIFETIME_DAYS = 7

const hash = (token: string) => createHash('sha256').update(token).digest('hex')

function toInvitation(row: repo.InvitationRow): Invitation {
  return {
    id: row.id,
    group_id: row.group_id,
    email: row.email,
    mobile_phone: row.mobile_phone,
    role_id: row.role_id,
    role: { id: row.role_id, name: row.role_name, order: row.role_order },
    created_at: row.created_at,
    last_sent: row.last_sent,
    user_id: row.user_id,
    expires_at: row.expires_at,
    accepted_at: row.accepted_at,
  }
}

export interface Created {
  invitation: Invitation
  token: string
}

/**
 * Invites each e-mail with its role (`user` when none is given). An e-mail already invited and
 * not yet accepted gets a new token and expiry (the old link stops working); one that belongs to
 * a user of the space is refused, as is a role the space does not have. All or nothing.
 */
export async function invite(
  db: Db,
  tenant: Tenant,
  inputs: InvitationInput[],
  userId?: number,
): Promise<Created[]> {
  return inTransaction(db, async (trx) => {
    const made: { id: number; token: string }[] = []
    const defaultRole = await roles.builtIn(trx, tenant.groupId, 'user')
    for (const [i, input] of inputs.entries()) {
      const at = `body.data.invitations[${i}]`
      const role =
        input.role_id == null ? defaultRole : await roles.require(trx, tenant, input.role_id, `${at}.role_id`)
      if (role.type === 'superadmin' && tenant.role !== undefined && tenant.role !== 'superadmin')
        throw errors.forbidden('Only a superadmin can invite a superadmin')
      const existing = await users.findByMail(trx, input.email)
      if (existing && existing.id !== userId && (await users.getMember(trx, tenant.groupId, existing.id)))
        throw errors.invalidField(`${at}.email`, 'This e-mail is already a user of the space', input.email)
      const token = randomBytes(32).toString('base64url')
      const values = {
        email: input.email.trim(),
        mobile_phone: input.mobile_phone ?? null,
        role_id: role.id,
        token_hash: hash(token),
        expires_at: new Date(Date.now() + LIFETIME_DAYS * 86_400_000),
        ...(userId !== undefined ? { user_id: userId } : {}),
      }
      const pending = await repo.findPending(trx, tenant.groupId, input.email)
      if (pending) await repo.renew(trx, tenant.groupId, pending.id, values)
      const id = pending?.id ?? (await repo.insert(trx, tenant.groupId, values)).id
      made.push({ id, token })
    }
    const rows = await repo.list(trx, tenant.groupId)
    return made.map(({ id, token }) => ({ invitation: toInvitation(rows.find((r) => r.id === id)!), token }))
  })
}

export async function list(db: Db, tenant: Tenant): Promise<Invitation[]> {
  return (await repo.list(db, tenant.groupId)).map(toInvitation)
}

export async function remove(db: Db, tenant: Tenant, id: number): Promise<{ message: string }> {
  if (!(await repo.remove(db, tenant.groupId, id))) throw errors.notFound('Invitation', id)
  return { message: `invitation ${id} deleted` }
}

export function markSent(db: Db, groupId: number, id: number) {
  return repo.markSent(db, groupId, id)
}

const gone = (message: string) => new AppError('gone', 410, message)

/** The invitation a token opens, if it can still be accepted; 404 / 410 otherwise. */
async function usable(db: Db, token: string, lock: boolean) {
  const row = await repo.findByToken(db, hash(token), { lock })
  if (!row) throw errors.notFound('Invitation', 'with this token')
  if (row.accepted_at !== null) throw gone('This invitation was already accepted: log in instead')
  if (Date.parse(row.expires_at) <= Date.now()) throw gone('This invitation has expired: ask for a new one')
  return row
}

export async function preview(db: Db, token: string) {
  const row = await usable(db, token, false)
  const user = await users.findByMail(db, row.email)
  return {
    email: row.email,
    group_id: row.group_id,
    space: row.space_name,
    role: { id: row.role_id, name: row.role_name, type: row.role_type },
    expires_at: row.expires_at,
    has_password: !!user?.password_hash,
  }
}

/**
 * Accepts an invitation: a new e-mail becomes a user with this password; an e-mail that already
 * has a password must give it; one created without a password (the CLI) sets it now.
 */
export async function accept(db: Db, token: string, input: Accept): Promise<User> {
  const { groupId, userId } = await inTransaction(db, async (trx) => {
    const row = await usable(trx, token, true)
    let user = await users.findByMail(trx, row.email)
    if (user?.password_hash) {
      if (!(await verifyPassword(input.password, user.password_hash)))
        throw errors.unauthorized('This e-mail already has an account: give its password to join the space')
    } else if (user) {
      await users.updateUser(trx, user.id, { password_hash: await hashPassword(input.password) })
    } else {
      const created = await users.createUser(trx, row.email, await hashPassword(input.password))
      user = await users.findUser(trx, created.id)
    }
    const userId = user!.id
    if (!(await users.getMember(trx, row.group_id, userId)))
      await users.addMember(trx, row.group_id, userId, row.role_id, {
        firstname: input.firstname ?? null,
        surname: input.surname ?? null,
        phone: row.mobile_phone,
      })
    await repo.markAccepted(trx, row.group_id, row.id, userId)
    return { groupId: row.group_id, userId }
  })
  return users.get(db, { groupId, apiKeyId: 0, userId }, userId)
}
