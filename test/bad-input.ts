// Bad requests for any operation of the OpenAPI document, as fast-check arbitraries: a valid body
// with one node replaced, removed or joined by a key it does not expect; loose or absurd path
// ids; malformed JSON, wrong content types, empty bodies; stray query parameters and headers.
import fc from 'fast-check'
import { example, nodePaths, type Operation, url, withNode } from './openapi-requests.ts'

export interface BadRequest {
  /** what the case is, for the failure message */
  label: string
  method: Operation['method']
  url: string
  payload?: string
  headers: Record<string, string>
  /** an integer path parameter that is not the plain decimal id of an object: must be refused */
  strayId?: boolean
}

const DEEP = 'deep-nesting-placeholder-'

const BAD_STRINGS = [
  ...['Infinity', '-Infinity', '1e400', '-1e400', 'NaN', '1e-400', '-0', '0x3', '3.0', '+3', '003', '3e0'],
  ...['', ' ', '\u0000', 'a\u0000b', '\ud800', '%00', '..', 'null', 'true', '[]', '{}', '9'.repeat(400)],
  ...['9007199254740993', '18446744073709551616', '0000-01-01T00:00:00Z', '2016-12-31T23:59:60Z'],
  ...['9999-12-31T23:59:59.999999Z', '10000-01-01', '1990-02-30', 'now', 'infinity', '-infinity'],
  ...['0001-01-01T00:00:00+01:00', '9999-12-31T23:59:59-01:00', '0000-01-01', '-001000-01-01T00:00:00Z'],
  ...['x'.repeat(10_001), 'é'.repeat(3_000), 'x'.repeat(100_001)],
]
/** Strings a number or a date field may be sent: JSON numbers' and dates' edge cases as text. */
const NUMERIC_STRINGS = [
  'Infinity',
  '-Infinity',
  '1e400',
  '-1e400',
  'NaN',
  '1e-400',
  '-0',
  '0x3',
  '3.0',
  '+3',
  '003',
]
const BAD_DATES = [
  ...[
    '0000-01-01T00:00:00Z',
    '0001-01-01T00:00:00+01:00',
    '9999-12-31T23:59:59-01:00',
    '2016-12-31T23:59:60Z',
  ],
  ...[
    '10000-01-01',
    '0000-01-01',
    '1990-02-30',
    '1990-13-01',
    '1990-01-01T25:00:00Z',
    'infinity',
    '-infinity',
  ],
  ...['-001000-01-01T00:00:00Z', '+275760-09-13T00:00:00Z', '1990-01-01T00:00:00+24:00', 'epoch', 'now'],
]
const BAD_NUMBERS = [
  ...[-1, -0, 0, 0.5, 1e308, -1e308, 5e-324, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, 2 ** 53 + 2, 2 ** 63, 2 ** 64],
]

/** Nested arrays or objects `depth` levels deep, written as JSON text (no stack needed). */
function nested(depth: number, key: string | null): string {
  return key === null
    ? `${'['.repeat(depth)}1${']'.repeat(depth)}`
    : `${`{"${key}":`.repeat(depth)}1${'}'.repeat(depth)}`
}

export function badValue(keys: string[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...BAD_STRINGS), weight: 4 },
    { arbitrary: fc.constantFrom(...BAD_NUMBERS), weight: 3 },
    { arbitrary: fc.constantFrom<unknown>(null, true, false, [], {}, [null], [[]], { '': 1 }), weight: 2 },
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.anything({ maxDepth: 3, maxKeys: 4 }),
    fc.array(fc.constantFrom(...BAD_STRINGS, ...BAD_NUMBERS), { maxLength: 3 }),
    fc
      .tuple(fc.constantFrom(65, 2_000, 50_000), fc.option(fc.constantFrom(...keys)))
      .map(([depth, key]) => `${DEEP}${depth}:${key ?? ''}`),
    fc.constant('x'.repeat(1_100_000)), // past the body limit
  )
}

