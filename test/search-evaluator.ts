// An in-memory evaluator of the search language, written from docs/search.md alone (not from
// compile.ts): the property tests compare the server's answers with it. Test support only.

export interface ModelContact {
  id: number
  firstname: string | null
  surname: string | null
  mail: string | null
  city: string | null
  postalcode: string | null
  /** 'YYYY-MM-DD' */
  birthdate: string | null
  age_category: number
  black_list: boolean
  tags: string[]
  actions: number[]
  notes: string[]
}

export type Cond = { attr: string; ope: string; value?: unknown; from?: string; to?: string }
export type Query = Record<string, Record<string, Cond[] | Record<string, unknown>[]>[]>

/** Case and accents ignored (docs/search.md). */
export const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
const words = (s: string) =>
  fold(s)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
const hasValue = (v: unknown) => v !== null && v !== undefined && v !== ''

const SCALARS: Record<string, (c: ModelContact) => unknown> = {
  firstname: (c) => c.firstname,
  surname: (c) => c.surname,
  mail: (c) => c.mail,
  'address.city': (c) => c.city,
  'address.postalcode': (c) => c.postalcode,
  birthdate: (c) => c.birthdate,
  age_category: (c) => c.age_category,
  black_list: (c) => c.black_list,
}
const LISTS: Record<string, (c: ModelContact) => unknown[]> = {
  tags: (c) => c.tags,
  notes: (c) => c.notes,
  action_ids: (c) => c.actions,
}

const listOf = (v: unknown): string[] =>
  Array.isArray(v)
    ? v.map(String)
    : String(v)
        .split(',')
        .map((s) => s.trim())

/** Text: `eql` = every word of the value starts a word of the field. */
function textTest(field: string, base: string, v: string): boolean {
  switch (base) {
    case 'eql': {
      const ws = words(v)
      const fs = words(field)
      return ws.length > 0 && ws.every((w) => fs.some((f) => f.startsWith(w)))
    }
    case 'strict':
      return field === v
    case 'contains':
      return fold(field).includes(fold(v))
    case 'start_with':
      return fold(field).startsWith(fold(v))
    case 'gte':
      return fold(field) >= fold(v)
    case 'lte':
      return fold(field) <= fold(v)
    default:
      return fold(field) === fold(v)
  }
}

/** Days: a value without a time is its whole day; an instant is a point (midnight of the day). */
function dayTest(day: string, base: string, v: string): boolean {
  const isDay = v.length === 10
  const vDay = v.slice(0, 10)
  const midnight = !isDay && v.slice(10) === 'T00:00:00Z'
  if (base === 'gte') return isDay || midnight ? day >= vDay : day > vDay
  if (base === 'lte') return day <= vDay
  return isDay || midnight ? day === vDay : false
}

function valueTest(field: unknown, base: string, v: unknown, type: string): boolean {
  if (!hasValue(field)) return false
  if (type === 'number') {
    const n = Number(v)
    if (base === 'gte') return (field as number) >= n
    if (base === 'lte') return (field as number) <= n
    return field === n
  }
  if (type === 'boolean') return field === (String(v) === 'true')
  if (type === 'date') return dayTest(field as string, base, String(v))
  return textTest(field as string, base, String(v))
}

const BASE: Record<string, [string, boolean]> = {
  eql: ['eql', false],
  not_eql: ['eql', true],
  'eql:strictdata': ['strict', false],
  'not_eql:strictdata': ['strict', true],
  ext: ['ext', false],
  not_ext: ['ext', true],
  contains: ['contains', false],
  not_contains: ['contains', true],
  start_with: ['start_with', false],
  not_start_with: ['start_with', true],
  gte: ['gte', false],
  lte: ['lte', false],
  range: ['range', false],
  any_of: ['any_of', false],
  none_of: ['any_of', true],
  all_of: ['all_of', false],
}

export const TYPES: Record<string, string> = {
  firstname: 'text',
  surname: 'text',
  mail: 'text',
  'address.city': 'text',
  'address.postalcode': 'text',
  birthdate: 'date',
  age_category: 'number',
  black_list: 'boolean',
  tags: 'text',
  notes: 'text',
  action_ids: 'number',
}

/** Positive test of one value (a scalar, or one item of a list attribute). */
function positive(field: unknown, base: string, c: Cond, type: string): boolean {
  if (base === 'ext') return hasValue(field)
  if (base === 'range') return valueTest(field, 'gte', c.from, type) && valueTest(field, 'lte', c.to, type)
  if (base === 'any_of') return listOf(c.value).some((v) => valueTest(field, 'eq', v, type))
  if (base === 'all_of') return listOf(c.value).every((v) => valueTest(field, 'eq', v, type))
  return valueTest(field, base, c.value, type)
}

export function matchesCondition(contact: ModelContact, c: Cond): boolean {
  const [base, negated] = BASE[c.ope]!
  const type = TYPES[c.attr]!
  let result: boolean
  if (c.attr in LISTS) {
    const items = LISTS[c.attr]!(contact)
    // a list matches when one of its items does; all_of needs an item for every value
    result =
      base === 'all_of'
        ? listOf(c.value).every((v) => items.some((item) => valueTest(item, 'eq', v, type)))
        : items.some((item) => positive(item, base, c, type))
  } else result = positive(SCALARS[c.attr]!(contact), base, c, type)
  return negated ? !result : result
}

/** Empty groups are neutral: left out; a root with nothing left matches everyone. */
export function matches(contact: ModelContact, query: Query | undefined): boolean {
  if (!query) return true
  const [rootKey, groups] = Object.entries(query)[0]!
  const results = groups
    .map((group) => Object.entries(group)[0]!)
    .filter(([, items]) => items.length > 0)
    .map(([key, items]) => {
      const tests = (items as { $condition: Cond }[]).map((item) =>
        matchesCondition(contact, item.$condition),
      )
      return key === '$all' ? tests.every(Boolean) : tests.some(Boolean)
    })
  if (results.length === 0) return true
  return rootKey === '$all' ? results.every(Boolean) : results.some(Boolean)
}

const SORT_KEYS: Record<string, (c: ModelContact) => string | number | null> = {
  id: (c) => c.id,
  surname: (c) => c.surname && fold(c.surname),
  firstname: (c) => c.firstname && fold(c.firstname),
  mail: (c) => c.mail && fold(c.mail),
  city: (c) => c.city && fold(c.city),
  birthdate: (c) => c.birthdate,
}
export const SORTABLE = Object.keys(SORT_KEYS)

/** Sorted by the key (no value = greater than every value), then id, both in the direction. */
export function sorted(contacts: ModelContact[], sortAttr = 'id', ascending = false): ModelContact[] {
  const key = SORT_KEYS[sortAttr]!
  const cmp = (a: ModelContact, b: ModelContact) => {
    const ka = key(a)
    const kb = key(b)
    if (ka !== kb) {
      if (ka === null) return 1
      if (kb === null) return -1
      return ka < kb ? -1 : 1
    }
    return a.id - b.id
  }
  return [...contacts].sort((a, b) => (ascending ? cmp(a, b) : -cmp(a, b)))
}
