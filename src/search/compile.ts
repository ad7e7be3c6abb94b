// The typed tree → one SQL boolean expression over the `contact` row. Columns come only from the
// registry (attributes.ts); user values are always bound parameters. Text compares on
// lower(f_unaccent(x)) in collation "C" (the stored `*_norm` columns when there are some, so the
// indexes of migration 0002 serve); relations are EXISTS subqueries, so a contact never appears
// twice. NULL rule (docs/search.md, Operators): a negated operator is NOT coalesce(base, false) on a column
// and NOT EXISTS on a relation, so a contact with no value matches every `not_*`.
import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely'
import type { Condition, Group, Root, Scalar } from './ast.ts'
import type { ColumnAttribute } from './attributes.ts'
import { type Interval, isMidnight, toDay, toIso } from './dates.ts'
import { OPERATORS } from './operators.ts'

type Sql = RawBuilder<unknown>
type Bool = RawBuilder<SqlBool>

const TRUE = sql<SqlBool>`true`
const FALSE = sql<SqlBool>`false`

/** The expressions a value is compared through: as stored, normalised, as words (for `eql`). */
interface Field {
  raw: Sql
  norm: Sql
  /** the norm is a stored (indexed) column */
  stored?: boolean
  /** 'date' columns compare by calendar day, other dates as instants */
  dateColumn?: boolean
  /** every value the column can hold besides null (attributes.ts) */
  vocabulary?: readonly string[] | undefined
  /** wordsOf(norm), stored and indexed (a dictionary's `words`) */
  words?: Sql
}

/** The folded text, as migration 0002 stores it in the `*_norm` columns. */
const normOf = (expr: Sql): Sql =>
  sql`(lower(f_unaccent_dict('public.unaccent'::regdictionary, ${expr})) collate "C")`
/** Same text as migration 0002's word indexes: punctuation and spaces split words. */
const wordsOf = (norm: Sql): Sql =>
  sql`to_tsvector('simple'::regconfig, regexp_replace(${norm}, '[[:space:][:punct:]]+', ' ', 'g'))`
/** Every word of the value, each as a prefix: 'jean pierre' → 'jean':* & 'pierre':* (no word → null). */
const prefixQuery = (value: string): Sql =>
  sql`to_tsquery('simple'::regconfig, nullif(replace(strip(${wordsOf(normOf(sql`${value}`))})::text, ''' ''', ''':* & '''), '') || ':*')`
const likeEscape = (value: string) => value.replace(/[\\%_]/g, '\\$&')

/** A registry column of the contact row (the only way a column name reaches SQL). */
export function columnField(attr: ColumnAttribute): Field {
  const raw = sql.ref(`contact.${attr.column}`)
  return {
    raw,
    norm: attr.norm ? sql.ref(`contact.${attr.norm}`) : normOf(raw),
    stored: attr.norm !== undefined,
    dateColumn: attr.type === 'date',
    vocabulary: attr.vocabulary,
  }
}

/**
 * A text test over a column with a closed vocabulary, decided once for each of its few values
 * rather than once per contact: `gender = any(<the values that pass>)`, the same test (the
 * words expression of `eql` is costly enough per row to dominate a count over every contact).
 * PostgreSQL runs the subquery once (an InitPlan).
 */
function vocabularyTest(field: Field & { vocabulary: readonly string[] }, base: string, v: string): Bool {
  const value = sql`vocabulary.v`
  const passing = textTest({ raw: value, norm: normOf(value) }, base, v)
  return sql`${field.raw} = any(array(select vocabulary.v from unnest(${field.vocabulary}::text[]) as vocabulary(v) where ${passing}))`
}

function textTest(field: Field, base: string, v: string): Bool {
  if (field.vocabulary && base !== 'strict')
    return vocabularyTest({ ...field, vocabulary: field.vocabulary }, base, v)
  switch (base) {
    case 'eql':
      return sql`${field.words ?? wordsOf(field.norm)} @@ ${prefixQuery(v)}`
    case 'strict':
      // the folded equality is implied by the exact one; it lets a btree on the norm serve
      return field.stored
        ? sql`(${field.raw} = ${v} and ${field.norm} = ${normOf(sql`${v}`)})`
        : sql`${field.raw} = ${v}`
    case 'contains':
      return sql`${field.norm} like ('%' || ${normOf(sql`${likeEscape(v)}`)} || '%')`
    case 'start_with':
      return sql`${field.norm} like (${normOf(sql`${likeEscape(v)}`)} || '%')`
    case 'gte':
      return sql`${field.norm} >= ${normOf(sql`${v}`)}`
    case 'lte':
      return sql`${field.norm} <= ${normOf(sql`${v}`)}`
    default: // any_of / all_of items: whole values, case- and accent-insensitive
      return sql`${field.norm} = ${normOf(sql`${v}`)}`
  }
}

