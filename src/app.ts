// buildApp({ config, db }): the Fastify application, with no I/O of its own at import time.
import type { Writable } from 'node:stream'
import cors from '@fastify/cors'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Ajv } from 'ajv'
import ajvFormats from 'ajv-formats'
import Fastify, { type FastifyInstance, LogController } from 'fastify'
import type pg from 'pg'
import { databaseBackupRoutes } from './backup/backup.routes.ts'
import type { Config } from './config.ts'
import type { Db } from './db/database.ts'
import type { Subscribe } from './db/notify.ts'
import { authenticate, bearerToken } from './http/auth.ts'
import { registerErrorHandling } from './http/errors.ts'
import { healthRoutes } from './http/health.ts'
import { loggerOptions, logRequests } from './http/logging.ts'
import { createMetrics, registerMetrics } from './http/metrics.ts'
import { rejectBadBody } from './http/nul.ts'
import { registerOpenApi } from './http/openapi.ts'
import { RateLimiter } from './http/rate-limit.ts'
import { apiRoutes } from './http/routes.ts'
import { compileSerializer } from './http/serialize.ts'
import { CountCache } from './search/count-cache.ts'
import { isDateOrDatetime, isEmail } from './shared/formats.ts'
import { type ConcurrencyLimit, concurrencyLimit } from './shared/limit.ts'
import { ApiKeyCache } from './spaces/key-cache.ts'
import * as spaces from './spaces/spaces.service.ts'
import { startWorker, type UpsertWorker, type WorkerOptions } from './upsert/worker.ts'

declare module 'fastify' {
  interface FastifyInstance {
    db: Db
    /** The upsert queue's worker in this process, when it runs here. */
    upsertWorker: UpsertWorker | null
    /** Slots for search pages (SEARCH_CONCURRENCY): their memory grows with their number. */
    searchSlots: ConcurrencyLimit
    /** /kpi counts of an unchanged database; null when COUNT_CACHE=off */
    counts: CountCache | null
    /** API keys checked while listening for their changes; null without `subscribe` or with KEY_CACHE=off */
    keys: ApiKeyCache | null
  }
}

function addFormats(ajv: Ajv): Ajv {
  ajvFormats.default(ajv, ['date-time', 'date'])
  ajv.addFormat('email', isEmail)
  ajv.addFormat('date-or-datetime', isDateOrDatetime)
  return ajv
}

/** TRUST_PROXY as Fastify takes it: addresses as one comma-separated string, n proxies as "the n nearest hops". */
function trustProxyOption(
  value: Config['trustProxy'] | undefined,
): boolean | string | ((address: string, hop: number) => boolean) {
  if (Array.isArray(value)) return value.join(',')
  if (typeof value === 'number') return (_address, hop) => hop < value
  return value ?? false
}

export interface AppOptions {
  config: Pick<Config, 'bodyLimit' | 'rateLimit' | 'logLevel'> &
    Partial<
      Pick<
        Config,
        | 'searchConcurrency'
        | 'countCache'
        | 'keyCache'
        | 'backupToken'
        | 'metricsToken'
        | 'trustProxy'
        | 'corsOrigins'
      >
    >
  db: Db
  /** the PostgreSQL pool under `db`, when there is one (its use is a metric) */
  pool?: pg.Pool | undefined
  /** One line per request (http/logging.ts): true for standard output, or a stream (tests). */
  logger?: boolean | { stream?: Writable; pretty?: boolean }
  /** Run the upsert queue's worker in this process (stopped when the app closes). */
  upsertWorker?: boolean | WorkerOptions
  /** LISTEN on the database: with it (and KEY_CACHE on), checked API keys are kept in memory */
  subscribe?: Subscribe
}

export async function buildApp({
  config,
  db,
  pool,
  logger = false,
  upsertWorker,
  subscribe,
}: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logger ? loggerOptions({ level: config.logLevel, ...(logger === true ? {} : logger) }) : false,
    // each request is logged once, when answered (logRequests)
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: trustProxyOption(config.trustProxy),
    bodyLimit: config.bodyLimit,
    ajv: {
      customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: true, useDefaults: true },
      plugins: [addFormats as never],
    },
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.setSerializerCompiler(compileSerializer)
  app.decorate('db', db)
  app.decorate('searchSlots', concurrencyLimit(config.searchConcurrency ?? 4))
  app.decorate('counts', (config.countCache ?? true) ? new CountCache() : null)
  const metrics = config.metricsToken ? createMetrics() : null
  const worker = upsertWorker
    ? startWorker(db, {
        log: app.log,
        ...(metrics ? { onFinished: metrics.upsertFinished } : {}),
        ...(typeof upsertWorker === 'object' ? upsertWorker : {}),
      })
    : null
  app.decorate('upsertWorker', worker)
  if (worker) app.addHook('onClose', () => worker.stop())
  const keys =
    subscribe && (config.keyCache ?? true)
      ? new ApiKeyCache(subscribe, {
          onError: (error) => app.log.warn(`API key cache off: ${error.message}`),
        })
      : null
  app.decorate('keys', keys)
  if (keys) {
    await keys.start()
    app.addHook('onClose', () => keys.stop())
  }
  registerErrorHandling(app)
  if (logger) logRequests(app)
  if (metrics) registerMetrics(app, metrics, { token: config.metricsToken!, pool })
  const origins = config.corsOrigins ?? []
  if (origins === '*' || origins.length > 0) {
    await app.register(cors, {
      origin: origins === '*' ? true : origins,
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'],
      exposedHeaders: [
        'x-ratelimit-limit',
        'x-ratelimit-cost',
        'x-ratelimit-remaining',
        'retry-after',
        'content-disposition',
      ],
      maxAge: 600,
    })
  }
  await registerOpenApi(app)
  await healthRoutes(app)
  if (config.backupToken) await databaseBackupRoutes(app, config.backupToken)

  const limiter = config.rateLimit.enabled
    ? new RateLimiter(config.rateLimit.burst, config.rateLimit.rate)
    : null
  if (limiter) {
    // unknown routes (the root's not-found handler) carry the headers too: the key's bucket
    // when the request has a valid one, else its address's
    app.addHook('onRequest', async (request, reply) => {
      if (!request.is404) return
      const token = bearerToken(request)
      const key = token ? await spaces.authenticate(db, token, keys) : undefined
      if (key) limiter.charge(reply, String(key.id), 1)
      else limiter.chargeAddress(request, reply)
    })
  }
  await app.register(async (api) => {
    api.addHook('onRequest', async (request, reply) => {
      try {
        await authenticate(db, request, keys)
      } catch (error) {
        limiter?.chargeAddress(request, reply)
        throw error
      }
      limiter?.check(request, reply)
    })
    api.addHook('preValidation', async (request) => rejectBadBody(request.body))
    await apiRoutes(api)
  })
  return app
}
