// The request's query → the typed tree of ast.ts. Every problem is collected with the JSON path
// of the node it is about and thrown as one 422 (docs/search.md, Errors: a condition at the root, a third
// level, an unknown key, attr or operator, an operator that does not fit, a bad value).
import { type ErrorDetail, errors } from '../shared/errors.ts'
import type { Condition, Group, Operand, Root, Scalar } from './ast.ts'
import { ATTRIBUTE_NAMES, ATTRIBUTES, type ValueType } from './attributes.ts'
import { parseDateValue } from './dates.ts'
import { OPE_NAMES, OPERATORS, type Ope, opesFor } from './operators.ts'

export const QUERY_PATH = 'body.data.advanced_search.query'
const GROUP_KEYS = ['$all', '$at_least_one'] as const
const CONDITION_KEYS = new Set(['attr', 'ope', 'value', 'from', 'to', 'form_id', 'form_ref_ids'])
export const LIMITS = {
  groups: 100,
  conditions: 100,
  listItems: 1000,
  textLength: 1000,
  /**
   * The whole query's conditions, and its values and form_ref_ids: each becomes a bound parameter
   * or a test of its own, and a statement may carry at most 65,535 parameters (past those, the
   * database refused the query: a 500), and 10,000 conditions kept a server busy for minutes.
   */
  queryConditions: 1000,
  queryValues: 10_000,
  /**
   * Tests of related rows (tags, forms, notes, interactions, actions; all_of makes one per value):
   * each is an EXISTS, and PostgreSQL plans those under an AND as joins, whose planning grows
   * faster than their number: 50 took 0.1 s, 100 up to 0.6 s, 1,000 several minutes.
   */
  relationTests: 100,
}

export interface ParseContext {
  now: Date
  /** Value type of each form the query names (from its `type`); an absent id is an unknown form. */
  formTypes: Map<number, ValueType>
}

type Json = Record<string, unknown>
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const show = (v: unknown) => JSON.stringify(v)

class Problems {
  readonly list: ErrorDetail[] = []
  add(location: string, message: string, value?: unknown): undefined {
    this.list.push({ location, message: `${location}: ${message}`, value })
    return undefined
  }
}

/** The group key of a node ($all | $at_least_one), or undefined when it has not exactly one. */
function groupKey(node: Json): (typeof GROUP_KEYS)[number] | undefined {
  const keys = Object.keys(node)
  return keys.length === 1 && GROUP_KEYS.includes(keys[0] as never) ? (keys[0] as never) : undefined
}

const kindOf = (key: string) => (key === '$all' ? 'all' : 'atLeastOne') as Root['kind']

/** Form ids named by the query (to look their types up before parsing); malformed nodes are skipped. */
export function formIdsOf(query: unknown): number[] {
  const ids = new Set<number>()
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk)
    else if (isObject(node)) {
      if (isObject(node.$condition) && Number.isSafeInteger(node.$condition.form_id))
        ids.add(node.$condition.form_id as number)
      for (const value of Object.values(node)) walk(value)
    }
  }
  walk(query)
  return [...ids]
}

/** Parses `query` (absent = every contact); throws a 422 listing every problem found. */
export function parseQuery(query: unknown, ctx: ParseContext): Root {
  const problems = new Problems()
  const root = parseRoot(query, ctx, problems)
  if (root) checkSize(root, problems)
  if (problems.list.length > 0 || !root) {
    const first = problems.list[0]?.message ?? 'invalid query'
    throw errors.invalid(`Invalid search: ${first}`, problems.list)
  }
  return root
}

function checkSize(root: Root, problems: Problems): void {
  const conditions = root.children.flatMap((group) => group.children)
  const values = conditions.reduce((sum, c) => sum + valueCount(c.operand), 0)
  if (conditions.length > LIMITS.queryConditions)
    problems.add(QUERY_PATH, `at most ${LIMITS.queryConditions} conditions in all, got ${conditions.length}`)
  if (values > LIMITS.queryValues)
    problems.add(QUERY_PATH, `at most ${LIMITS.queryValues} values and form_ref_ids in all, got ${values}`)
  const relationTests = conditions
    .filter((c) => c.attr.kind !== 'column')
    .reduce((sum, c) => sum + (OPERATORS[c.ope].base === 'all_of' ? valueCount(c.operand) : 1), 0)
  if (relationTests > LIMITS.relationTests)
    problems.add(
      QUERY_PATH,
      `at most ${LIMITS.relationTests} tests of tags, forms, notes, interactions and actions in all (all_of counts each value), got ${relationTests}`,
    )
}