/** One comparison of an instant column with a date interval (gte rounds down, lte rounds up). */
function dateTest(field: Field, base: string, i: Interval): Bool {
  const cmp = (op: '>=' | '<' | '<=' | '=', at: number): Bool => {
    if (!field.dateColumn) return sql`${field.raw} ${sql.raw(op)} ${toIso(at)}::timestamptz`
    // a date column holds midnights: compare whole days, keeping the column indexable
    if (op === '=') return isMidnight(at) ? sql`${field.raw} = ${toDay(at, 'down')}::date` : FALSE
    const day = toDay(at, op === '<=' ? 'down' : 'up')
    return sql`${field.raw} ${sql.raw(op)} ${day}::date`
  }
  const gte = cmp('>=', i.lo)
  const lte = i.hi === null ? cmp('<=', i.lo) : cmp('<', i.hi)
  if (base === 'gte') return gte
  if (base === 'lte') return lte
  return i.hi === null ? cmp('=', i.lo) : sql`(${gte} and ${lte})`
}

/** The positive test of `base` against one value. */
function test(field: Field, base: string, value: Scalar): Bool {
  switch (value.type) {
    case 'text':
      return textTest(field, base, value.value)
    case 'date':
    case 'timestamp':
      return dateTest(field, base, value.value)
    case 'boolean':
      return sql`${field.raw} = ${value.value}`
    default: {
      const op = base === 'gte' ? '>=' : base === 'lte' ? '<=' : '='
      // typed explicitly: an inferred int4/int8 parameter would reject 2.5 or a huge number
      const n = Number.isSafeInteger(value.value)
        ? sql`${value.value}::bigint`
        : sql`${value.value}::double precision`
      return sql`${field.raw} ${sql.raw(op)} ${n}`
    }
  }
}

const and = (parts: Bool[]): Bool => (parts.length === 0 ? TRUE : sql`(${sql.join(parts, sql` and `)})`)
const or = (parts: Bool[]): Bool => (parts.length === 0 ? FALSE : sql`(${sql.join(parts, sql` or `)})`)

/** The positive form of a condition, as tests over `field`; all_of gives one test per item. */
function positive(c: Condition, field: Field): Bool[] {
  const { base } = OPERATORS[c.ope]
  const o = c.operand
  switch (o.kind) {
    case 'none':
      if (c.attr.kind === 'form') return [TRUE]
      return [
        c.type === 'text'
          ? sql`(${field.raw} is not null and ${field.raw} <> '')`
          : sql`${field.raw} is not null`,
      ]
    case 'value':
      return [test(field, base, o.value)]
    case 'range': {
      const from = test(field, 'gte', o.from)
      return [sql`(${from} and ${test(field, 'lte', o.to)})`]
    }
    case 'list': {
      const items = o.values.map((v) => test(field, base, v))
      return base === 'all_of' ? items : [or(items)]
    }
    case 'refs': {
      const items = o.ids.map((id) => sql<SqlBool>`fd.form_ref_id = ${id}`)
      return base === 'all_of' ? items : [sql`fd.form_ref_id in (${sql.join(o.ids)})`]
    }
  }
}

/**
 * How a relation test is probed. Under an OR, PostgreSQL cannot join an EXISTS: it either hashes
 * every matching relation row of the space once (best for a count) or probes the index for each
 * contact it reads (best for a page, which stops after 100 rows). It hashed for pages too, and
 * the hash alone was most of such a page's time; probed, the page is several times faster
 * (BENCHMARKS.md). `offset 0` keeps PostgreSQL from turning the EXISTS
 * into the hashed form; it is added only under an OR of a limited statement.
 */
export interface Probing {
  /** the statement returns a page or a batch (ORDER BY … LIMIT), not a count */
  limited: boolean
  /** the condition sits under an OR of more than one branch */
  underOr: boolean
}

const NO_PROBING: Probing = { limited: false, underOr: false }

/**
 * The rows of one relation table that pass a test, in one space: `from` (the table aliased
 * `alias`, with its join), and `where` beyond the space. A condition probes them per contact
 * (EXISTS) or, in a count, takes them as a set of contact ids (countSet).
 */
interface RelationRows {
  from: Sql
  alias: 'x' | 'fd'
  where: Bool
}

/** EXISTS a row of `rows` for the contact. */
function existsIn(rows: RelationRows, groupId: number, probing: Probing): Bool {
  const fence = probing.limited && probing.underOr ? sql` offset 0` : sql``
  const a = sql.raw(rows.alias)
  return sql`exists (select 1 from ${rows.from} where ${a}.group_id = ${groupId} and ${a}.contact_id = "contact"."id" and ${rows.where}${fence})`
}

