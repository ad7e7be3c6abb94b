// Compares a response with a seed document key for key and type for type. `types` overrides the
// seed's type where docs/api.md says otherwise (e.g. address numbers are strings); `nonNull`
// lists the paths that must never be null.
import { readFileSync } from 'node:fs'

export const writeSeed = JSON.parse(
  readFileSync(new URL('./seeds/write-shape.json', import.meta.url), 'utf8'),
)
export const searchSeed = JSON.parse(
  readFileSync(new URL('./seeds/search-shape.json', import.meta.url), 'utf8'),
)

export interface ShapeRules {
  /** keys our responses add, by the path of the object that holds them: { 'contact.': { action_ids: [1] } } */
  extraKeys?: Record<string, Record<string, unknown>>
  types?: Record<string, string[]>
  nonNull?: string[]
}

const typeName = (v: unknown) =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v

/** Returns the list of differences; [] when the shapes agree. */
export function shapeDiff(actual: unknown, seed: unknown, rules: ShapeRules, path = ''): string[] {
  const problems: string[] = []
  const at = path || '(root)'
  if (seed !== null && typeof seed === 'object' && !Array.isArray(seed)) {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual))
      return [`${at}: expected an object, got ${typeName(actual)}`]
    const expected = { ...(seed as object), ...rules.extraKeys?.[path] } as Record<string, unknown>
    const a = actual as Record<string, unknown>
    for (const key of Object.keys(expected)) if (!(key in a)) problems.push(`${path}${key}: missing`)
    for (const key of Object.keys(a)) if (!(key in expected)) problems.push(`${path}${key}: not in the seed`)
    for (const key of Object.keys(expected)) {
      if (key in a) problems.push(...shapeDiff(a[key], expected[key], rules, `${path}${key}.`))
    }
    return problems
  }
  const name = path.slice(0, -1)
  if (Array.isArray(seed)) {
    if (!Array.isArray(actual)) return [`${name}: expected an array, got ${typeName(actual)}`]
    for (const item of actual) problems.push(...shapeDiff(item, seed[0], rules, `${name}[].`))
    return problems
  }
  const allowed = rules.types?.[name] ?? [typeName(seed) === 'integer' ? 'integer' : typeName(seed)]
  const nullable = !rules.nonNull?.includes(name)
  const got = typeName(actual)
  const ok =
    allowed.includes(got) || (got === 'integer' && allowed.includes('number')) || (got === 'null' && nullable)
  if (!ok)
    problems.push(
      `${name}: expected ${allowed.join('|')}${nullable ? '|null' : ''}, got ${got} (${JSON.stringify(actual)})`,
    )
  return problems
}