/** JSON text of a value, the deep-nesting placeholders expanded. */
function toJson(value: unknown): string {
  return JSON.stringify(value).replace(new RegExp(`"${DEEP}(\\d+):([^"]*)"`, 'g'), (_m, depth, key) =>
    nested(Number(depth), key === '' ? null : key),
  )
}

const MALFORMED = [
  '',
  ' ',
  '{',
  '{"data":',
  "{'data':{}}",
  '[1,]',
  'nul',
  '{"data":{}}{"data":{}}',
  '\u0000',
  '\ufeff{"data":{}}',
  '{"__proto__":{"polluted":1}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
  '1',
  'null',
  '"data"',
  '[]',
  '{"data":1e400}',
  '{"data":NaN}',
  '{"data":"\\u0000"}',
  '{"data":"\\ud800"}',
]
const CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'APPLICATION/JSON',
  'application/vnd.api+json',
  'application/problem+json',
  'application/json, text/plain',
]

function stray(id: string): string[] {
  const n = Number(id)
  return [
    ...[
      `0x${n.toString(16)}`,
      `${id}.0`,
      `${id}e0`,
      `+${id}`,
      `00${id}`,
      `-${id}`,
      `${id}.5`,
      ` ${id}`,
      `${id}%20`,
    ],
    ...[`%20${id}`, `${id}%00`, `${id}abc`, '0', '-0', '1e400', 'Infinity', 'NaN', '9'.repeat(25)],
    ...['9007199254740992', '9007199254740993', '18446744073709551616', '%00', '%C0%AE', '..', '%2e%2e'],
    ...['abc', 'null', 'x'.repeat(5_000), '%ZZ', '%'],
  ]
}

const QUERY_VALUES = ['', 'Infinity', '1e400', '%00', '%C0%AE', 'x'.repeat(3_000), 'csv', 'ndjson', '[]']

function nodeAt(value: unknown, path: (string | number)[]): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], value)
}

/** What every number field and every date field is sent, whatever the seed. */
const CORNER_NUMBERS = ['1e400', '-Infinity', 2 ** 63]
const CORNER_DATES = [
  '0000-01-01T00:00:00Z',
  '0001-01-01T00:00:00+01:00',
  '2016-12-31T23:59:60Z',
  '10000-01-01',
]

/**
 * Every number and date field of `op`'s body sent each value the database computes badly with
 * (non-finite numbers, years 0 and 10000, leap seconds): requests no seed can miss.
 */
export function cornerRequests(
  op: Operation,
  pathValue: (name: string) => string,
  values: Record<string, unknown>,
): BadRequest[] {
  if (!op.body) return []
  const body = example(op.body, values)
  return nodePaths(body).flatMap((path) => {
    const node = nodeAt(body, path)
    const list = typeof node === 'number' ? CORNER_NUMBERS : isDate(node) ? CORNER_DATES : []
    return list.map((value) => ({
      method: op.method,
      headers: { 'content-type': 'application/json' },
      label: `replace ${path.join('.')} = ${JSON.stringify(value)}`,
      url: url(op, pathValue),
      payload: toJson(withNode(body, path, value)),
    }))
  })
}

const isDate = (node: unknown) => typeof node === 'string' && /^\d{4}-\d\d-\d\d/.test(node)

