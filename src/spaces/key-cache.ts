// The API keys this process has checked, kept in memory so a request does not spend a round trip
// on its key (docs/architecture.md, API keys remembered while the server listens).
//
// A revoked key must stop working at once, and keys are revoked by other processes (the CLI,
// psql). So the cache only answers while it listens on `carnet_api_key`, which triggers notify at
// the commit of any change to api_key (migration 0011), and to the memberships and roles that
// bind a key tied to a user (migration 0029); a notification empties it.
// While the LISTEN is down (connection lost, reconnecting), every request reads the database.
// A lookup that started before a notification is not kept: it may have read the key before the
// revocation committed. Entries also expire after a minute, in case a notification is ever lost.
import { LRUCache } from 'lru-cache'
import type { KeyScope, RoleType } from '../db/database.ts'
import type { Subscribe, Subscription } from '../db/notify.ts'

export const KEY_CHANNEL = 'carnet_api_key'

/** What a request needs of its key: the space, the key's id, its scope, and its user's rights. */
export interface CheckedKey {
  id: number
  group_id: number
  scope: KeyScope
  /** the user the key acts as, with that user's role and contacts (null: a key without user) */
  user_id: number | null
  role: RoleType | null
  contact_scope: unknown
}

export interface KeyCacheOptions {
  max?: number
  ttlMs?: number
  /** first wait before listening again after the LISTEN was lost; doubles up to 30 s */
  retryMs?: number
  onError?: (error: Error) => void
}

export class ApiKeyCache {
  readonly #subscribe: Subscribe
  readonly #options: Required<Omit<KeyCacheOptions, 'onError'>> & Pick<KeyCacheOptions, 'onError'>
  readonly #keys: LRUCache<string, CheckedKey>
  #subscription: Subscription | null = null
  /** bumped by every notification and every loss of the LISTEN */
  #generation = 0
  #retry: NodeJS.Timeout | null = null
  #retryMs: number
  #stopped = false

  constructor(subscribe: Subscribe, options: KeyCacheOptions = {}) {
    this.#subscribe = subscribe
    this.#options = { max: 10_000, ttlMs: 60_000, retryMs: 1_000, ...options }
    this.#retryMs = this.#options.retryMs
    this.#keys = new LRUCache({ max: this.#options.max, ttl: this.#options.ttlMs })
  }

  /** Starts listening; a failure is reported and retried, the cache staying off until then. */
  async start(): Promise<void> {
    try {
      const subscription = await this.#subscribe(KEY_CHANNEL, {
        notified: () => this.#forget(),
        lost: (error) => {
          this.#subscription = null
          this.#forget()
          if (error) this.#options.onError?.(error)
          this.#scheduleRetry()
        },
      })
      if (this.#stopped) return void (await subscription.close())
      this.#forget() // changes made while nobody listened were not heard
      this.#subscription = subscription
      this.#retryMs = this.#options.retryMs
    } catch (error) {
      this.#options.onError?.(error as Error)
      this.#scheduleRetry()
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true
    if (this.#retry) clearTimeout(this.#retry)
    const subscription = this.#subscription
    this.#subscription = null
    this.#forget()
    await subscription?.close()
  }

  /** Whether the cache answers: it is listening for changes. */
  get listening(): boolean {
    return this.#subscription !== null
  }

  get size(): number {
    return this.#keys.size
  }

  /** The key with this hash, from memory while listening, else from `load`. */
  async lookup(hash: string, load: () => Promise<CheckedKey | undefined>): Promise<CheckedKey | undefined> {
    if (this.#subscription) {
      const known = this.#keys.get(hash)
      if (known) return known
    }
    const generation = this.#generation
    const key = await load()
    if (key && this.#subscription && generation === this.#generation) this.#keys.set(hash, key)
    return key
  }

  /**
   * Forgets every key now: this process revoked one, and its next request must not wait for the
   * notification to arrive.
   */
  forgetAll(): void {
    this.#forget()
  }

  #forget(): void {
    this.#generation++
    this.#keys.clear()
  }

  #scheduleRetry(): void {
    if (this.#stopped || this.#retry) return
    this.#retry = setTimeout(() => {
      this.#retry = null
      void this.start()
    }, this.#retryMs)
    this.#retry.unref()
    this.#retryMs = Math.min(this.#retryMs * 2, 30_000)
  }
}
