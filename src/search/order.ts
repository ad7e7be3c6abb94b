// Order and keyset seeks: sort attributes → ORDER BY expressions, and "the rows after this one"
// for sequential pages (keyset.ts).
import { type RawBuilder, type SqlBool, sql } from 'kysely'
import type { Condition, Root } from './ast.ts'
import type { ColumnAttribute } from './attributes.ts'
import { columnField, exactTest } from './compile.ts'

type Sql = RawBuilder<unknown>
type Bool = RawBuilder<SqlBool>

/** The ORDER BY expression of a sort attribute (texts in their normalised, "C"-collated form). */
export function sortExpression(attr: ColumnAttribute): Sql {
  const field = columnField(attr)
  return attr.type === 'text' ? field.norm : field.raw
}

/** A position in a sorted result: the sort key and id of the last row served. */
export interface SeekPosition {
  key: string | number | null
  id: number
}

/**
 * Rows after `last` in the order `sortExpression(attr) asc|desc, id asc|desc` (PostgreSQL puts
 * NULLs last ascending, first descending): page n+1 as a keyset seek instead of an OFFSET.
 * Two segments, each an index range scan: `first`, then (when it runs short) `next`; one OR
 * of both would lose the ordered index scan.
 */
export function after(
  attr: ColumnAttribute,
  ascending: boolean,
  last: SeekPosition,
): { first: Bool; next?: Bool } {
  const expr = sortExpression(attr)
  const id = sql.ref('contact.id')
  const cmp = sql.raw(ascending ? '>' : '<')
  const sameKeyAfter = sql<SqlBool>`(${expr} is null and ${id} ${cmp} ${last.id}::bigint)`
  if (attr.column === 'id') return { first: sql`${id} ${cmp} ${last.id}::bigint` }
  if (last.key === null)
    return ascending ? { first: sameKeyAfter } : { first: sameKeyAfter, next: sql`${expr} is not null` }
  const seek = sql<SqlBool>`(${expr}, ${id}) ${cmp} (${sortParameter(attr, last.key)}, ${last.id}::bigint)`
  return ascending ? { first: seek, next: sql`${expr} is null` } : { first: seek }
}

function sortParameter(attr: ColumnAttribute, key: string | number): Sql {
  switch (attr.type) {
    case 'text':
      return sql`(${key}::text collate "C")`
    case 'date':
      return sql`${key}::date`
    case 'timestamp':
      return sql`${key}::timestamptz`
    default:
      return sql`${key}::bigint`
  }
}

/** A positive `eql` on a text column of the contact row (relations such as tags do not rank). */
const ranks = (c: Condition): c is Condition & { attr: ColumnAttribute } =>
  c.ope === 'eql' && c.attr.kind === 'column' && c.attr.type === 'text' && c.operand.kind === 'value'

/**
 * Without `sort_attr`, contacts whose field equals the value of one of the query's `eql`
 * conditions (whole field, folded as `eql` folds) come before the other matches: the test a
 * contact must pass to rank first, or null when the query has no such condition (then the
 * order is `id` alone).
 */
export function exactRank(query: Root): Bool | null {
  const tests = query.children
    .flatMap((g) => g.children)
    .filter(ranks)
    .flatMap((c) =>
      c.operand.kind === 'value' && c.operand.value.type === 'text'
        ? [opaqueIf(c.norms !== undefined, exactTest(c.attr, c.operand.value.value))]
        : [],
    )
  return tests.length === 0 ? null : sql<SqlBool>`(${sql.join(tests, sql` or `)})`
}

/**
 * The exact test is left bare so that a btree on the stored norm finds the exact matches (a
 * mail). When the filter already is an equality on the same norm (a column with a dictionary,
 * whose values were looked up), the planner would take the two for independent, underestimate
 * the exact matches and sort every match instead of walking the id index; coalesce hides the
 * test from its estimates.
 */
const opaqueIf = (opaque: boolean, test: Bool): Bool => (opaque ? sql`coalesce(${test}, false)` : test)
