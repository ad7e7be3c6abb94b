import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Db } from '../db/database.ts'
import { IdParamsSchema, success } from '../http/envelope.ts'
import { answerWithWrite } from '../idempotency/idempotency.hooks.ts'
import type { Contact } from './contacts.schema.ts'
import { ContactBodySchema, ContactResponseSchema, DeletedResponseSchema } from './contacts.schema.ts'
import * as contacts from './contacts.service.ts'
import * as erasure from './erasure.service.ts'

const tags = ['contacts']

/** The Idempotency-Key answer, stored in the write's own transaction. */
const saver = (answer: ReturnType<typeof answerWithWrite<{ contact: Contact }>>) =>
  answer && ((trx: Db, contact: Contact) => answer.store(trx, { contact }))

export const contactsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/contacts',
    {
      config: { rateCost: 5, idempotent: true },
      schema: {
        tags,
        summary: 'Create a contact',
        body: ContactBodySchema,
        response: { 200: ContactResponseSchema },
      },
    },
    async (req, reply) => {
      const answer = answerWithWrite<{ contact: Contact }>(req, reply)
      const contact = await contacts.create(app.db, req.tenant, req.body.data.contact, saver(answer))
      answer?.committed()
      return success({ contact })
    },
  )

  app.get(
    '/contacts/:id',
    {
      schema: {
        tags,
        summary: 'Read a contact',
        params: IdParamsSchema,
        response: { 200: ContactResponseSchema },
      },
    },
    async (req) => success({ contact: await contacts.get(app.db, req.tenant, req.params.id) }),
  )

  app.patch(
    '/contacts/:id',
    {
      config: { rateCost: 5, idempotent: true },
      schema: {
        tags,
        summary: 'Replace a contact (a field absent from the body is cleared)',
        params: IdParamsSchema,
        body: ContactBodySchema,
        response: { 200: ContactResponseSchema },
      },
    },
    async (req, reply) => {
      const answer = answerWithWrite<{ contact: Contact }>(req, reply)
      const contact = await contacts.replace(
        app.db,
        req.tenant,
        req.params.id,
        req.body.data.contact,
        saver(answer),
      )
      answer?.committed()
      return success({ contact })
    },
  )

  app.delete(
    '/contacts/:id',
    {
      schema: {
        tags,
        summary: 'Delete a contact and everything attached to it',
        params: IdParamsSchema,
        response: { 200: DeletedResponseSchema },
      },
    },
    async (req) => success(await erasure.eraseContact(app.db, req.tenant, req.params.id)),
  )
}
