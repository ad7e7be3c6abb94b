// JSON has no Infinity, but the schemas' number coercion makes one of a string: "1e400",
// "Infinity" and "-Infinity" become ±Infinity, and Ajv then skips minimum/maximum for a number
// that is not finite, so an id of Infinity passed validation and failed in the database (a 500).
// Any non-finite number in a validated body came from such a string: refused as a 422 there.
import type { ErrorDetail } from '../shared/errors.ts'
import { errors } from '../shared/errors.ts'

function collect(value: unknown, path: string, found: ErrorDetail[]): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      const location = `body${path}`
      found.push({ location, message: `${location} must be a finite number`, value: String(value) })
    }
    return
  }
  if (value === null || typeof value !== 'object') return
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) collect(item, `${path}[${i}]`, found)
  } else {
    for (const [key, item] of Object.entries(value)) collect(item, `${path}.${key}`, found)
  }
}

/** preHandler hook body: after validation, before any work. */
export function rejectNonFiniteNumbers(body: unknown): void {
  const found: ErrorDetail[] = []
  collect(body, '', found)
  if (found.length > 0) {
    throw errors.invalid(`Invalid request: ${found.map((d) => d.message).join('; ')}`, found)
  }
}
