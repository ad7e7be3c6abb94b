// One log line per request: method, route (its pattern, never the values in the path), status,
// duration and space. JSON lines for a log collector; readable lines with local times when the
// output is a terminal. Never a key, a password, a body or a query string: nothing a client sent.
import type { Writable } from 'node:stream'
import type { FastifyInstance, FastifyServerOptions } from 'fastify'

export interface LogOptions {
  level: string
  /** where JSON lines go instead of standard output (tests read them) */
  stream?: Writable
  /** readable lines (pino-pretty); by default when standard output is a terminal */
  pretty?: boolean
}

/** Fastify's logger options: request logging is ours (below), errors keep no database detail. */
export function loggerOptions({ level, stream, pretty = !stream && process.stdout.isTTY }: LogOptions) {
  const options: Exclude<FastifyServerOptions['logger'], boolean | undefined> = {
    level,
    // a database error's detail can quote the row's values
    redact: { paths: ['err.detail', 'err.where', 'err.parameters'], censor: '[hidden]' },
    ...(stream ? { stream } : {}),
    ...(pretty
      ? {
          transport: {
            target: 'pino-pretty',
            options: { translateTime: 'SYS:yyyy-mm-dd HH:MM:ss.l', ignore: 'pid,hostname', singleLine: true },
          },
        }
      : {}),
  }
  return options
}

export function logRequests(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? '(no route)'
    const ms = Math.round(reply.elapsedTime * 10) / 10
    const space = (request as { tenant?: { groupId: number } }).tenant?.groupId
    request.log.info(
      { method: request.method, route, status: reply.statusCode, ms, ...(space ? { space } : {}) },
      `${request.method} ${route} ${reply.statusCode} ${ms} ms${space ? ` space ${space}` : ''}`,
    )
  })
}
