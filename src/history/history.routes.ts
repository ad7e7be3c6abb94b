import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { success } from '../http/envelope.ts'
import { HistoryParamsSchema, HistoryQuerySchema, HistoryResponseSchema } from './history.schema.ts'
import * as history from './history.service.ts'

export const historyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/contacts/:id/history',
    {
      schema: {
        tags: ['contacts'],
        summary: "A contact's changes, newest first (our addition): who, when, each field before and after",
        params: HistoryParamsSchema,
        querystring: HistoryQuerySchema,
        response: { 200: HistoryResponseSchema },
      },
    },
    async (req) => success({ history: await history.list(app.db, req.tenant, req.params.id, req.query) }),
  )
}
