import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { success } from '../http/envelope.ts'
import { KpiBodySchema, KpiResponseSchema, SearchBodySchema, SearchResponseSchema } from './search.schema.ts'
import * as searches from './search.service.ts'

const tags = ['search']

export const searchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/search',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Search contacts (the $all / $at_least_one language; see docs/search.md)',
        body: SearchBodySchema,
        response: { 200: SearchResponseSchema },
      },
    },
    async (req) =>
      success({
        contacts: await app.searchSlots(() =>
          searches.search(app.db, req.tenant, req.body.data.advanced_search),
        ),
      }),
  )

  app.post(
    '/kpi',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Count the contacts a search matches',
        body: KpiBodySchema,
        response: { 200: KpiResponseSchema },
      },
    },
    async (req) =>
      success({
        total: await searches.kpi(
          app.db,
          req.tenant,
          req.body.data.advanced_search.query,
          app.counts ?? undefined,
        ),
      }),
  )
}
