// The typed tree a search becomes once parsed: every attr resolved against the registry, every
// value parsed to its type. compile.ts turns it into SQL; nothing in it is raw user text that
// could reach SQL other than as a bound parameter.
import type { Attribute, ColumnAttribute, ValueType } from './attributes.ts'
import type { Interval } from './dates.ts'
import type { Ope } from './operators.ts'

/** A single parsed value: its type follows the attribute's (or the form's) value type. */
export type Scalar =
  | { type: 'text'; value: string }
  | { type: 'number'; value: number }
  | { type: 'boolean'; value: boolean }
  | { type: 'date' | 'timestamp'; value: Interval }

export type Operand =
  | { kind: 'none' }
  | { kind: 'value'; value: Scalar }
  | { kind: 'list'; values: Scalar[] }
  | { kind: 'range'; from: Scalar; to: Scalar }
  /** form conditions naming refvalues: has / has not an answer whose form_ref_id is listed */
  | { kind: 'refs'; ids: number[] }

export interface Condition {
  kind: 'condition'
  attr: Attribute
  /** the public name, for messages */
  attrName: string
  ope: Ope
  /** type the values are compared as (a form's type for form conditions) */
  type: ValueType
  operand: Operand
  formId?: number
  /**
   * Tags conditions, once search.service has looked them up: the ids of the space's tags that
   * pass each positive test (one list per test; all_of has one test per listed value).
   */
  tagIds?: number[][]
  /**
   * A text test on a column with a dictionary (city), once search.service has looked it up:
   * the space's normalised values that pass the test (compile.ts, dictionaryTest).
   */
  norms?: string[]
  /** JSON path of the node, e.g. body.data.advanced_search.query.$all[0].$all[1] */
  path: string
}

export interface Group {
  kind: 'all' | 'atLeastOne'
  children: Condition[]
}

export interface Root {
  kind: 'all' | 'atLeastOne'
  children: Group[]
  /** the caller's scope (a user limited to some contacts): ANDed with the whole query */
  scope?: Root
}

export interface Search {
  query: Root
  page: number
  perPage: number
  sort: ColumnAttribute
  ascending: boolean
  /** no `sort_attr` was given: exact `eql` matches come first (order.ts, exactRank) */
  ranked: boolean
  includeInteractions: boolean
}
