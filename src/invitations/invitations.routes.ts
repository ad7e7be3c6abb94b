import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { IdParamsSchema, success } from '../http/envelope.ts'
import * as spaces from '../spaces/spaces.service.ts'
import {
  AcceptBodySchema,
  AcceptResponseSchema,
  InvitationDeletedResponseSchema,
  InvitationPreviewResponseSchema,
  InvitationsBodySchema,
  InvitationsCreatedResponseSchema,
  InvitationsResponseSchema,
  TokenParamsSchema,
} from './invitations.schema.ts'
import * as invitations from './invitations.service.ts'

const tags = ['users']

/** Where an invitation is accepted: PUBLIC_URL when set, else the address this request came to. */
export function acceptUrl(request: FastifyRequest, publicUrl: string | undefined, token: string): string {
  const base = publicUrl ?? `${request.protocol}://${request.host}`
  return `${base.replace(/\/+$/, '')}/v1/invitations/${token}/accept`
}

/** POST, GET /users/invitation and DELETE /users/invitation/{id}: need a key or a session. */
export const invitationsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/users/invitation',
    {
      schema: {
        tags,
        summary: 'Invite people by e-mail (mailed when SMTP_URL is set, else accept_url is in the answer)',
        body: InvitationsBodySchema,
        response: { 201: InvitationsCreatedResponseSchema },
      },
    },
    async (req, reply) => {
      const made = await invitations.invite(app.db, req.tenant, req.body.data.invitations)
      const space = await spaces.spaceName(app.db, req.tenant.groupId)
      const list = made.map(({ invitation, token }) => {
        const url = acceptUrl(req, app.people.publicUrl, token)
        if (!app.mailer) return { ...invitation, accept_url: url }
        const sent = () => invitations.markSent(app.db, invitation.group_id, invitation.id)
        const failed = (error: Error) =>
          req.log.warn(`invitation ${invitation.id} not mailed: ${error.message}`)
        app.mailer.send({ to: invitation.email, space, url, expiresAt: invitation.expires_at }, sent, failed)
        return invitation
      })
      return reply.code(201).send({
        status: 'success' as const,
        data: { msg: 'invitations created successfully', invitations: list },
      })
    },
  )

  app.get(
    '/users/invitation',
    { schema: { tags, summary: "The space's invitations", response: { 200: InvitationsResponseSchema } } },
    async (req) => success({ invitations: await invitations.list(app.db, req.tenant) }),
  )

  app.delete(
    '/users/invitation/:id',
    {
      schema: {
        tags,
        summary: 'Delete an invitation (it can no longer be accepted; an accepted one stays accepted)',
        params: IdParamsSchema,
        response: { 200: InvitationDeletedResponseSchema },
      },
    },
    async (req) => success(await invitations.remove(app.db, req.tenant, req.params.id)),
  )
}

/** Reading and accepting an invitation: the token is the credential, no key or session. */
export const invitationTokenRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/invitations/:token',
    {
      schema: {
        tags,
        summary: 'What an invitation is for (our addition; no key needed)',
        security: [],
        params: TokenParamsSchema,
        response: { 200: InvitationPreviewResponseSchema },
      },
    },
    async (req) => success({ invitation: await invitations.preview(app.db, req.params.token) }),
  )

  app.post(
    '/v1/invitations/:token/accept',
    {
      schema: {
        tags,
        summary: 'Accept an invitation with a password and names (our addition; no key needed)',
        security: [],
        params: TokenParamsSchema,
        body: AcceptBodySchema,
        response: { 200: AcceptResponseSchema },
      },
    },
    async (req) => success({ user: await invitations.accept(app.db, req.params.token, req.body.data) }),
  )
}
