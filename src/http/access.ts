// Who may call what. Every API route is listed here with the permission it needs (null: any
// caller of the space, e.g. GET /v1/auth/me); a route missing from the table stops the server at
// start-up, so no route goes unguarded. One hook checks the table on every request, with the
// role's permissions from shared/permissions.ts. A key without user has every permission.
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify'
import { errors } from '../shared/errors.ts'
import { type Permission, permissionsOf } from '../shared/permissions.ts'

export const ROUTE_PERMISSIONS: Record<string, Permission | null> = {
  'POST /contacts': 'contacts.write',
  'GET /contacts/:id': 'contacts.read',
  'PATCH /contacts/:id': 'contacts.write',
  'DELETE /contacts/:id': 'contacts.delete',
  'POST /contacts/upsert': 'contacts.write',
  'GET /contacts/upsert/:id': 'contacts.read',
  'POST /search': 'contacts.read',
  'POST /kpi': 'contacts.read',
  'POST /contacts/export': 'contacts.export',
  'GET /contacts/:id/notes': 'contacts.read',
  'POST /contacts/:id/notes': 'contacts.write',
  'PATCH /contacts/:id/notes/:noteId': 'contacts.write',
  'DELETE /contacts/:id/notes/:noteId': 'contacts.write',
  'GET /contacts/:id/interactions': 'contacts.read',
  'POST /contacts/:id/interactions': 'contacts.write',
  'PATCH /contacts/:id/interactions/:interactionId': 'contacts.write',
  'DELETE /contacts/:id/interactions/:interactionId': 'contacts.write',
  'GET /v1/forms/type/:type': 'forms.read',
  'GET /forms/:idOrType': 'forms.read',
  'POST /v1/forms': 'forms.write',
  'PATCH /v1/forms/:id': 'forms.write',
  'DELETE /v1/forms/:id': 'forms.write',
  'GET /v1/tags': 'tags.read',
  'GET /actions': 'actions.read',
  'POST /v1/actions': 'actions.write',
  'GET /users': 'users.read',
  'GET /users/:id': 'users.read',
  'PATCH /users/:id': 'users.manage',
  'PATCH /users/role': 'users.manage',
  'DELETE /users/:id': 'users.manage',
  'GET /roles': 'users.read',
  'POST /users/invitation': 'users.manage',
  'GET /users/invitation': 'users.manage',
  'DELETE /users/invitation/:id': 'users.manage',
  'GET /teams': 'teams.read',
  'GET /teams/public': 'teams.read',
  'GET /teams/:id': 'teams.read',
  'POST /teams': 'teams.write',
  'PATCH /teams': 'teams.write',
  'DELETE /teams/:id': 'teams.write',
  'GET /v1/auth/me': null,
  'POST /v1/auth/logout': null,
  'GET /v1/keys': 'keys',
  'POST /v1/keys': 'keys',
  'DELETE /v1/keys/:id': 'keys',
  'GET /v1/contacts/:id/history': 'contacts.read',
}

/** Permissions of administration: an API key needs the scope `full` for their routes. */
const ADMINISTRATION = new Set<Permission>(['keys', 'users.manage', 'settings'])

/** Routes whose `:id` is a contact: a contact outside the caller's scope is a 404 there. */
const CONTACT_PATH = /^(\/v1)?\/contacts\/:id(\/|$)/
/** An upsert may match any contact of the space: refused to a caller with a scope. */
const REFUSED_TO_SCOPED = new Set(['POST /contacts/upsert'])

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

const routeKey = (method: string, url: string) => `${method === 'HEAD' ? 'GET' : method} ${url}`

/** Registered before the API's routes: a route with no entry in the table is a start-up error. */
export function requirePermissions(app: FastifyInstance): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    for (const method of [route.method].flat()) {
      if (!(routeKey(method, route.url) in ROUTE_PERMISSIONS))
        throw new Error(`${method} ${route.url} has no entry in ROUTE_PERMISSIONS (src/http/access.ts)`)
    }
  })
}

/** Whether this request's route manages keys, users or roles. */
export function administers(request: FastifyRequest): boolean {
  const permission = ROUTE_PERMISSIONS[routeKey(request.method, request.routeOptions.url ?? '')]
  return permission != null && ADMINISTRATION.has(permission)
}

/** onRequest, once the caller is known: the anti-CSRF check for cookies, then the permission. */
export function checkAccess(request: FastifyRequest): void {
  const { tenant } = request
  if (tenant.userId !== undefined && tenant.apiKeyId === 0 && !SAFE_METHODS.has(request.method)) {
    if (request.headers['x-carnet-console'] !== '1')
      throw errors.forbidden(
        'A write authenticated by the session cookie must carry the header X-Carnet-Console: 1',
      )
  }
  const key = routeKey(request.method, request.routeOptions.url ?? '')
  const permission = ROUTE_PERMISSIONS[key]
  if (permission && !permissionsOf(tenant.role ?? null).has(permission))
    throw errors.forbidden(
      `The role ${tenant.role} may not do this: ${key} needs the permission ${permission}`,
    )
  if (tenant.scope !== undefined && REFUSED_TO_SCOPED.has(key))
    throw errors.forbidden(
      'An upsert may match any contact of the space: a user limited to some contacts may not use it',
    )
}

/** Whether this request's `:id` names a contact (the scope hook checks it is one the caller sees). */
export function contactParam(request: FastifyRequest): number | undefined {
  if (request.tenant?.scope === undefined || !CONTACT_PATH.test(request.routeOptions.url ?? ''))
    return undefined
  return (request.params as { id?: number }).id
}
