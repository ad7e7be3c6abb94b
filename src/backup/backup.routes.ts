// GET /v1/backup (our addition): a space's archive with its own key, while the server runs.
// GET /v1/backup/all: the whole database's, only with the BACKUP_TOKEN of the configuration.
// Both stream the archive `carnet backup` writes, from one consistent snapshot.
import { createHash, timingSafeEqual } from 'node:crypto'
import { PassThrough } from 'node:stream'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { bearerToken } from '../http/auth.ts'
import { errors } from '../shared/errors.ts'
import { writeBackup } from './backup.service.ts'

const description =
  'A gzip file of NDJSON lines (format in docs/operations.md), restored by `carnet restore <file>`. ' +
  'On the embedded database, other requests wait while the backup is read.'

function stream(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, space: number | null) {
  const out = new PassThrough()
  // a failure cuts the download short: the file then ends without its last line, which
  // `carnet restore` reports as incomplete
  writeBackup(app.db, out, space).catch((error: Error) =>
    request.log.error(`backup failed: ${error.message}`),
  )
  const day = new Date().toISOString().slice(0, 10)
  const name = space === null ? `carnet-${day}.ndjson.gz` : `carnet-space-${space}-${day}.ndjson.gz`
  return reply
    .type('application/gzip')
    .header('content-disposition', `attachment; filename="${name}"`)
    .header('cache-control', 'no-store')
    .send(out)
}

/** Needs an API key (registered with the API's routes): the key's own space. */
export async function spaceBackupRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/v1/backup',
    {
      config: { rateCost: 20 },
      schema: {
        tags: ['backup'],
        summary: "Download a backup of the key's space (our addition)",
        description,
      },
    },
    (request, reply) => stream(app, request, reply, request.tenant.groupId),
  )
}

const digest = (text: string) => createHash('sha256').update(text).digest()

/** Outside the API's key check: its own token. Registered only when BACKUP_TOKEN is set. */
export async function databaseBackupRoutes(app: FastifyInstance, token: string): Promise<void> {
  app.get(
    '/v1/backup/all',
    {
      schema: {
        tags: ['backup'],
        summary: 'Download a backup of the whole database, with the BACKUP_TOKEN (our addition)',
        description,
      },
    },
    (request, reply) => {
      const given = bearerToken(request)
      if (!given || !timingSafeEqual(digest(given), digest(token)))
        throw errors.unauthorized('Missing or invalid token: send "Authorization: Bearer <BACKUP_TOKEN>"')
      return stream(app, request, reply, null)
    },
  )
}
