// Token bucket per API key, as Qomon's edge does it (docs/api.md, Common to every route): burst 100, refill 10/s,
// POST /contacts and PATCH /contacts/{id} cost 5, everything else 1. In memory: one process.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { LRUCache } from 'lru-cache'
import { errors } from '../shared/errors.ts'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Tokens this route costs; 1 when absent. */
    rateCost?: number
    /** A route outside the API (no key needed): charged to the key sent, if valid, else to the address. */
    withoutKey?: boolean
  }
}

interface Bucket {
  tokens: number
  at: number
}

/** Buckets kept at most: ~100 bytes each. */
const MAX_BUCKETS = 100_000
/** The bucket of the keys that find the table full of buckets still refilling. */
const OVERFLOW = 'overflow:'

export class RateLimiter {
  readonly burst: number
  readonly rate: number
  /**
   * Least recently charged first. A bucket left alone for `burst / rate` seconds is full again,
   * so forgetting it changes nothing: only such a bucket is ever evicted. When even the least
   * recently charged one is still refilling, a new key is charged to one shared overflow
   * bucket instead, so a flood of new addresses can neither grow the table nor push out (and
   * so refill) a bucket that is not full.
   */
  readonly #buckets: LRUCache<string, Bucket>
  readonly #refillMs: number
  readonly #now: () => number

  constructor(
    burst: number,
    rate: number,
    now: () => number = () => performance.now(),
    maxBuckets = MAX_BUCKETS,
  ) {
    this.burst = burst
    this.rate = rate
    this.#now = now
    this.#refillMs = (burst / rate) * 1000
    this.#buckets = new LRUCache({ max: maxBuckets })
  }

  /** Buckets held now. */
  get size(): number {
    return this.#buckets.size
  }

  #bucketOf(key: string, now: number): [string, Bucket] {
    const bucket = this.#buckets.get(key)
    if (bucket) return [key, bucket]
    if (this.#buckets.size >= this.#buckets.max) {
      const oldest = this.#buckets.rvalues().next().value as Bucket | undefined
      if (oldest && now - oldest.at < this.#refillMs) {
        return [OVERFLOW, this.#buckets.get(OVERFLOW) ?? { tokens: this.burst, at: now }]
      }
    }
    return [key, { tokens: this.burst, at: now }]
  }

  /** Takes `cost` tokens if there are enough; returns what is left or the wait in seconds. */
  take(key: string, cost: number): { ok: true; remaining: number } | { ok: false; retryAfter: number } {
    const now = this.#now()
    const [held, bucket] = this.#bucketOf(key, now)
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.rate)
    bucket.at = now
    this.#buckets.set(held, bucket)
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost
      return { ok: true, remaining: Math.floor(bucket.tokens) }
    }
    return { ok: false, retryAfter: Math.max(1, Math.ceil((cost - bucket.tokens) / this.rate)) }
  }

  get limitHeader(): string {
    return `burst:${this.burst};rate:${this.rate.toFixed(1)}`
  }

  /** onRequest hook body: run after authentication. */
  check(request: FastifyRequest, reply: FastifyReply): void {
    const { apiKeyId, userId } = request.tenant
    const bucket = apiKeyId === 0 && userId !== undefined ? `user:${userId}` : String(apiKeyId)
    this.charge(reply, bucket, request.routeOptions.config.rateCost ?? 1)
  }

  /**
   * A request no key answers for (401, or an unknown route without a valid key) is charged to
   * its address: every answer carries the headers (docs/api.md), and guessing keys is slowed.
   */
  chargeAddress(request: FastifyRequest, reply: FastifyReply): void {
    this.charge(reply, `address:${request.ip}`, 1)
  }

  /** Takes `cost` from `bucket` and sets the x-ratelimit-* headers; 429 when it is dry. */
  charge(reply: FastifyReply, bucket: string, cost: number): void {
    const result = this.take(bucket, cost)
    reply.headers(this.#headers(result, cost))
    if (!result.ok) throw errors.rateLimited(result.retryAfter)
  }

  /**
   * For an answer given before there is a request to hang a 429 on (a request Node's HTTP
   * parser refused): takes 1 token from the address's bucket and gives the headers.
   */
  chargeSocket(address: string | undefined): Record<string, string> {
    return this.#headers(this.take(`address:${address ?? ''}`, 1), 1)
  }

  #headers(result: ReturnType<RateLimiter['take']>, cost: number): Record<string, string> {
    return {
      'x-ratelimit-limit': this.limitHeader,
      'x-ratelimit-cost': String(cost),
      'x-ratelimit-remaining': result.ok ? String(result.remaining) : '0',
    }
  }
}