/** The contact ids of `rows` (with repeats: a contact may hold several such rows). */
function contactIdsOf(rows: RelationRows, groupId: number): Sql {
  const a = sql.raw(rows.alias)
  return sql`select ${a}.contact_id from ${rows.from} where ${a}.group_id = ${groupId} and ${rows.where}`
}

/** The rows of a relation holding a value that passes `test`. */
function rowsPassing(c: Condition, test: Bool): RelationRows {
  const attr = c.attr
  if (attr.kind === 'form')
    return {
      from: sql`form_data fd`,
      alias: 'fd',
      where: sql`fd.form_id = ${c.formId!} and fd.deleted_at is null and ${test}`,
    }
  if (attr.kind !== 'relation') throw new Error('not a relation')
  const from = {
    tags: sql`contact_tag x join tag t on t.group_id = x.group_id and t.id = x.tag_id`,
    actions: sql`contact_action x`,
    notes: sql`note x`,
    interactions: sql`interaction x`,
  }[attr.relation]
  return { from, alias: 'x', where: test }
}

const FORM_NUMBER = sql`(case when fd.data ~ '^\\s*[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*$' then fd.data::double precision end)`
const FORM_INSTANT = sql`(case when fd.data ~ '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z$' then fd.data::timestamptz end)`

function relationField(c: Condition): Field {
  if (c.attr.kind === 'form') {
    if (c.type === 'number') return { raw: FORM_NUMBER, norm: FORM_NUMBER }
    if (c.type === 'timestamp') return { raw: FORM_INSTANT, norm: FORM_INSTANT }
    return { raw: sql`fd.data`, norm: normOf(sql`fd.data`) }
  }
  if (c.attr.kind !== 'relation') throw new Error('not a relation')
  const raw = c.attr.relation === 'tags' ? sql.ref(`t.${c.attr.column}`) : sql.ref(`x.${c.attr.column}`)
  return { raw, norm: normOf(raw) }
}

/** A tags condition's positive tests over the tag row `t`, one per test (search.service resolves them). */
export function tagNameTests(c: Condition): Bool[] {
  return positive(c, relationField(c))
}

/** The links to one of these tags (ids resolved beforehand: the planner sees constants). */
const linkedTo = (tagIds: number[]): RelationRows => ({
  from: sql`contact_tag x`,
  alias: 'x',
  where: sql`x.tag_id = any(${tagIds}::int8[])`,
})

/** A positive relation condition's row sets, one per test: a contact must have a row in each. */
function relationRowsOf(c: Condition): RelationRows[] {
  // all_of on a relation: one related row per listed value, not one row holding them all
  if (c.tagIds) return c.tagIds.map(linkedTo)
  return positive(c, relationField(c)).map((t) => rowsPassing(c, t))
}

/** A row `d` of a dictionary: its folded value and that value's words (migration 0010). */
const DICTIONARY_ROW: Field = { raw: sql.ref('d.norm'), norm: sql.ref('d.norm'), words: sql.ref('d.words') }

/**
 * The dictionary (attributes.ts, migrations 0010 and 0012) a condition looks its values up in
 * first, and the test over its row `d`: a text test on a column with a dictionary. Every text
 * test but `eql:strictdata` reads only the folded value, so the same test over the space's
 * distinct values tells which of them pass, and the filter becomes `norm = any(<those>)`.
 * Else null.
 */
export function dictionaryTest(c: Condition): DictionaryTest | null {
  if (c.attr.kind !== 'column' || !c.attr.dictionary) return null
  const { base } = OPERATORS[c.ope]
  const o = c.operand
  const texts =
    o.kind === 'value' ? [o.value] : o.kind === 'list' ? o.values : o.kind === 'range' ? [o.from, o.to] : []
  if (base === 'strict' || texts.length === 0 || texts.some((v) => v.type !== 'text')) return null
  return { table: c.attr.dictionary, test: and(positive(c, DICTIONARY_ROW)) }
}

export interface DictionaryTest {
  table: NonNullable<ColumnAttribute['dictionary']>
  test: Bool
}

/** One condition → a boolean over the contact row. */
export function compileCondition(c: Condition, groupId: number, probing: Probing = NO_PROBING): Bool {
  const { negated } = OPERATORS[c.ope]
  if (c.attr.kind === 'column') {
    const field = columnField(c.attr)
    // the dictionary's values that passed, as constants: the planner sees how common they are
    const test = c.norms ? sql<SqlBool>`${field.norm} = any(${c.norms}::text[])` : and(positive(c, field))
    return negated ? sql`not coalesce(${test}, false)` : test
  }
  const found = and(relationRowsOf(c).map((rows) => existsIn(rows, groupId, probing)))
  return negated ? sql`not ${found}` : found
}

