import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { success } from '../http/envelope.ts'
import { ActionBodySchema, ActionResponseSchema, ActionsResponseSchema } from './actions.schema.ts'
import * as actions from './actions.service.ts'

const tags = ['actions']

export const actionsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/actions',
    {
      schema: {
        tags,
        summary: "List the space's actions, each with the number of contacts attached",
        response: { 200: ActionsResponseSchema },
      },
    },
    async (req) => success({ actions: await actions.list(app.db, req.tenant) }),
  )

  app.post(
    '/v1/actions',
    {
      schema: {
        tags,
        summary: 'Create an action (our addition); contacts join it through action_ids',
        body: ActionBodySchema,
        response: { 200: ActionResponseSchema },
      },
    },
    async (req) => success({ action: await actions.create(app.db, req.tenant, req.body.data.action) }),
  )
}
