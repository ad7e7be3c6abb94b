// Log-in sessions of the browser console. A session is a random token in an HttpOnly cookie;
// only its SHA-256 is stored. It belongs to one space, expires, and is revoked by log-out.
// Failed log-ins are slowed down twice: per account (stored, so every process sees it: after 5
// failures in a row each one locks the account for 2, 4, 8… seconds, up to 15 minutes) and per
// client address (in memory: 20 failures, then one more every 30 seconds).
import { createHash, randomBytes } from 'node:crypto'
import type { Db, RoleType } from '../db/database.ts'
import { AppError, errors } from '../shared/errors.ts'
import { verifyPassword } from '../users/password.ts'
import type { User } from '../users/users.schema.ts'
import * as users from '../users/users.service.ts'
import * as repo from './sessions.repository.ts'

export const COOKIE = 'carnet_session'
const FREE_FAILURES = 5
const MAX_LOCK_SECONDS = 15 * 60

const hash = (token: string) => createHash('sha256').update(token).digest('hex')

export interface LiveSession {
  groupId: number
  userId: number
  role: RoleType
  scope: unknown
}

export async function authenticate(db: Db, token: string): Promise<LiveSession | undefined> {
  const row = await repo.findLive(db, hash(token))
  if (!row) return undefined
  return {
    groupId: row.group_id,
    userId: row.user_id,
    role: row.role,
    scope: row.advanced_search === null ? undefined : row.advanced_search,
  }
}

/** Failures per client address, in this process. */
export class AddressThrottle {
  readonly #failures = new Map<string, { tokens: number; at: number }>()
  readonly burst: number
  readonly everySeconds: number
  readonly now: () => number
  constructor(burst = 20, everySeconds = 30, now = () => Date.now()) {
    this.burst = burst
    this.everySeconds = everySeconds
    this.now = now
  }

  /** Seconds to wait before this address may try again; 0 when it may. */
  wait(address: string): number {
    const entry = this.#refill(address)
    return entry.tokens >= 1 ? 0 : Math.ceil((1 - entry.tokens) * this.everySeconds)
  }

  fail(address: string): void {
    const entry = this.#refill(address)
    entry.tokens = Math.max(0, entry.tokens - 1)
    if (this.#failures.size > 100_000) this.#failures.clear()
    this.#failures.set(address, entry)
  }

  #refill(address: string) {
    const now = this.now()
    const entry = this.#failures.get(address) ?? { tokens: this.burst, at: now }
    entry.tokens = Math.min(this.burst, entry.tokens + (now - entry.at) / 1000 / this.everySeconds)
    entry.at = now
    return entry
  }
}

const tooMany = (seconds: number) =>
  new AppError('too_many_log_ins', 429, `Too many failed log-ins: retry in ${seconds} s`, [], {
    'retry-after': String(seconds),
  })
const refused = () => errors.unauthorized('Unknown e-mail or wrong password')

export interface LogIn {
  mail: string
  password: string
  group_id?: number | undefined
}

export async function logIn(
  db: Db,
  input: LogIn,
  { address, throttle, hours }: { address: string; throttle: AddressThrottle; hours: number },
): Promise<{ token: string; user: User; groupId: number; expiresAt: Date }> {
  const wait = throttle.wait(address)
  if (wait > 0) throw tooMany(wait)
  const user = await users.findByMail(db, input.mail)
  const lockedFor = user?.locked_until ? Math.ceil((Date.parse(user.locked_until) - Date.now()) / 1000) : 0
  if (lockedFor > 0) throw tooMany(lockedFor)
  if (!user || !(await verifyPassword(input.password, user.password_hash))) {
    throttle.fail(address)
    if (user) await repo.recordFailure(db, user.id, FREE_FAILURES, MAX_LOCK_SECONDS)
    throw refused()
  }
  await repo.clearFailures(db, user.id)
  const spaces = await users.spacesOf(db, user.id)
  const groupId = input.group_id ?? spaces[0]
  if (groupId === undefined) throw errors.forbidden('This user belongs to no space')
  if (!spaces.includes(groupId)) throw errors.forbidden(`This user is not a user of space ${groupId}`)
  const token = randomBytes(32).toString('base64url')
  const expiresAt = new Date(Date.now() + hours * 3600_000)
  await repo.insert(db, groupId, user.id, hash(token), expiresAt)
  const tenant = { groupId, apiKeyId: 0, userId: user.id }
  return { token, user: await users.get(db, tenant, user.id), groupId, expiresAt }
}

export async function logOut(db: Db, token: string): Promise<void> {
  await repo.revoke(db, hash(token))
}

export const revokeAllOf = repo.revokeAllOf
