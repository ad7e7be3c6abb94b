// The web console: the single-page app built in console/dist, served under /app/ by the same
// server. It lives under a prefix of its own so that no API path changes meaning and every
// unknown API route keeps its 404 problem+json; `/` sends a browser there.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'

export const CONSOLE_DIST = fileURLToPath(new URL('../../console/dist/', import.meta.url))

export async function registerConsole(app: FastifyInstance, dist = CONSOLE_DIST): Promise<void> {
  // a server started from a checkout whose console was not built still serves the API
  if (!existsSync(`${dist}index.html`)) return
  await app.register(fastifyStatic, {
    root: dist,
    prefix: '/app/',
    wildcard: false,
    index: false,
    // the file names under assets/ carry a hash of their content: they never change
    setHeaders(res, path) {
      if (path.includes('/assets/')) res.header('cache-control', 'public, max-age=31536000, immutable')
      else res.header('cache-control', 'no-cache')
    },
  })
  // charged to the address's rate-limit bucket, as /docs is
  const page = { schema: { hide: true }, config: { withoutKey: true } }
  // the app's own routes (/app/contacts/12…) are drawn in the browser: they all get index.html
  app.get('/app', page, (_request, reply) => reply.redirect('/app/'))
  app.get('/app/', page, (_request, reply) => reply.sendFile('index.html'))
  app.get('/app/*', page, (_request, reply) => reply.sendFile('index.html'))
  app.get('/', page, (_request, reply) => reply.redirect('/app/'))
}