function compileGroup(group: Group, groupId: number, probing: Probing): Bool {
  const underOr = probing.underOr || (group.kind !== 'all' && group.children.length > 1)
  const parts = group.children.map((c) => compileCondition(c, groupId, { ...probing, underOr }))
  return group.kind === 'all' ? and(parts) : or(parts)
}

/**
 * The whole query. Empty groups are neutral (docs/search.md): they are left out, and a root
 * with nothing left matches every contact, whether it is $all or $at_least_one.
 */
export function compileRoot(root: Root, groupId: number, { limited = false } = {}): Expression<SqlBool> {
  return compileWhole(root, groupId, limited)
}

function compileWhole(root: Root, groupId: number, limited: boolean): Bool {
  const kept = root.children.filter((g) => g.children.length > 0)
  const underOr = root.kind !== 'all' && kept.length > 1
  const groups = kept.map((g) => compileGroup(g, groupId, { limited, underOr }))
  const query = groups.length === 0 ? TRUE : root.kind === 'all' ? and(groups) : or(groups)
  return root.scope ? and([query, compileWhole(root.scope, groupId, limited)]) : query
}

/** Contact ids as a statement; `distinct` when it never repeats an id. */
export interface IdSet {
  ids: Sql
  distinct: boolean
}

const isRelation = (c: Condition) => c.attr.kind !== 'column'
const isPositiveRelation = (c: Condition) => isRelation(c) && !OPERATORS[c.ope].negated

function combine(kind: 'all' | 'atLeastOne', parts: IdSet[]): IdSet {
  if (parts.length === 1) return parts[0]!
  const ids = sql.join(
    parts.map((p) => sql`(${p.ids})`),
    kind === 'all' ? sql` intersect ` : sql` union `,
  )
  return { ids, distinct: true }
}

/** The contact ids of a positive relation condition's rows (one set per test, intersected). */
const idsOfRelation = (c: Condition, groupId: number): IdSet =>
  combine(
    'all',
    relationRowsOf(c).map((rows) => ({ ids: contactIdsOf(rows, groupId), distinct: false })),
  )

/**
 * The contacts passing every one of `conditions`. Positive relation tests alone: their contact
 * ids intersected, without the contact table. Otherwise one scan of the contacts, as a search
 * compiles it: PostgreSQL plans each EXISTS of an AND as a semi-join (a hash of a common tag's
 * holders, an index probe per holder of a rare one).
 */
function idsOfAll(conditions: Condition[], groupId: number): IdSet {
  if (conditions.every(isPositiveRelation))
    return combine(
      'all',
      conditions.map((c) => idsOfRelation(c, groupId)),
    )
  const test = and(conditions.map((c) => compileCondition(c, groupId)))
  return {
    ids: sql`select "contact"."id" from "contact" where "contact"."group_id" = ${groupId} and ${test}`,
    distinct: true,
  }
}

/**
 * The ids a count counts, as one set expression, when that beats one pass over the contacts;
 * else null. Two shapes:
 * - only positive relation tests (tags, form answers, actions, notes, interactions: "tagged
 *   bénévole and favourable"): AND intersects, OR unites the contact ids of each test's rows.
 *   Every relation row has its contact (foreign keys with cascade), so the count needs neither
 *   the contact table nor its heap.
 * - an OR whose branches hold a relation test: under an OR, PostgreSQL cannot join an EXISTS,
 *   so one pass reads the heap row of every contact any branch's index finds and probes the
 *   rest there. Each branch (a group of the root's OR, or a condition of a lone OR group)
 *   counted on its own plans its own joins and index-only scans, and the branches are united
 *   (docs/architecture.md, Counts as sets of ids; measured in BENCHMARKS.md).
 */
export function countSet(root: Root, groupId: number): IdSet | null {
  if (root.scope) return null
  const groups = root.children.filter((g) => g.children.length > 0)
  const conditions = groups.flatMap((g) => g.children)
  if (groups.length === 0) return null
  if (conditions.every(isPositiveRelation))
    return combine(
      root.kind,
      groups.map((g) =>
        combine(
          g.kind,
          g.children.map((c) => idsOfRelation(c, groupId)),
        ),
      ),
    )
  if (!conditions.some(isRelation)) return null
  const branchesOf = (g: Group) => (g.kind === 'all' ? [g.children] : g.children.map((c) => [c]))
  const branches =
    groups.length === 1
      ? branchesOf(groups[0]!)
      : root.kind === 'atLeastOne'
        ? groups.flatMap(branchesOf)
        : []
  if (branches.length < 2) return null
  return combine(
    'atLeastOne',
    branches.map((b) => idsOfAll(b, groupId)),
  )
}
