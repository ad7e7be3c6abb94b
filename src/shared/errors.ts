// The catalogue of every error the API answers. Services throw these; http/errors.ts turns them
// (and Fastify's own errors) into RFC 7807 problem bodies.

export interface ErrorDetail {
  /** JSON path of the offending input, e.g. body.data.contact.mail */
  location: string
  message: string
  value?: unknown
}

export class AppError extends Error {
  readonly code: string
  readonly status: number
  readonly details: ErrorDetail[]
  readonly headers: Record<string, string>

  constructor(code: string, status: number, message: string, details: ErrorDetail[] = [], headers = {}) {
    super(message)
    this.code = code
    this.status = status
    this.details = details
    this.headers = headers
  }
}

export const errors = {
  unauthorized: (message = 'Missing or invalid API key: send "Authorization: Bearer <key>"') =>
    new AppError('unauthorized', 401, message),
  forbidden: (message: string) => new AppError('forbidden', 403, message),
  notFound: (what: string, id: number | string) => new AppError('not_found', 404, `${what} ${id} not found`),
  routeNotFound: (method: string, url: string) =>
    new AppError('route_not_found', 404, `No route ${method} ${url}`),
  invalid: (message: string, details: ErrorDetail[]) => new AppError('invalid_input', 422, message, details),
  invalidField: (location: string, message: string, value?: unknown) =>
    new AppError('invalid_input', 422, message, [{ location, message, value }]),
  conflict: (message: string, details: ErrorDetail[] = []) => new AppError('conflict', 409, message, details),
  idempotencyMismatch: (key: string) => {
    const message = `Idempotency-Key ${JSON.stringify(key)} was already used with another request: use a new key`
    return new AppError('invalid_input', 422, message, [
      { location: 'headers.idempotency-key', message, value: key },
    ])
  },
  idempotencyInProgress: (key: string) =>
    new AppError(
      'idempotency_in_progress',
      409,
      `A request with Idempotency-Key ${JSON.stringify(key)} is still running: retry later`,
    ),
  upsertQueueBehind: (lagSeconds: number, maxLagSeconds: number, retryAfterSeconds: number) =>
    new AppError(
      'upsert_queue_behind',
      503,
      `The upsert queue of this space is ${lagSeconds} s behind (at most ${maxLagSeconds} s): nothing was queued; send it again in ${retryAfterSeconds} s`,
      [],
      { 'retry-after': String(retryAfterSeconds) },
    ),
  rateLimited: (retryAfterSeconds: number) =>
    new AppError('rate_limited', 429, `Rate limit exceeded: retry in ${retryAfterSeconds} s`, [], {
      'retry-after': String(retryAfterSeconds),
    }),
}

/**
 * A database error that a value of the request caused: SQLSTATE class 22 "data exception" (a
 * number past its column's range, …) or 54000 "program limit exceeded" (a text too long for an
 * index entry: ~2,700 bytes in a btree, within the schemas' 10,000 characters).
 */
export function refusedByDatabase(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && (/^22[0-9A-Z]{3}$/.test(code) || code === '54000')
}