/** Bad requests for `op`; `pathValue` gives the real id of each path parameter. */
export function badRequests(
  op: Operation,
  pathValue: (name: string) => string,
  values: Record<string, unknown>,
  keys: string[],
): fc.Arbitrary<BadRequest> {
  const base = { method: op.method, headers: {} as Record<string, string> }
  const plainUrl = url(op, pathValue)
  const body = op.body ? example(op.body, values) : undefined
  const json = { 'content-type': 'application/json' }
  const cases: fc.Arbitrary<BadRequest>[] = []

  if (op.body) {
    const paths = nodePaths(body)
    const mutated = fc
      .tuple(
        fc.constantFrom(...paths),
        fc.constantFrom('replace', 'remove', 'add'),
        badValue(keys),
        fc.constantFrom(...keys, 'unknown_key', ''),
      )
      .map(([path, action, value, key]): BadRequest => {
        const at = path.join('.') || '(root)'
        const node = nodeAt(body, path)
        const isObject = node !== null && typeof node === 'object' && !Array.isArray(node)
        const next =
          action === 'remove' && path.length > 0
            ? withNode(body, path, undefined)
            : action === 'add' && isObject
              ? withNode(body, path, { ...(node as object), [key]: value })
              : withNode(body, path, value)
        return {
          ...base,
          headers: json,
          label:
            action === 'remove'
              ? `remove ${at}`
              : `${action} ${at}${action === 'add' && isObject ? `.${key}` : ''} = ${String(JSON.stringify(value)).slice(0, 80)}`,
          url: plainUrl,
          payload: toJson(next),
        }
      })
    cases.push(mutated, mutated, mutated, mutated)
    // aimed at the fields whose values the database computes with: numbers and dates
    const aimed = (test: (node: unknown) => boolean, values: unknown[]) => {
      const at = paths.filter((path) => test(nodeAt(body, path)))
      if (at.length === 0) return
      const arb = fc.tuple(fc.constantFrom(...at), fc.constantFrom(...values)).map(
        ([path, value]): BadRequest => ({
          ...base,
          headers: json,
          label: `replace ${path.join('.')} = ${JSON.stringify(value)}`,
          url: plainUrl,
          payload: toJson(withNode(body, path, value)),
        }),
      )
      cases.push(arb, arb)
    }
    aimed((node) => typeof node === 'number', [...NUMERIC_STRINGS, ...BAD_NUMBERS])
    aimed(isDate, BAD_DATES)
    cases.push(
      fc.constantFrom(...CONTENT_TYPES).map((type) => ({
        ...base,
        label: `content-type ${type}`,
        url: plainUrl,
        headers: { 'content-type': type },
        payload: toJson(body),
      })),
    )
  }
  cases.push(
    fc.constantFrom(...MALFORMED).map((text) => ({
      ...base,
      label: `body ${JSON.stringify(text)}`,
      url: plainUrl,
      headers: json,
      payload: text,
    })),
  )
  const ids = op.parameters.filter((p) => p.in === 'path')
  if (ids.length > 0) {
    const strayIds = fc.constantFrom(...ids).chain((param) =>
      fc.constantFrom(...stray(pathValue(param.name))).map((value): BadRequest => {
        const integer = param.schema.type === 'integer'
        return {
          ...base,
          label: `path ${param.name}=${value.slice(0, 40)}`,
          url: url(op, (name) => (name === param.name ? value : pathValue(name))),
          ...(body === undefined ? {} : { headers: json, payload: toJson(body) }),
          strayId: integer,
        }
      }),
    )
    cases.push(strayIds, strayIds, strayIds)
  }
  cases.push(
    fc
      .tuple(
        fc.constantFrom(...op.parameters.filter((p) => p.in === 'query').map((p) => p.name), ...keys),
        fc.constantFrom(...QUERY_VALUES),
      )
      .map(([key, value]) => ({
        ...base,
        label: `query ${key}=${value.slice(0, 40)}`,
        url: `${plainUrl}?${key}=${value}&${key}=${value}`,
        ...(body === undefined ? {} : { headers: json, payload: toJson(body) }),
      })),
  )
  if (op.body) {
    cases.push(
      fc.constantFrom('', 'x'.repeat(300)).map((key) => ({
        ...base,
        label: `idempotency-key of ${key.length} characters`,
        url: plainUrl,
        headers: { ...json, 'idempotency-key': key },
        payload: toJson(body),
      })),
    )
  }
  return fc.oneof(...cases)
}
