// /health/live: the process answers. /health/ready: it can serve, i.e. the database answers, its
// schema is current, and the upsert worker (when this process runs one) goes round its loop; a 503
// problem+json says which is not. /health stays as before: the process answers.
import type { FastifyInstance } from 'fastify'
import { missingMigrations, ping } from '../db/health.ts'
import { errors } from '../shared/errors.ts'

const TIMEOUT_MS = 5000

function within<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(errors.notReady(`${what} did not answer within ${TIMEOUT_MS / 1000} s`)),
      TIMEOUT_MS,
    )
  })
  return Promise.race([work, late]).finally(() => clearTimeout(timer))
}

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  const hide = { schema: { hide: true }, config: { withoutKey: true } }
  app.get('/health', hide, async () => ({ status: 'ok' }))
  app.get('/health/live', hide, async () => ({ status: 'ok' }))
  app.get('/health/ready', hide, async () => {
    try {
      await within(ping(app.db), 'The database')
    } catch (error) {
      if ((error as { code?: string }).code === 'not_ready') throw error
      throw errors.notReady(`The database does not answer: ${(error as Error).message}`)
    }
    const missing = await within(missingMigrations(app.db), 'The database')
    if (missing.length > 0)
      throw errors.notReady(
        `The database schema is behind: ${missing.length} migrations to apply (npm run db:migrate)`,
      )
    const worker = app.upsertWorker
    if (worker && !worker.alive()) throw errors.notReady('The upsert worker has stopped or is stuck')
    return { status: 'ok', checks: { database: 'ok', schema: 'ok', upsert_worker: worker ? 'ok' : 'off' } }
  })
}
