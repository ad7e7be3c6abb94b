import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { success } from '../http/envelope.ts'
import { TagsResponseSchema } from './tags.schema.ts'
import * as tags from './tags.service.ts'

export const tagsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/tags',
    {
      schema: {
        tags: ['tags'],
        summary: "List the space's tags with appearance_count (our addition)",
        response: { 200: TagsResponseSchema },
      },
    },
    async (req) => success({ tags: await tags.list(app.db, req.tenant) }),
  )
}
