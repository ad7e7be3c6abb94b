import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { success } from '../http/envelope.ts'
import {
  ContactParamsSchema,
  InteractionBodySchema,
  InteractionDeletedResponseSchema,
  InteractionParamsSchema,
  InteractionResponseSchema,
  InteractionsResponseSchema,
} from './interactions.schema.ts'
import * as interactions from './interactions.service.ts'

const tags = ['interactions']

/** Our addition: a contact's interactions and their files' metadata. Another space's contact → 404. */
export const interactionsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/contacts/:id/interactions',
    {
      schema: {
        tags,
        summary: "List a contact's interactions, newest first, with their files",
        params: ContactParamsSchema,
        response: { 200: InteractionsResponseSchema },
      },
    },
    async (req) => success({ interactions: await interactions.list(app.db, req.tenant, req.params.id) }),
  )

  app.post(
    '/contacts/:id/interactions',
    {
      schema: {
        tags,
        summary: 'Record an interaction with a contact (files: metadata only)',
        params: ContactParamsSchema,
        body: InteractionBodySchema,
        response: { 200: InteractionResponseSchema },
      },
    },
    async (req) =>
      success({
        interaction: await interactions.create(app.db, req.tenant, req.params.id, req.body.data.interaction),
      }),
  )

  app.patch(
    '/contacts/:id/interactions/:interactionId',
    {
      schema: {
        tags,
        summary: 'Change an interaction: the keys sent change; files, when sent, is the new list',
        params: InteractionParamsSchema,
        body: InteractionBodySchema,
        response: { 200: InteractionResponseSchema },
      },
    },
    async (req) =>
      success({
        interaction: await interactions.update(
          app.db,
          req.tenant,
          req.params.id,
          req.params.interactionId,
          req.body.data.interaction,
        ),
      }),
  )

  app.delete(
    '/contacts/:id/interactions/:interactionId',
    {
      schema: {
        tags,
        summary: 'Delete an interaction and its files metadata',
        params: InteractionParamsSchema,
        response: { 200: InteractionDeletedResponseSchema },
      },
    },
    async (req) =>
      success(await interactions.remove(app.db, req.tenant, req.params.id, req.params.interactionId)),
  )
}
