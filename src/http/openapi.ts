import swagger from '@fastify/swagger'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import { AppError, errors } from '../shared/errors.ts'
import { documentErrors } from './openapi.docs.ts'

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
    transformObject: (documents) =>
      documentErrors('openapiObject' in documents ? (documents.openapiObject as Record<string, any>) : {}),
  })
  app.get('/openapi.json', { schema: { hide: true }, config: { withoutKey: true } }, async () =>
    app.swagger(),
  )
  registerReference(app)
}

/**
 * The /docs page's settings. Scalar's hosted services ("Ask AI", "Generate MCP", the developer
 * tools' "Share" and "Deploy") mean nothing for a self-hosted server and would send the API's
 * description to a third party: all off. The "Test Request" client stays: it calls this server.
 */
export const REFERENCE = {
  url: '/openapi.json',
  title: 'Carnet API',
  agent: { disabled: true },
  mcp: { disabled: true },
  showDeveloperTools: 'never',
  telemetry: false,
} as const

/**
 * The /docs page (Scalar), loaded on its first request. @scalar/fastify-api-reference is a
 * large bundle: imported at start it held a noticeable share of the server's resident memory
 * for a page most servers never show (BENCHMARKS.md). It runs in a Fastify instance of its own, which /docs hands its
 * requests to.
 */
function registerReference(app: FastifyInstance): void {
  let reference: Promise<FastifyInstance> | undefined
  const load = async () => {
    const { default: scalar } = await import('@scalar/fastify-api-reference')
    const docs = Fastify()
    await docs.register(scalar, { routePrefix: '/docs', configuration: REFERENCE })
    await docs.ready()
    return docs
  }
  const show = async (request: FastifyRequest, reply: FastifyReply) => {
    reference ??= load()
    const response = await (await reference).inject({
      method: request.method as 'GET' | 'HEAD',
      url: request.url,
      headers: request.headers,
    })
    // the page's own errors (an unknown file under /docs) are answered as every error is
    if (response.statusCode === 404) throw errors.routeNotFound(request.method, request.url)
    if (response.statusCode >= 400) {
      throw new AppError('docs_error', response.statusCode, 'The documentation page could not answer this')
    }
    const { connection: _, 'transfer-encoding': __, ...headers } = response.headers
    const body = response.rawPayload
    return reply
      .code(response.statusCode)
      .headers(headers)
      .send(body.length > 0 ? body : undefined)
  }
  app.get('/docs', { schema: { hide: true }, config: { withoutKey: true } }, show)
  app.get('/docs/*', { schema: { hide: true }, config: { withoutKey: true } }, show)
  app.addHook('onClose', async () => {
    if (reference) await (await reference).close()
  })
}
