// What a request body must not hold, refused up front as a 422 at its path:
// - the character U+0000: PostgreSQL's text and jsonb cannot hold it, so a string carrying it
//   would fail in the database, after the request was accepted (a 500);
// - nesting deeper than MAX_DEPTH: JSON.parse copes with thousands of levels, but every
//   recursive walk after it (validation, hashing for Idempotency-Key, the search parser) would
//   overflow the stack (a 500). The API's own shapes are under 10 levels deep.
import { errors } from '../shared/errors.ts'

export const MAX_DEPTH = 64

export interface BodyProblem {
  /** JSON path: `.a.b[0]` */
  path: string
  problem: 'nul' | 'depth'
}

/** The first string or key holding U+0000, or value nested too deep, in document order. */
export function bodyProblem(body: unknown): BodyProblem | undefined {
  // an explicit stack, not recursion: the body may be nested deeper than the call stack allows
  const stack: [value: unknown, path: string, depth: number, nulKey: boolean][] = [[body, '', 0, false]]
  while (stack.length > 0) {
    const [value, path, depth, nulKey] = stack.pop()!
    if (nulKey) return { path, problem: 'nul' }
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return { path, problem: 'nul' }
      continue
    }
    if (value === null || typeof value !== 'object') continue
    if (depth >= MAX_DEPTH) return { path, problem: 'depth' }
    const entries = Array.isArray(value)
      ? value.map((item, i) => [`[${i}]`, item, false] as const)
      : Object.entries(value).map(([key, item]) => [`.${key}`, item, key.includes('\u0000')] as const)
    // pushed last to first, so popped in document order
    for (let i = entries.length - 1; i >= 0; i--) {
      const [step, item, nulKey] = entries[i]!
      stack.push([item, path + step, depth + 1, nulKey])
    }
  }
  return undefined
}

export function rejectBadBody(body: unknown): void {
  const found = bodyProblem(body)
  if (found === undefined) return
  const location = `body${found.path}`
  throw errors.invalidField(
    location,
    found.problem === 'nul'
      ? `${location} must not contain the character U+0000 (the database cannot store it)`
      : `${location} is nested more than ${MAX_DEPTH} levels deep`,
  )
}
