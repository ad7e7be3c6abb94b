// PostgreSQL's text and jsonb cannot hold the character U+0000: a string carrying it would fail
// in the database, after the request was accepted (a 500). Refused up front, as a 422 at its path.
import { errors } from '../shared/errors.ts'

/** The JSON path (`.a.b[0]`) of the first string or key holding U+0000, if any. */
export function nulPath(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulPath(value[i], `${path}[${i}]`)
      if (found !== undefined) return found
    }
    return undefined
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const at = `${path}.${key}`
      if (key.includes('\u0000')) return at
      const found = nulPath(item, at)
      if (found !== undefined) return found
    }
  }
  return undefined
}

export function rejectNul(body: unknown): void {
  const path = nulPath(body)
  if (path === undefined) return
  const location = `body${path}`
  throw errors.invalidField(
    location,
    `${location} must not contain the character U+0000 (the database cannot store it)`,
  )
}
