// A short, stable name for a JSON-able value: the keys of the in-memory caches (search/keyset.ts,
// search/count-cache.ts), which must not hold whole queries.
import { createHash } from 'node:crypto'

export function digestOf(value: unknown): string {
  const text = JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? v.toString() : v))
  return createHash('sha1').update(text).digest('base64url')
}
