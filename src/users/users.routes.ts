import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { IdParamsSchema, success } from '../http/envelope.ts'
import {
  OkResponseSchema,
  UserDeletedResponseSchema,
  UserPatchBodySchema,
  UserResponseSchema,
  UserRoleBodySchema,
  UsersQuerySchema,
  UsersResponseSchema,
} from './users.schema.ts'
import * as users from './users.service.ts'

const tags = ['users']

export const usersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/users',
    {
      schema: {
        tags,
        summary: 'The users of the space (limit, offset; sort=true: by surname, firstname, mail)',
        querystring: UsersQuerySchema,
        response: { 200: UsersResponseSchema },
      },
    },
    async (req) => success(await users.list(app.db, req.tenant, req.query)),
  )

  app.patch(
    '/users/role',
    {
      schema: {
        tags,
        summary: "Set a user's role, and the contacts they may see (advanced_search)",
        body: UserRoleBodySchema,
        response: { 200: OkResponseSchema },
      },
    },
    async (req) => {
      await users.setRole(app.db, req.tenant, req.body.data)
      return success('OK' as const)
    },
  )

  app.get(
    '/users/:id',
    {
      schema: { tags, summary: 'One user', params: IdParamsSchema, response: { 200: UserResponseSchema } },
    },
    async (req) => success({ user: await users.get(app.db, req.tenant, req.params.id) }),
  )

  app.patch(
    '/users/:id',
    {
      schema: {
        tags,
        summary: "Edit a user's profile (fields sent are written, others left)",
        params: IdParamsSchema,
        body: UserPatchBodySchema,
        response: { 200: OkResponseSchema },
      },
    },
    async (req) => {
      await users.update(app.db, req.tenant, req.params.id, req.body.data)
      return success('OK' as const)
    },
  )

  app.delete(
    '/users/:id',
    {
      schema: {
        tags,
        summary: 'Remove a user from the space (our addition); their sessions here end',
        params: IdParamsSchema,
        response: { 200: UserDeletedResponseSchema },
      },
    },
    async (req) => success(await users.remove(app.db, req.tenant, req.params.id)),
  )
}
