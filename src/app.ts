// buildApp({ config, db }): the Fastify application, with no I/O of its own at import time.
import type { Writable } from 'node:stream'
import cookie from '@fastify/cookie'
import cors from '@fastify/cors'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Ajv } from 'ajv'
import ajvFormats from 'ajv-formats'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, LogController } from 'fastify'
import type pg from 'pg'
import { logInRoutes } from './auth/auth.routes.ts'
import { AddressThrottle } from './auth/sessions.service.ts'
import { databaseBackupRoutes } from './backup/backup.routes.ts'
import type { Config } from './config.ts'
import type { Db } from './db/database.ts'
import type { Subscribe } from './db/notify.ts'
import { administers, checkAccess, contactParam, requirePermissions } from './http/access.ts'
import { authenticate, authorize, bearerToken } from './http/auth.ts'
import { registerConsole } from './http/console.ts'
import { acceptEmptyBodies } from './http/empty-body.ts'
import { clientErrorHandler, frameworkErrorHandler, registerErrorHandling } from './http/errors.ts'
import { rejectNonFiniteNumbers } from './http/finite.ts'
import { healthRoutes } from './http/health.ts'
import { loggerOptions, logRequests } from './http/logging.ts'
import { createMetrics, registerMetrics } from './http/metrics.ts'
import { rejectBadBody } from './http/nul.ts'
import { registerOpenApi } from './http/openapi.ts'
import { requireCanonicalIds } from './http/path-ids.ts'
import { RateLimiter } from './http/rate-limit.ts'
import { apiRoutes } from './http/routes.ts'
import { compileSerializer } from './http/serialize.ts'
import { invitationTokenRoutes } from './invitations/invitations.routes.ts'
import { Mailer } from './invitations/mail.ts'
import { CountCache } from './search/count-cache.ts'
import { requireInScope } from './search/search.service.ts'
import { isDateOrDatetime, isEmail } from './shared/formats.ts'
import { type ConcurrencyLimit, concurrencyLimit } from './shared/limit.ts'
import { isStorableDate } from './shared/time.ts'
import { ApiKeyCache } from './spaces/key-cache.ts'
import * as spaces from './spaces/spaces.service.ts'
import { QueueLag } from './upsert/queue-lag.ts'
import { startWorker, type UpsertWorker, type WorkerOptions } from './upsert/worker.ts'

declare module 'fastify' {
  interface FastifyInstance {
    db: Db
    /** The upsert queue's worker in this process, when it runs here. */
    upsertWorker: UpsertWorker | null
    /** Refuses upserts while the space's queue is too far behind (UPSERT_MAX_LAG). */
    upsertLag: QueueLag
    /** Slots for search pages (SEARCH_CONCURRENCY): their memory grows with their number. */
    searchSlots: ConcurrencyLimit
    /** /kpi counts of an unchanged database; null when COUNT_CACHE=off */
    counts: CountCache | null
    /** API keys checked while listening for their changes; null without `subscribe` or with KEY_CACHE=off */
    keys: ApiKeyCache | null
    /** Invitation e-mails; null without SMTP_URL (the accept link is then in the answer) */
    mailer: Mailer | null
    people: { publicUrl: string | undefined; sessionHours: number; throttle: AddressThrottle }
  }
}

/**
 * Runs after ajv-formats (listed before it in `plugins`: @fastify/ajv-compiler adds ajv-formats
 * itself, after every plugin, unless one of them is ajv-formats, which would undo these).
 */
