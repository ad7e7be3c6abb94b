// An empty body is no body, whatever its Content-Type: real clients send
// `Content-Type: application/json` on every request, a bodiless DELETE included, and Qomon
// accepts it. Fastify would answer 400 "Body cannot be empty" (JSON) or 415 (another type).
import type { FastifyInstance } from 'fastify'

export function acceptEmptyBodies(app: FastifyInstance): void {
  // a declared empty body: parsed as no body at all, whatever type it claims
  app.addHook('onRequest', async (request) => {
    const { headers } = request
    if (headers['content-length'] === '0' && headers['transfer-encoding'] === undefined) {
      delete headers['content-type']
    }
  })
  // a chunked body that turns out empty: the JSON parser sees '' and gives no body
  const parseJson = app.getDefaultJsonParser('error', 'error')
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') return done(null, undefined)
    return parseJson(request, body as string, done)
  })
}
