// Idempotency-Key on the writes that opt in (route config `idempotent: true`): the same key with
// the same request within 24 h answers the first answer again and writes nothing; the same key
// with another request → 422; while the first one runs → 409. The key is claimed (a row with no
// answer yet) BEFORE the handler runs, on the table's primary key, so concurrent duplicates
// cannot both write.
import { createHash } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Db } from '../db/database.ts'
import { success } from '../http/envelope.ts'
import { errors } from '../shared/errors.ts'
import * as repo from './idempotency.repository.ts'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route honours the Idempotency-Key header. */
    idempotent?: boolean
  }
  interface FastifyRequest {
    idempotencyKey?: string
    /** The answer was stored by the write's own transaction, which committed. */
    idempotencyAnswered?: boolean
  }
}

const HEADER = 'idempotency-key'
/** A first request pending longer than this is taken to have died with its process. */
const STALE_SECONDS = 300

function requestHash(request: FastifyRequest): string {
  const path = request.url.split('?')[0]
  return createHash('sha256')
    .update(`${request.method} ${path}\n${JSON.stringify(request.body ?? null)}`)
    .digest('hex')
}

async function before(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
  if (!request.routeOptions.config.idempotent) return
  const key = request.headers[HEADER]
  if (key === undefined) return
  if (typeof key !== 'string' || key.length === 0 || key.length > 255) {
    throw errors.invalidField('headers.idempotency-key', 'Idempotency-Key must be 1 to 255 characters', key)
  }
  const { db } = app
  const hash = requestHash(request)
  if (
    (await repo.claim(db, request.tenant, key, hash)) ||
    (await repo.takeOver(db, request.tenant, key, hash, STALE_SECONDS))
  ) {
    request.idempotencyKey = key
    if (Math.random() < 0.01) await repo.deleteExpired(db, request.tenant)
    return
  }
  const first = await repo.find(db, request.tenant, key)
  if (!first) throw errors.idempotencyInProgress(key)
  if (first.request_hash !== hash) throw errors.idempotencyMismatch(key)
  if (first.status_code === null) throw errors.idempotencyInProgress(key)
  reply.header('idempotent-replayed', 'true')
  if (first.content_type) reply.type(first.content_type)
  return reply
    .code(first.status_code)
    .serializer((payload: unknown) => String(payload))
    .send(first.response_body)
}

/** The contact a saved answer carries (`data.contact.id`), so that deleting it erases the answer. */
function contactIdOf(body: string): number | null {
  try {
    const id = (JSON.parse(body) as { data?: { contact?: { id?: unknown } } }).data?.contact?.id
    return Number.isSafeInteger(id) ? (id as number) : null
  } catch {
    return null
  }
}

/**
 * For a route whose write is one transaction: `store` saves the answer the route is about to
 * send (`{status:"success", data}`, serialised as the route serialises it) in that transaction,
 * so the write and its answer commit together and a retry after a crash at any point replays
 * instead of writing twice; `committed` is called once the transaction has committed. Undefined
 * when the request carries no claimed Idempotency-Key.
 */
export function answerWithWrite<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  status = 200,
): { store: (trx: Db, data: T) => Promise<void>; committed: () => void } | undefined {
  const key = request.idempotencyKey
  if (!key) return undefined
  return {
    async store(trx, data) {
      const serialized: unknown = reply.code(status).serialize(success(data))
      const body = typeof serialized === 'string' ? serialized : Buffer.from(serialized as Buffer).toString()
      await repo.store(trx, request.tenant, key, {
        status_code: status,
        content_type: 'application/json; charset=utf-8',
        response_body: body,
        contact_id: contactIdOf(body),
      })
    },
    committed() {
      request.idempotencyAnswered = true
    },
  }
}

async function after(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, payload: unknown) {
  const key = request.idempotencyKey
  if (!key) return payload
  request.idempotencyKey = undefined
  // stored and committed with the write: kept whatever happens to this answer on its way out
  if (request.idempotencyAnswered) return payload
  // list envelopes are serialised to a Buffer (http/serialize.ts)
  const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString() : null
  if (reply.statusCode >= 500 || body === null) {
    // a failure of ours: let the client retry with the same key
    await repo.release(app.db, request.tenant, key)
  } else {
    const type = reply.getHeader('content-type')
    await repo.store(app.db, request.tenant, key, {
      status_code: reply.statusCode,
      content_type: typeof type === 'string' ? type : null,
      response_body: body,
      contact_id: reply.statusCode < 300 ? contactIdOf(body) : null,
    })
  }
  return payload
}

/** Adds the hooks to `app` itself (not an encapsulated child), so every route of it is covered. */
export function registerIdempotency(app: FastifyInstance): void {
  app.addHook('preHandler', (request, reply) => before(app, request, reply))
  app.addHook('onSend', (request, reply, payload) => after(app, request, reply, payload))
}
