// Back-pressure for POST /contacts/upsert: a 202 says "accepted", and a client that posts faster
// than the worker applies would grow the queue without bound (and wait ever longer for its
// receipts). Once the oldest job of the space still queued has waited longer than the bound, the
// upsert is refused with 503 and Retry-After, and nothing is queued: the client slows down. 503,
// not 429, because the refusal is about the server's backlog, not the client's quota, and because
// an Idempotency-Key answered with a 5xx is released: the same request may be sent again.

import type { Db } from '../db/database.ts'
import { errors } from '../shared/errors.ts'
import type { Tenant } from '../shared/tenant.ts'
import * as repo from './upsert.repository.ts'

/** How long a space's oldest queued job is remembered before it is read again (ms). */
const FRESH_MS = 250
const MAX_SPACES = 10_000

export class QueueLag {
  /** per space: when its oldest queued job was accepted (ms; null: none), as read at `readAt` */
  private readonly oldest = new Map<number, { readAt: number; oldest: Promise<number | null> }>()
  private readonly db: Db
  private readonly maxLagSeconds: number

  /** `maxLagSeconds`: 0 never refuses. */
  constructor(db: Db, maxLagSeconds: number) {
    this.db = db
    this.maxLagSeconds = maxLagSeconds
  }

  /** Throws the 503 when the space's queue is behind; reads the queue at most every FRESH_MS. */
  async check(tenant: Tenant): Promise<void> {
    if (this.maxLagSeconds <= 0) return
    let known = this.oldest.get(tenant.groupId)
    if (!known || Date.now() - known.readAt > FRESH_MS) {
      // requests arriving together share one read
      const oldest = repo.oldestQueued(this.db, tenant).then((date) => (date ? date.getTime() : null))
      if (this.oldest.size >= MAX_SPACES) this.oldest.clear()
      const entry = { readAt: Date.now(), oldest }
      this.oldest.set(tenant.groupId, entry)
      // a failed read is not remembered (the request that waits for it fails with it)
      oldest.catch(() => {
        if (this.oldest.get(tenant.groupId) === entry) this.oldest.delete(tenant.groupId)
      })
      known = entry
    }
    const oldest = await known.oldest
    if (oldest === null) return
    const lagSeconds = (Date.now() - oldest) / 1000
    if (lagSeconds > this.maxLagSeconds) {
      // by then the jobs past the bound have had as long again to be applied
      const retryAfter = Math.min(60, Math.max(1, Math.ceil(lagSeconds - this.maxLagSeconds)))
      throw errors.upsertQueueBehind(Math.floor(lagSeconds), this.maxLagSeconds, retryAfter)
    }
  }
}
