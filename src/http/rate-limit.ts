// Token bucket per API key, as Qomon's edge does it (docs/api.md, Common to every route): burst 100, refill 10/s,
// POST /contacts and PATCH /contacts/{id} cost 5, everything else 1. In memory: one process.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { errors } from '../shared/errors.ts'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Tokens this route costs; 1 when absent. */
    rateCost?: number
  }
}

interface Bucket {
  tokens: number
  at: number
}

export class RateLimiter {
  readonly burst: number
  readonly rate: number
  readonly #buckets = new Map<string, Bucket>()
  readonly #now: () => number

  constructor(burst: number, rate: number, now: () => number = () => performance.now()) {
    this.burst = burst
    this.rate = rate
    this.#now = now
  }

  /** Takes `cost` tokens if there are enough; returns what is left or the wait in seconds. */
  take(key: string, cost: number): { ok: true; remaining: number } | { ok: false; retryAfter: number } {
    const now = this.#now()
    const bucket = this.#buckets.get(key) ?? { tokens: this.burst, at: now }
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.rate)
    bucket.at = now
    this.#buckets.set(key, bucket)
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
    reply.header('x-ratelimit-limit', this.limitHeader)
    reply.header('x-ratelimit-cost', String(cost))
    if (!result.ok) {
      reply.header('x-ratelimit-remaining', '0')
      throw errors.rateLimited(result.retryAfter)
    }
    reply.header('x-ratelimit-remaining', String(result.remaining))
  }
}
