// Every operator of the search language in one table. A negated operator (`not_*`, `none_of`) is
// the NOT of its base, evaluated so that a contact with no value matches it (docs/search.md, Operators):
// `not coalesce(base, false)` on a column, `not exists (…)` on a relation.
import type { Attribute, ValueType } from './attributes.ts'

/** The positive test an operator is built on. */
export type Base =
  | 'eql'
  | 'strict'
  | 'ext'
  | 'contains'
  | 'start_with'
  | 'gte'
  | 'lte'
  | 'range'
  | 'any_of'
  | 'all_of'

/** What the condition must carry besides attr and ope. */
export type OperandKind = 'none' | 'value' | 'list' | 'range'

export interface OperatorDef {
  base: Base
  negated: boolean
  operand: OperandKind
}

const op = (base: Base, operand: OperandKind, negated = false): OperatorDef => ({ base, negated, operand })

export const OPERATORS = {
  eql: op('eql', 'value'),
  not_eql: op('eql', 'value', true),
  'eql:strictdata': op('strict', 'value'),
  'not_eql:strictdata': op('strict', 'value', true),
  ext: op('ext', 'none'),
  not_ext: op('ext', 'none', true),
  contains: op('contains', 'value'),
  not_contains: op('contains', 'value', true),
  start_with: op('start_with', 'value'),
  not_start_with: op('start_with', 'value', true),
  gte: op('gte', 'value'),
  lte: op('lte', 'value'),
  range: op('range', 'range'),
  any_of: op('any_of', 'list'),
  none_of: op('any_of', 'list', true),
  all_of: op('all_of', 'list'),
} as const satisfies Record<string, OperatorDef>

export type Ope = keyof typeof OPERATORS
export const OPE_NAMES = Object.keys(OPERATORS) as Ope[]

const EQUALITY: Ope[] = ['eql', 'not_eql', 'eql:strictdata', 'not_eql:strictdata', 'ext', 'not_ext']
const TEXT_ONLY: Ope[] = ['contains', 'not_contains', 'start_with', 'not_start_with']
const ORDERED: Ope[] = ['gte', 'lte', 'range']
const LISTS: Ope[] = ['any_of', 'none_of', 'all_of']

/** The operators that make sense on a value type (anything else is a 422 listing these). */
export const OPES_BY_TYPE: Record<ValueType, Ope[]> = {
  text: [...EQUALITY, ...TEXT_ONLY, ...ORDERED, ...LISTS],
  number: [...EQUALITY, ...ORDERED, ...LISTS],
  boolean: EQUALITY,
  date: [...EQUALITY, ...ORDERED],
  timestamp: [...EQUALITY, ...ORDERED],
}

/** Relations are sets of values: ordering a set of tags or notes means nothing. */
const RELATION_OPES: Record<ValueType, Ope[]> = {
  text: [...EQUALITY, ...TEXT_ONLY, ...LISTS],
  number: [...EQUALITY, ...LISTS],
  boolean: EQUALITY,
  date: [...EQUALITY, ...ORDERED],
  timestamp: [...EQUALITY, ...ORDERED],
}

/** Operators accepted by an attribute; for forms, once the form's type is known. */
export function opesFor(attr: Attribute, formType?: ValueType): Ope[] {
  if (attr.kind === 'column') return OPES_BY_TYPE[attr.type]
  if (attr.kind === 'relation') return RELATION_OPES[attr.type]
  return OPES_BY_TYPE[formType ?? 'text']
}