function valueCount(operand: Operand): number {
  if (operand.kind === 'list') return operand.values.length
  if (operand.kind === 'refs') return operand.ids.length
  return operand.kind === 'range' ? 2 : operand.kind === 'value' ? 1 : 0
}

function parseRoot(query: unknown, ctx: ParseContext, problems: Problems): Root | undefined {
  if (query === undefined || query === null) return { kind: 'all', children: [] }
  const rootShape = 'the query must be {"$all":[groups]} or {"$at_least_one":[groups]}'
  if (!isObject(query)) return problems.add(QUERY_PATH, `${rootShape}, got ${show(query)}`, query)
  if ('$condition' in query)
    return problems.add(
      QUERY_PATH,
      'a $condition cannot sit at the root: put it in a group, as in {"$all":[{"$all":[{"$condition":{…}}]}]}',
      query,
    )
  const key = groupKey(query)
  if (!key) return problems.add(QUERY_PATH, `${rootShape}; found keys ${show(Object.keys(query))}`, query)
  const items = query[key]
  const path = `${QUERY_PATH}.${key}`
  if (!Array.isArray(items)) return problems.add(path, 'must be an array of groups', items)
  if (items.length > LIMITS.groups) return problems.add(path, `at most ${LIMITS.groups} groups`)
  const children = items.map((item, i) => parseGroup(item, `${path}[${i}]`, ctx, problems))
  return { kind: kindOf(key), children: children.filter((g): g is Group => g !== undefined) }
}

function parseGroup(node: unknown, path: string, ctx: ParseContext, problems: Problems): Group | undefined {
  const groupShape = 'a group must be {"$all":[conditions]} or {"$at_least_one":[conditions]}'
  if (!isObject(node)) return problems.add(path, `${groupShape}, got ${show(node)}`, node)
  if ('$condition' in node)
    return problems.add(
      path,
      'a $condition cannot sit at the root: the root holds groups, and groups hold conditions',
      node,
    )
  const key = groupKey(node)
  if (!key) return problems.add(path, `${groupShape}; found keys ${show(Object.keys(node))}`, node)
  const items = node[key]
  const listPath = `${path}.${key}`
  if (!Array.isArray(items)) return problems.add(listPath, 'must be an array of {"$condition":{…}}', items)
  if (items.length > LIMITS.conditions)
    return problems.add(listPath, `at most ${LIMITS.conditions} conditions`)
  const children: Condition[] = []
  for (const [i, item] of items.entries()) {
    const itemPath = `${listPath}[${i}]`
    if (isObject(item) && groupKey(item))
      problems.add(itemPath, 'a third level: groups hold only {"$condition":{…}}, never other groups', item)
    else if (!isObject(item) || Object.keys(item).length !== 1 || !isObject(item.$condition))
      problems.add(itemPath, 'expected {"$condition":{"attr":…,"ope":…,"value":…}}', item)
    else {
      const condition = parseCondition(item.$condition, itemPath, ctx, problems)
      if (condition) children.push(condition)
    }
  }
  return { kind: kindOf(key), children }
}

function parseCondition(c: Json, path: string, ctx: ParseContext, problems: Problems): Condition | undefined {
  const unknown = Object.keys(c).filter((k) => !CONDITION_KEYS.has(k))
  if (unknown.length > 0)
    return problems.add(
      path,
      `unknown key ${show(unknown[0])}; a condition has ${[...CONDITION_KEYS].join(', ')}`,
      c,
    )
  const attrName = c.attr
  if (typeof attrName !== 'string' || !Object.hasOwn(ATTRIBUTES, attrName))
    return problems.add(
      path,
      `unknown attr ${show(attrName)}; allowed: ${ATTRIBUTE_NAMES.join(', ')}`,
      attrName,
    )
  const attr = ATTRIBUTES[attrName]!
  if (typeof c.ope !== 'string' || !Object.hasOwn(OPERATORS, c.ope))
    return problems.add(path, `unknown ope ${show(c.ope)}; allowed: ${OPE_NAMES.join(', ')}`, c.ope)
  const ope = c.ope as Ope
  let type: ValueType = attr.kind === 'form' ? 'text' : attr.type
  let formId: number | undefined
  if (attr.kind === 'form') {
    if (!Number.isSafeInteger(c.form_id) || (c.form_id as number) < 0)
      return problems.add(path, `attr ${attrName} needs a form_id, the integer id of a form`, c.form_id)
    formId = c.form_id as number
    const formType = ctx.formTypes.get(formId)
    if (!formType) return problems.add(path, `form_id ${formId} is not a form of this space`, formId)
    type = formType
  }
  const allowed = opesFor(attr, type)
  if (!allowed.includes(ope))
    return problems.add(
      path,
      `ope ${ope} does not apply to attr ${attrName}; allowed: ${allowed.join(', ')}`,
      ope,
    )
  const operand = parseOperand(c, ope, type, attr.kind === 'form', path, ctx, problems)
  if (!operand) return undefined
  const condition: Condition = { kind: 'condition', attr, attrName, ope, type, operand, path }
  if (formId !== undefined) condition.formId = formId
  return condition
}

