import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { IdParamsSchema, success } from '../http/envelope.ts'
import { answerWithWrite } from '../idempotency/idempotency.hooks.ts'
import { AcceptedResponseSchema, ReceiptResponseSchema, UpsertBodySchema } from './upsert.schema.ts'
import * as upsert from './upsert.service.ts'

const tags = ['contacts']

export const upsertRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/contacts/upsert',
    {
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Create or update a contact, asynchronously (202 with a receipt id)',
        body: UpsertBodySchema,
        response: { 202: AcceptedResponseSchema },
        description:
          'Answers 503 with Retry-After, queuing nothing, while the oldest queued upsert of the space has waited longer than UPSERT_MAX_LAG seconds.',
      },
    },
    async (req, reply) => {
      await app.upsertLag.check(req.tenant)
      const answer = answerWithWrite<{ upsert_id: number }>(req, reply, 202)
      const id = await upsert.enqueue(
        app.db,
        req.tenant,
        req.body.data,
        answer && ((trx, upsertId) => answer.store(trx, { upsert_id: upsertId })),
      )
      answer?.committed()
      app.upsertWorker?.wake(req.tenant.groupId)
      return reply.code(202).send(success({ upsert_id: id }))
    },
  )

  app.get(
    '/contacts/upsert/:id',
    {
      schema: {
        tags,
        summary: 'The receipt of an upsert: queued, done or rejected (and why)',
        params: IdParamsSchema,
        response: { 200: ReceiptResponseSchema },
      },
    },
    async (req) => success({ upsert: await upsert.receipt(app.db, req.tenant, req.params.id) }),
  )
}
