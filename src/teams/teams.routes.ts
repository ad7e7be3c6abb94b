import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { IdParamsSchema, success } from '../http/envelope.ts'
import {
  PublicTeamsResponseSchema,
  TeamBodySchema,
  TeamDeletedResponseSchema,
  TeamResponseSchema,
  TeamsResponseSchema,
} from './teams.schema.ts'
import * as teams from './teams.service.ts'

const tags = ['teams']

export const teamsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/teams',
    {
      schema: { tags, summary: 'The teams the caller may see', response: { 200: TeamsResponseSchema } },
    },
    async (req) => success({ teams: await teams.list(app.db, req.tenant) }),
  )

  app.get(
    '/teams/public',
    {
      schema: {
        tags,
        summary: 'The public teams, as a bare array (as Qomon documents it)',
        response: { 200: PublicTeamsResponseSchema },
      },
    },
    async (req) => teams.list(app.db, req.tenant, true),
  )

  app.get(
    '/teams/:id',
    {
      schema: { tags, summary: 'One team', params: IdParamsSchema, response: { 200: TeamResponseSchema } },
    },
    async (req) => success({ team: await teams.get(app.db, req.tenant, req.params.id) }),
  )

  app.post(
    '/teams',
    {
      schema: { tags, summary: 'Create a team', body: TeamBodySchema, response: { 200: TeamResponseSchema } },
    },
    async (req) => success({ team: await teams.create(app.db, req.tenant, req.body.data.team) }),
  )

  app.patch(
    '/teams',
    {
      schema: {
        tags,
        summary: 'Replace a team (its id in the body; fields absent are cleared, members become those sent)',
        body: TeamBodySchema,
        response: { 200: TeamResponseSchema },
      },
    },
    async (req) => success({ team: await teams.replace(app.db, req.tenant, req.body.data.team) }),
  )

  app.delete(
    '/teams/:id',
    {
      schema: {
        tags,
        summary: 'Delete a team (our addition)',
        params: IdParamsSchema,
        response: { 200: TeamDeletedResponseSchema },
      },
    },
    async (req) => success(await teams.remove(app.db, req.tenant, req.params.id)),
  )
}