const REF_OPES = new Set<Ope>([
  'eql',
  'not_eql',
  'eql:strictdata',
  'not_eql:strictdata',
  'any_of',
  'none_of',
  'all_of',
])

function parseOperand(
  c: Json,
  ope: Ope,
  type: ValueType,
  isForm: boolean,
  path: string,
  ctx: ParseContext,
  problems: Problems,
): Operand | undefined {
  const kind = OPERATORS[ope].operand
  if (kind === 'none') return { kind: 'none' }
  if (isForm && REF_OPES.has(ope) && Array.isArray(c.form_ref_ids) && c.form_ref_ids.length > 0) {
    if (!c.form_ref_ids.every(Number.isSafeInteger))
      return problems.add(path, 'form_ref_ids must be a list of integer ids', c.form_ref_ids)
    if (c.form_ref_ids.length > LIMITS.listItems)
      return problems.add(path, `at most ${LIMITS.listItems} form_ref_ids`)
    return { kind: 'refs', ids: c.form_ref_ids as number[] }
  }
  const scalar = (v: unknown) => parseScalar(v, type, ctx)
  if (kind === 'value') {
    if (c.value === undefined || c.value === null) return problems.add(path, `ope ${ope} needs a value`)
    const value = scalar(c.value)
    return typeof value === 'string' ? problems.add(path, value, c.value) : { kind: 'value', value }
  }
  if (kind === 'range') {
    if (c.from === undefined || c.to === undefined) return problems.add(path, 'ope range needs from and to')
    const from = scalar(c.from)
    const to = scalar(c.to)
    if (typeof from === 'string') return problems.add(path, `from: ${from}`, c.from)
    if (typeof to === 'string') return problems.add(path, `to: ${to}`, c.to)
    return { kind: 'range', from, to }
  }
  const raw = typeof c.value === 'string' ? c.value.split(',').map((s) => s.trim()) : c.value
  if (!Array.isArray(raw) || raw.length === 0)
    return problems.add(
      path,
      `ope ${ope} needs value: a non-empty list (or a comma-separated string)`,
      c.value,
    )
  if (raw.length > LIMITS.listItems) return problems.add(path, `at most ${LIMITS.listItems} values`)
  const values: Scalar[] = []
  for (const item of raw) {
    const value = scalar(item)
    if (typeof value === 'string') return problems.add(path, value, item)
    values.push(value)
  }
  return { kind: 'list', values }
}

/** A value of the given type, or a message saying what is wrong with it. */
export function parseScalar(raw: unknown, type: ValueType, ctx: Pick<ParseContext, 'now'>): Scalar | string {
  if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean')
    return `value must be a string, got ${show(raw)}`
  const text = String(raw)
  if (text.length > LIMITS.textLength) return `value is longer than ${LIMITS.textLength} characters`
  switch (type) {
    case 'text':
      return { type, value: text }
    case 'number': {
      const n = text.trim() === '' ? Number.NaN : Number(text.trim())
      return Number.isFinite(n) ? { type, value: n } : `${show(raw)} is not a number`
    }
    case 'boolean': {
      const b = text.trim().toLowerCase()
      return b === 'true' || b === 'false'
        ? { type, value: b === 'true' }
        : `${show(raw)} is not "true" or "false"`
    }
    default: {
      const interval = parseDateValue(text.trim(), ctx.now)
      return typeof interval === 'string' ? interval : { type, value: interval }
    }
  }
}
