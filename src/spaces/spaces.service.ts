// Spaces (tenants) and their API keys. A key is shown once, when created; only its SHA-256 is
// stored (keys are 192 random bits, so a fast hash is enough and keeps auth at one index probe).
import { createHash, randomBytes } from 'node:crypto'
import type { Db } from '../db/database.ts'
import { inTransaction } from '../db/transaction.ts'
import { errors } from '../shared/errors.ts'
import type { ApiKeyCache } from './key-cache.ts'
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

/** Creates a key for the space; `key` is given for bootstrap, generated otherwise. */
export async function createApiKey(db: Db, groupId: number, name: string | null, key = generateKey()) {
  if (!(await repo.findSpace(db, groupId))) throw errors.notFound('Space', groupId)
  const row = await repo.insertApiKey(db, groupId, name, keyPrefix(key), hashKey(key))
  return { ...row, key }
}

export function listApiKeys(db: Db, groupId: number) {
  return repo.listApiKeys(db, groupId)
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
    await repo.insertApiKey(trx, space.id, 'bootstrap', keyPrefix(key), hashKey(key))
    return { groupId: space.id }
  })
}
