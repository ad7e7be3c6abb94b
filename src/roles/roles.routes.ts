import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { success } from '../http/envelope.ts'
import { RolesResponseSchema } from './roles.schema.ts'
import * as roles from './roles.service.ts'

export const rolesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/roles',
    {
      schema: { tags: ['users'], summary: "The space's roles", response: { 200: RolesResponseSchema } },
    },
    async (req) => {
      const list = await roles.list(app.db, req.tenant)
      return success({ count: list.length, roles: list })
    },
  )
}
