// GET /metrics: Prometheus text, to the bearer of METRICS_TOKEN only (there is no such route
// without one). Requests by route and status with their durations, the database pool, the upsert
// queue (depth, age of its oldest job, outcomes) and the process (event-loop lag, memory, CPU).
import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import type pg from 'pg'
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'
import { errors } from '../shared/errors.ts'
import { queueStats } from '../upsert/upsert.service.ts'
import { bearerToken } from './auth.ts'

export interface Metrics {
  registry: Registry
  /** what the upsert worker reports as it finishes jobs */
  upsertFinished(status: 'done' | 'rejected'): void
}

export function createMetrics(): Metrics {
  const registry = new Registry()
  // event-loop lag (nodejs_eventloop_lag_*), heap, CPU, handles
  collectDefaultMetrics({ register: registry })
  const upserts = new Counter({
    name: 'carnet_upsert_jobs_total',
    help: 'Upsert jobs finished by this process, by outcome (done, rejected)',
    labelNames: ['outcome'],
    registers: [registry],
  })
  return { registry, upsertFinished: (status) => upserts.inc({ outcome: status }) }
}

const digest = (text: string) => createHash('sha256').update(text).digest()

export function registerMetrics(
  app: FastifyInstance,
  metrics: Metrics,
  { token, pool }: { token: string; pool?: pg.Pool | undefined },
): void {
  const { registry } = metrics
  const labelNames = ['method', 'route', 'status'] as const
  const requests = new Counter({
    name: 'carnet_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames,
    registers: [registry],
  })
  const durations = new Histogram({
    name: 'carnet_http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by method, route pattern and status',
    labelNames,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  })
  app.addHook('onResponse', async (request, reply) => {
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? '(no route)',
      status: String(reply.statusCode),
    }
    requests.inc(labels)
    durations.observe(labels, reply.elapsedTime / 1000)
  })
  if (pool) {
    new Gauge({
      name: 'carnet_db_pool_connections',
      help: 'PostgreSQL pool connections: total open, idle, and requests waiting for one',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        this.set({ state: 'total' }, pool.totalCount)
        this.set({ state: 'idle' }, pool.idleCount)
        this.set({ state: 'waiting' }, pool.waitingCount)
      },
    })
  }
  const depth = new Gauge({
    name: 'carnet_upsert_queue_depth',
    help: 'Upsert jobs queued and not yet applied, every space together',
    registers: [registry],
  })
  const age = new Gauge({
    name: 'carnet_upsert_queue_oldest_age_seconds',
    help: 'Age of the oldest queued upsert job (0 when the queue is empty)',
    registers: [registry],
  })

  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    const given = bearerToken(request)
    if (!given || !timingSafeEqual(digest(given), digest(token)))
      throw errors.unauthorized('Missing or invalid token: send "Authorization: Bearer <METRICS_TOKEN>"')
    const queue = await queueStats(app.db)
    depth.set(queue.depth)
    age.set(queue.oldestAgeSeconds)
    return reply.type(registry.contentType).send(await registry.metrics())
  })
}
