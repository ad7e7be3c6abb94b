// Bearer API key, or the console's session cookie → request.tenant; then the key's scope against
// the route's access. Every API route needs one.
import type { FastifyRequest } from 'fastify'
import * as sessions from '../auth/sessions.service.ts'
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
     * other methods; a POST that only reads (search, count, export) says `read`. Routes that
     * manage keys, users or roles need `full` whatever they say (http/access.ts).
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
  const cookie = token ? undefined : request.cookies[sessions.COOKIE]
  if (cookie) {
    const session = await sessions.authenticate(db, cookie)
    if (!session) throw errors.unauthorized('Session expired or revoked: log in again (POST /v1/auth/login)')
    request.tenant = {
      groupId: session.groupId,
      apiKeyId: 0,
      userId: session.userId,
      role: session.role,
      ...(session.scope !== undefined ? { scope: session.scope } : {}),
      channel: 'console',
      route: routeOf(request),
      ...(history ? {} : { history: false }),
    }
    return
  }
  if (!token) throw errors.unauthorized()
  const key = await spaces.authenticate(db, token, keys)
  if (!key) throw errors.unauthorized('Invalid or revoked API key')
  request.tenant = {
    groupId: key.group_id,
    apiKeyId: key.id,
    keyScope: key.scope,
    // a key tied to a user acts as that user: the user's role and contacts bind it too
    ...(key.user_id !== null
      ? {
          userId: key.user_id,
          role: key.role!,
          ...(key.contact_scope !== null ? { scope: key.contact_scope } : {}),
        }
      : {}),
    channel: 'api',
    route: routeOf(request),
    ...(history ? {} : { history: false }),
  }
}

const RANK: Record<KeyScope, number> = { read: 0, write: 1, full: 2 }

/** The access a route needs: `full` for administration, else its config, else by method. */
export function accessOf(method: string, access: KeyScope | undefined, administration: boolean): KeyScope {
  if (administration) return 'full'
  return access ?? (method === 'GET' || method === 'HEAD' ? 'read' : 'write')
}

/**
 * 403 when the request's key has less than the route needs. `administration`: the route manages
 * keys, users or roles (its permission in http/access.ts says so).
 */
export function authorize(request: FastifyRequest, administration: boolean): void {
  const needed = accessOf(request.method, request.routeOptions.config.access, administration)
  const scope = request.tenant.keyScope ?? 'full'
  if (RANK[scope] >= RANK[needed]) return
  throw errors.forbidden(
    needed === 'full'
      ? `This API key's scope is "${scope}": managing keys, users and roles needs a key of scope "full"`
      : `This API key's scope is "${scope}": it cannot write (a key of scope "write" or "full" can)`,
  )
}

/** `PATCH /contacts/{id}`: the route, as the OpenAPI document spells paths. */
const routeOf = (request: FastifyRequest) =>
  `${request.method} ${(request.routeOptions.url ?? '').replace(/:(\w+)/g, '{$1}')}`
