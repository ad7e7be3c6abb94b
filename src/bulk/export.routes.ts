// POST /contacts/export (our addition to the Qomon API): the contacts a search matches, streamed
// as NDJSON (default) or CSV. Same body as /kpi; paging keys are ignored (everything is sent).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { CONTENT_TYPES, exportStream } from './export.ts'

const FormatSchema = Type.Optional(Type.Union([Type.Literal('ndjson'), Type.Literal('csv')]))

const ExportBodySchema = Type.Object({
  data: Type.Optional(
    Type.Object({
      advanced_search: Type.Optional(
        Type.Object({ query: Type.Optional(Type.Unknown()) }, { additionalProperties: true }),
      ),
    }),
  ),
  format: FormatSchema,
})

export const exportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/contacts/export',
    {
      config: { rateCost: 20, access: 'read' },
      schema: {
        tags: ['contacts'],
        summary: 'Export the contacts a search matches (NDJSON or CSV, streamed; our addition)',
        body: ExportBodySchema,
        querystring: Type.Object({ format: FormatSchema }),
        description: 'One contact per line (write shape of GET /contacts/{id}), or CSV with a header row',
      },
    },
    async (req, reply) => {
      const format = req.query.format ?? req.body.format ?? 'ndjson'
      const stream = await exportStream(app.db, req.tenant, req.body.data?.advanced_search?.query, format)
      return reply
        .type(CONTENT_TYPES[format])
        .header('content-disposition', `attachment; filename="contacts.${format}"`)
        .send(stream)
    },
  )
}
