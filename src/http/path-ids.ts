// A path id is a canonical decimal (`3`, never `03`, `+3`, `3.0`, `3e0` or `0x3`): any other
// spelling names no resource and is a 404. Without this check the schemas' integer coercion
// would read `0x3` as 3, so `DELETE /v1/forms/0x10` deleted form 16.
import type { FastifyRequest } from 'fastify'
import { AppError } from '../shared/errors.ts'

const CANONICAL = /^(0|[1-9][0-9]{0,15})$/

export function isCanonicalId(value: string): boolean {
  return CANONICAL.test(value) && Number(value) <= Number.MAX_SAFE_INTEGER
}

export function notFoundAt(url: string, name: string, value: string): AppError {
  const message = `No resource at ${url}: ${name} ${JSON.stringify(value)} is not an id (ids are written in plain decimal digits)`
  return new AppError('not_found', 404, message, [{ location: `params.${name}`, message, value }])
}

/** preValidation hook: every path parameter the route's schema declares an integer. */
export async function requireCanonicalIds(request: FastifyRequest): Promise<void> {
  const schema = request.routeOptions.schema?.params as
    | { properties?: Record<string, { type?: unknown }> }
    | undefined
  if (!schema?.properties) return
  const params = request.params as Record<string, unknown>
  for (const [name, property] of Object.entries(schema.properties)) {
    const value = params[name]
    if (property.type === 'integer' && typeof value === 'string' && !isCanonicalId(value)) {
      throw notFoundAt(request.url, name, value)
    }
  }
}