function addFormats(ajv: Ajv): Ajv {
  // ajv-formats' date-time, narrowed to the instants both databases store (no year 0, no leap second)
  const dateTime = ajv.formats['date-time'] as { validate: (value: string) => boolean }
  ajv.addFormat('date-time', (value: string) => dateTime.validate(value) && isStorableDate(value))
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
        | 'history'
        | 'smtpUrl'
        | 'mailFrom'
        | 'publicUrl'
        | 'sessionHours'
        | 'upsertMaxLag'
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
  const limiter = config.rateLimit.enabled
    ? new RateLimiter(config.rateLimit.burst, config.rateLimit.rate)
    : null
  let keys: ApiKeyCache | null = null
  /**
   * A request no route's key check answers for (an unknown route, a page without a key, a URL
   * Fastify cannot route): charged to the bucket of its key when it carries a valid one, else
   * to its address's, so every answer carries the rate-limit headers.
   */
  const chargeUnkeyed = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!limiter) return
    const token = bearerToken(request)
    const key = token ? await spaces.authenticate(db, token, keys) : undefined
    if (key) limiter.charge(reply, String(key.id), 1)
    else limiter.chargeAddress(request, reply)
  }
  const app = Fastify({
    logger: logger ? loggerOptions({ level: config.logLevel, ...(logger === true ? {} : logger) }) : false,
    // each request is logged once, when answered (logRequests)
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: trustProxyOption(config.trustProxy),
    bodyLimit: config.bodyLimit,
    ajv: {
      customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: true, useDefaults: true },
      plugins: [ajvFormats.default as never, addFormats as never],
    },
    frameworkErrors: frameworkErrorHandler(chargeUnkeyed),
    clientErrorHandler: clientErrorHandler((address) => limiter?.chargeSocket(address) ?? {}),
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.setSerializerCompiler(compileSerializer)
  app.decorate('db', db)
  app.decorate('searchSlots', concurrencyLimit(config.searchConcurrency ?? 4))
  app.decorate('counts', (config.countCache ?? true) ? new CountCache() : null)
  const metrics = config.metricsToken ? createMetrics() : null
  const worker = upsertWorker
    ? startWorker(db, {
        log: app.log,
        history: config.history ?? true,
        ...(metrics ? { onFinished: metrics.upsertFinished } : {}),
        ...(typeof upsertWorker === 'object' ? upsertWorker : {}),
      })
    : null
  app.decorate('upsertWorker', worker)
  app.decorate('upsertLag', new QueueLag(db, config.upsertMaxLag ?? 30))
  if (worker) app.addHook('onClose', () => worker.stop())
  keys =
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
  const mailer = config.smtpUrl ? new Mailer(config.smtpUrl, config.mailFrom ?? 'carnet@localhost') : null
  app.decorate('mailer', mailer)
  if (mailer) app.addHook('onClose', () => mailer.drain())
  app.decorate('people', {
    publicUrl: config.publicUrl,
    sessionHours: config.sessionHours ?? 12,
    throttle: new AddressThrottle(),
  })
  await app.register(cookie)
  registerErrorHandling(app)
  acceptEmptyBodies(app)
  if (logger) logRequests(app)
  if (metrics) registerMetrics(app, metrics, { token: config.metricsToken!, pool })
  const origins = config.corsOrigins ?? []
  if (origins === '*' || origins.length > 0) {
    await app.register(cors, {
      origin: origins === '*' ? true : origins,
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Carnet-Console'],
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
  await registerConsole(app)

  // routes outside the API (unknown ones, /docs, /openapi.json, /health) carry the headers too
  app.addHook('onRequest', async (request, reply) => {
    if (request.is404 || request.routeOptions.config.withoutKey) await chargeUnkeyed(request, reply)
  })
  // log-in and invitation tokens: no key, so charged to the client's address
  await app.register(async (open) => {
    if (limiter) open.addHook('onRequest', async (request, reply) => limiter.chargeAddress(request, reply))
    open.addHook('preValidation', requireCanonicalIds)
    open.addHook('preValidation', async (request) => rejectBadBody(request.body))
    await open.register(logInRoutes)
    await open.register(invitationTokenRoutes)
  })
  await app.register(async (api) => {
    requirePermissions(api)
    api.addHook('onRequest', async (request, reply) => {
      try {
        await authenticate(db, request, keys, { history: config.history ?? true })
      } catch (error) {
        limiter?.chargeAddress(request, reply)
        throw error
      }
      limiter?.check(request, reply)
      authorize(request, administers(request))
      checkAccess(request)
    })
    api.addHook('preValidation', requireCanonicalIds)
    api.addHook('preValidation', async (request) => rejectBadBody(request.body))
    // a contact outside a scoped user's contacts is a 404 to that user, on every route that names it
    api.addHook('preHandler', async (request) => {
      const id = contactParam(request)
      if (id !== undefined) await requireInScope(db, request.tenant, id)
    })
    api.addHook('preHandler', async (request) => rejectNonFiniteNumbers(request.body))
    await apiRoutes(api)
  })
  return app
}
