// Bearer API key → request.tenant, then the key's scope against the route's access. Every route
// under the API scope needs it.
import type { FastifyRequest } from 'fastify'
import type { Db, KeyScope } from '../db/database.ts'
import { errors } from '../shared/errors.ts'
import type { Tenant } from '../shared/tenant.ts'
import type { ApiKeyCache } from '../spaces/key-cache.ts'
import * as spaces from '../spaces/spaces.service.ts'

declare module 'fastify' {
  interface FastifyRequest {
    tenant: Tenant
  }
  interface FastifyContextConfig {
    /**
     * The least scope a key needs for this route: `read` by default for GET, `write` for the
     * other methods; a POST that only reads (search, count, export) says `read`, key management
     * says `full`.
     */
    access?: KeyScope
  }
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null
  return match?.[1]
}

export async function authenticate(
  db: Db,
  request: FastifyRequest,
  keys?: ApiKeyCache | null,
  { history = true }: { history?: boolean } = {},
): Promise<void> {
  const token = bearerToken(request)
  if (!token) throw errors.unauthorized()
  const key = await spaces.authenticate(db, token, keys)
  if (!key) throw errors.unauthorized('Invalid or revoked API key')
  request.tenant = {
    groupId: key.group_id,
    apiKeyId: key.id,
    keyScope: key.scope,
    channel: 'api',
    route: `${request.method} ${openApiPath(request.routeOptions.url)}`,
    ...(history ? {} : { history: false }),
  }
}

const RANK: Record<KeyScope, number> = { read: 0, write: 1, full: 2 }

/** The access a route needs (its config, else by method). */
export function accessOf(method: string, access: KeyScope | undefined): KeyScope {
  return access ?? (method === 'GET' || method === 'HEAD' ? 'read' : 'write')
}

/** 403 when the request's key has less than the route needs. */
export function authorize(request: FastifyRequest): void {
  const needed = accessOf(request.method, request.routeOptions.config.access)
  const scope = request.tenant.keyScope ?? 'full'
  if (RANK[scope] >= RANK[needed]) return
  throw errors.forbidden(
    needed === 'full'
      ? `This API key's scope is "${scope}": managing keys needs a key of scope "full"`
      : `This API key's scope is "${scope}": it cannot write (a key of scope "write" or "full" can)`,
  )
}

/** `/contacts/:id` → `/contacts/{id}`, as the OpenAPI document spells paths. */
const openApiPath = (url: string | undefined) => (url ?? '').replace(/:(\w+)/g, '{$1}')
