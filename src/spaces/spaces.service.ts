// Spaces (tenants) and their API keys. A key is shown once, when created; only its SHA-256 is
// stored (keys are 192 random bits, so a fast hash is enough and keeps auth at one index probe).
import { createHash, randomBytes } from 'node:crypto'
import type { Db, KeyScope } from '../db/database.ts'
import { inTransaction } from '../db/transaction.ts'
import { errors } from '../shared/errors.ts'
import type { Tenant } from '../shared/tenant.ts'
import type { ApiKeyCache } from './key-cache.ts'
import type { ApiKey, ApiKeyInput } from './keys.schema.ts'
import * as repo from './spaces.repository.ts'

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex')
}

/** What `keys list` shows of a key: enough to recognise it, never enough to use it. */
function keyPrefix(key: string): string {
  return key.slice(0, Math.min(8, Math.floor(key.length / 3)))
}

export function generateKey(): string {
  return `crn_${randomBytes(24).toString('base64url')}`
}

export function createSpace(db: Db, name: string) {
  return repo.insertSpace(db, name)
}

export const listSpaces = repo.listSpaces

export async function spaceName(db: Db, groupId: number): Promise<string> {
  return (await repo.findSpace(db, groupId))?.name ?? `space ${groupId}`
}

export const KEY_SCOPES: readonly KeyScope[] = ['read', 'write', 'full']

/**
 * Creates a key for the space, of scope `full` unless told; `key` is generated unless given.
 * With `userId`, the key acts as that user of the space (404 when they are not one).
 */
export async function createApiKey(
  db: Db,
  groupId: number,
  name: string | null,
  {
    scope = 'full',
    key = generateKey(),
    userId = null,
  }: { scope?: KeyScope; key?: string; userId?: number | null } = {},
) {
  if (!(await repo.findSpace(db, groupId))) throw errors.notFound('Space', groupId)
  try {
    const row = await repo.insertApiKey(db, groupId, {
      name,
      keyPrefix: keyPrefix(key),
      keyHash: hashKey(key),
      scope,
      userId,
    })
    return { ...row, key }
  } catch (error) {
    // foreign_key_violation: the user is not a user of this space
    if ((error as { code?: string }).code === '23503')
      throw errors.notFound(`User of space ${groupId}`, userId!)
    throw error
  }
}

export function listApiKeys(db: Db, groupId: number) {
  return repo.listApiKeys(db, groupId)
}

type KeyRow = Awaited<ReturnType<typeof repo.listApiKeys>>[number]

const toApiKey = (row: KeyRow): ApiKey => ({
  id: row.id,
  name: row.name,
  prefix: row.key_prefix,
  scope: row.scope,
  user_id: row.user_id,
  created_at: row.created_at,
  revoked_at: row.revoked_at,
})

/** GET /v1/keys: the tenant's space's keys, oldest first. */
export async function listKeys(db: Db, tenant: Tenant): Promise<ApiKey[]> {
  return (await repo.listApiKeys(db, tenant.groupId)).map(toApiKey)
}

/** POST /v1/keys: a new key of the tenant's space, with the key itself (shown this once). */
export async function createKey(
  db: Db,
  tenant: Tenant,
  input: ApiKeyInput,
): Promise<ApiKey & { key: string }> {
  const row = await createApiKey(db, tenant.groupId, input.name ?? null, {
    scope: input.scope ?? 'full',
    userId: input.user_id ?? null,
  })
  return { ...toApiKey(row), key: row.key }
}

export async function revokeApiKey(db: Db, groupId: number, id: number): Promise<void> {
  if (!(await repo.revokeApiKey(db, groupId, id))) throw errors.notFound('Active API key', id)
}

/** The active key `key` is, if any; through `cache` when the server keeps one (key-cache.ts). */
export function authenticate(db: Db, key: string, cache?: ApiKeyCache | null) {
  const hash = hashKey(key)
  const load = () => repo.findActiveKeyByHash(db, hash)
  return cache ? cache.lookup(hash, load) : load()
}

/** With BOOTSTRAP_API_KEY on an empty database, creates a first space holding that key. */
export async function bootstrap(db: Db, key: string): Promise<{ groupId: number } | null> {
  if ((await repo.countSpaces(db)) > 0) return null
  return inTransaction(db, async (trx) => {
    const space = await repo.insertSpace(trx, 'Default space')
    await repo.insertApiKey(trx, space.id, {
      name: 'bootstrap',
      keyPrefix: keyPrefix(key),
      keyHash: hashKey(key),
      scope: 'full',
    })
    return { groupId: space.id }
  })
}
