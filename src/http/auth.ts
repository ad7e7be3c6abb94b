// Bearer API key, or the console's session cookie → request.tenant. Every API route needs one.
import type { FastifyRequest } from 'fastify'
import * as sessions from '../auth/sessions.service.ts'
import type { Db } from '../db/database.ts'
import { errors } from '../shared/errors.ts'
import type { Tenant } from '../shared/tenant.ts'
import type { ApiKeyCache } from '../spaces/key-cache.ts'
import * as spaces from '../spaces/spaces.service.ts'

declare module 'fastify' {
  interface FastifyRequest {
    tenant: Tenant
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
    }
    return
  }
  if (!token) throw errors.unauthorized()
  const key = await spaces.authenticate(db, token, keys)
  if (!key) throw errors.unauthorized('Invalid or revoked API key')
  request.tenant = { groupId: key.group_id, apiKeyId: key.id }
}
