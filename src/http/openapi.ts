import swagger from '@fastify/swagger'
import scalar from '@scalar/fastify-api-reference'
import type { FastifyInstance } from 'fastify'

/** OpenAPI generated from the routes' TypeBox schemas, at /openapi.json; a readable page at /docs. */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Carnet',
        version: '0.1.0',
        description:
          'A self-hostable campaign CRM server that speaks the Qomon public API. Every call needs ' +
          '`Authorization: Bearer <API key>`; the key selects the space. Errors are RFC 7807 problem bodies.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
  await app.register(scalar, { routePrefix: '/docs', configuration: { url: '/openapi.json' } })
}
