import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { success } from '../http/envelope.ts'
import { permissionsOf } from '../shared/permissions.ts'
import * as users from '../users/users.service.ts'
import {
  LoggedOutResponseSchema,
  LogInBodySchema,
  LogInResponseSchema,
  MeResponseSchema,
} from './auth.schema.ts'
import * as sessions from './sessions.service.ts'

const tags = ['auth']

/**
 * The connection's scheme, or the one a proxy that ends TLS reports. Trusting a client that
 * claims https is harmless here: it only makes its own cookie stricter.
 */
function cameOverHttps(req: FastifyRequest): boolean {
  const forwarded = String(req.headers['x-forwarded-proto'] ?? '')
    .split(',')[0]
    ?.trim()
  return req.protocol === 'https' || forwarded === 'https'
}

/** POST /v1/auth/login: no key needed (the e-mail and password are the credentials). */
export const logInRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/v1/auth/login',
    {
      schema: {
        tags,
        summary: 'Log in (browser console): sets the carnet_session cookie for one space',
        security: [],
        body: LogInBodySchema,
        response: { 200: LogInResponseSchema },
      },
    },
    async (req, reply) => {
      const previous = req.cookies[sessions.COOKIE]
      const { throttle, sessionHours: hours } = app.people
      const made = await sessions.logIn(app.db, req.body, { address: req.ip, throttle, hours })
      // logging in again (to switch spaces) ends the session the browser had
      if (previous) await sessions.logOut(app.db, previous)
      reply.setCookie(sessions.COOKIE, made.token, {
        httpOnly: true,
        sameSite: 'strict',
        path: '/',
        secure: cameOverHttps(req),
        expires: made.expiresAt,
      })
      return success({ user: made.user })
    },
  )
}

/** Log-out and who am I: need a key or a session. */
export const sessionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/v1/auth/logout',
    { schema: { tags, summary: 'End this session', response: { 200: LoggedOutResponseSchema } } },
    async (req, reply) => {
      const token = req.cookies[sessions.COOKIE]
      if (token) await sessions.logOut(app.db, token)
      reply.clearCookie(sessions.COOKIE, { path: '/' })
      return success('OK' as const)
    },
  )

  app.get(
    '/v1/auth/me',
    {
      schema: {
        tags,
        summary: 'The caller: user, space, role, permissions and contact scope',
        response: { 200: MeResponseSchema },
      },
    },
    async (req) => {
      const { tenant } = req
      const user = tenant.userId === undefined ? null : await users.get(app.db, tenant, tenant.userId)
      return success({
        user,
        group_id: tenant.groupId,
        role: tenant.role ?? null,
        permissions: [...permissionsOf(tenant.role ?? null)],
        advanced_search: tenant.scope ?? null,
      })
    },
  )
}
