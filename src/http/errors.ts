// The one place that builds error bodies: RFC 7807 problems, application/problem+json.
import { STATUS_CODES } from 'node:http'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AppError, type ErrorDetail, errors, refusedByDatabase } from '../shared/errors.ts'
import type { Problem } from './envelope.ts'

interface AjvError {
  instancePath: string
  keyword: string
  message?: string
  params: Record<string, unknown>
}

function valueAt(root: unknown, pointer: string): unknown {
  let value = root
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (value === null || typeof value !== 'object') return undefined
    value = (value as Record<string, unknown>)[key]
  }
  return value
}

function pointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((key) => (/^\d+$/.test(key) ? `[${key}]` : `.${key.replace(/~1/g, '/').replace(/~0/g, '~')}`))
    .join('')
}

function describe(error: AjvError): string {
  switch (error.keyword) {
    case 'required':
      return `is required`
    case 'enum':
      return `must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
    case 'const':
      return `must be ${JSON.stringify(error.params.allowedValue)}`
    case 'format':
      return error.params.format === 'email'
        ? 'must be a valid e-mail address'
        : `must be a valid ${error.params.format}`
    case 'additionalProperties':
      return `is not allowed here`
    case 'type': {
      const types = ([] as string[]).concat(error.params.type as string | string[])
      const named = types.map((t) => (t === 'null' ? 'null' : /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`))
      return `must be ${named.join(' or ')}`
    }
    default:
      return error.message ?? 'is invalid'
  }
}

/** Ajv errors → problem details whose location is the JSON path of the field. */
export function validationDetails(errs: AjvError[], part: string, input: unknown): ErrorDetail[] {
  return errs.map((error) => {
    let pointer = error.instancePath
    if (error.keyword === 'required') pointer += `/${error.params.missingProperty as string}`
    if (error.keyword === 'additionalProperties') pointer += `/${error.params.additionalProperty as string}`
    const location = `${part}${pointerToPath(pointer)}`
    return { location, message: `${location} ${describe(error)}`, value: valueAt(input, pointer) }
  })
}

function toAppError(error: FastifyError, request: FastifyRequest): AppError {
  if (error instanceof AppError) return error
  if (error.validation) {
    const part = error.validationContext ?? 'body'
    const input = (request as unknown as Record<string, unknown>)[part]
    const details = validationDetails(error.validation as unknown as AjvError[], part, input)
    return errors.invalid(`Invalid request: ${details.map((d) => d.message).join('; ')}`, details)
  }
  // a value the request carried that the database cannot hold, compare or index. What the
  // schemas can catch is caught before any work, with the field's path; this is the net for the rest.
  if (refusedByDatabase(error)) {
    return new AppError(
      'invalid_value',
      422,
      `A value of the request is outside what the database accepts: ${error.message}`,
    )
  }
  const status = error.statusCode ?? 500
  if (status >= 400 && status < 500) {
    if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) {
      return new AppError('malformed_json', 400, `The body is not valid JSON: ${error.message}`)
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return new AppError(
        'body_too_large',
        413,
        `The body is larger than the limit of this server (${error.message})`,
      )
    }
    return new AppError(error.code?.toLowerCase() ?? 'bad_request', status, error.message)
  }
  return new AppError('internal', 500, 'Internal server error')
}

export function problem(error: AppError, instance: string): Problem {
  return {
    type: 'about:blank',
    title: STATUS_CODES[error.status] ?? 'Error',
    status: error.status,
    detail: error.message,
    instance,
    errors: error.details,
  }
}

export function send(reply: FastifyReply, error: AppError, instance: string) {
  return reply
    .status(error.status)
    .headers(error.headers)
    .type('application/problem+json')
    .serializer(JSON.stringify)
    .send(problem(error, instance))
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const appError = toAppError(error, request)
    if (appError.status >= 500) request.log.error({ err: error }, 'request failed')
    return send(reply, appError, request.url)
  })
  app.setNotFoundHandler((request, reply) =>
    send(reply, errors.routeNotFound(request.method, request.url), request.url),
  )
}

/**
 * Fastify's `frameworkErrors`: a URL it cannot decode (`/contacts/%C0%AE`, 400) or a path
 * parameter longer than it routes (414) is answered before any route or hook runs; `charge`
 * sets the rate-limit headers (and may itself refuse with a 429).
 */
export function frameworkErrorHandler(
  charge: (request: FastifyRequest, reply: FastifyReply) => Promise<void>,
) {
  return async (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    let appError: AppError
    try {
      await charge(request, reply)
      appError =
        error.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? new AppError('uri_too_long', 414, 'A segment of the path is too long to name anything here')
          : error.code === 'FST_ERR_BAD_URL'
            ? new AppError('bad_url', 400, 'The path is not a valid URL: a %-escape does not decode to text')
            : toAppError(error, request)
    } catch (refused) {
      appError = refused instanceof AppError ? refused : toAppError(refused as FastifyError, request)
    }
    return send(reply, appError, request.url)
  }
}

/**
 * Errors Node's HTTP parser raises before there is a request (a malformed request line or
 * header, headers too large, a timeout): a problem body too. `headers` are the rate-limit
 * headers of the connection's address.
 */
export function clientErrorHandler(headers: (address: string | undefined) => Record<string, string>) {
  return (error: NodeJS.ErrnoException, socket: import('node:net').Socket) => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return
    const status =
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400
    const detail =
      status === 408
        ? 'The request took too long to arrive'
        : status === 431
          ? 'The request headers are larger than this server accepts'
          : 'The request is not valid HTTP'
    const body = JSON.stringify(problem(new AppError('client_error', status, detail), ''))
    if (socket.writable) {
      const lines = Object.entries({
        'content-type': 'application/problem+json; charset=utf-8',
        'content-length': String(Buffer.byteLength(body)),
        ...headers(socket.remoteAddress),
      }).map(([name, value]) => `${name}: ${value}\r\n`)
      socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${lines.join('')}\r\n${body}`)
    }
    socket.destroy(error)
  }
}
