// POST /search and /kpi: parse (after looking up the types of the forms the query names), run
// one query for the page, then the page's relations in a fixed number of queries.

import { loadRelations } from '../contacts/contacts.service.ts'
import type { ContactRow, Db } from '../db/database.ts'
import { loadForms } from '../forms/answers.service.ts'
import * as interactions from '../interactions/interactions.service.ts'
import { errors } from '../shared/errors.ts'
import type { Tenant } from '../shared/tenant.ts'
import type { Condition, Root, Search } from './ast.ts'
import { SORTS, type ValueType } from './attributes.ts'
import { dictionaryTest, tagNameTests } from './compile.ts'
import { CountCache } from './count-cache.ts'
import { KeysetCache } from './keyset.ts'
import { formIdsOf, parseQuery } from './parse.ts'
import { toSearchContact } from './search.mapping.ts'
import * as repo from './search.repository.ts'
import type { AdvancedSearch, SearchContact } from './search.schema.ts'

const FORM_VALUE_TYPES: Record<string, ValueType> = { numeric: 'number', date: 'timestamp' }

/** Parses a query tree (absent = every contact); 422 with JSON paths when it is not valid. */
export async function parseQueryOf(db: Db, tenant: Tenant, query: unknown, now = new Date()): Promise<Root> {
  const root = await parseOne(db, tenant, query, now)
  if (tenant.scope === undefined) return root
  return { ...root, scope: await parseOne(db, tenant, tenant.scope, now) }
}

async function parseOne(db: Db, tenant: Tenant, query: unknown, now: Date): Promise<Root> {
  const forms = await loadForms(db, tenant, formIdsOf(query))
  const formTypes = new Map([...forms.values()].map((f) => [f.id, FORM_VALUE_TYPES[f.type] ?? 'text']))
  return resolveLookups(db, tenant, parseQuery(query, { now, formTypes }))
}

/** 404 unless the contact is one the caller may see (always, for a caller without a scope). */
export async function requireInScope(db: Db, tenant: Tenant, contactId: number): Promise<void> {
  if (tenant.scope === undefined) return
  const scope = await parseOne(db, tenant, tenant.scope, new Date())
  const found = await repo
    .matching(db, tenant, scope)
    .select('contact.id')
    .where('contact.id', '=', contactId)
    .executeTakeFirst()
  if (!found) throw errors.notFound('Contact', contactId)
}

/**
 * Some conditions are looked up first, so that the filter holds constants the planner can weigh:
 * - tags conditions name tags: their ids;
 * - text tests on the city: the space's cities that pass the same test (compile.ts,
 *   dictionaryTest), then a btree on the city serves the filter (BENCHMARKS.md).
 * One statement for each kind present in the query, both sent at once.
 */
async function resolveLookups(db: Db, tenant: Tenant, root: Root): Promise<Root> {
  const conditions = root.children.flatMap((g) => g.children)
  const tags = conditions.filter(isTags)
  const tests = tags.map(tagNameTests)
  const lookedUp = conditions.flatMap((c) => {
    const test = dictionaryTest(c)
    return test ? [{ c, test }] : []
  })
  const [passing, values] = await Promise.all([
    repo.tagIdsPassing(db, tenant, tests.flat()),
    repo.dictionaryValuesPassing(
      db,
      tenant,
      lookedUp.map((l) => l.test),
    ),
  ])
  const tagIds = new Map<Condition, number[][]>()
  for (const [i, c] of tags.entries()) tagIds.set(c, passing.splice(0, tests[i]!.length))
  const norms = new Map(lookedUp.map((l, i) => [l.c, values[i]!]))

  const resolve = (c: Condition): Condition => {
    const ids = tagIds.get(c)
    if (ids) return { ...c, tagIds: ids }
    const found = norms.get(c)
    return found ? { ...c, norms: found } : c
  }
  return { ...root, children: root.children.map((g) => ({ ...g, children: g.children.map(resolve) })) }
}

const isTags = (c: Condition) => c.attr.kind === 'relation' && c.attr.relation === 'tags'

/** The whole `advanced_search` object → a Search (paging defaults: page 0, 1000 per page, id desc). */
export async function parseSearch(
  db: Db,
  tenant: Tenant,
  input: AdvancedSearch,
  now = new Date(),
): Promise<Search> {
  return {
    query: await parseQueryOf(db, tenant, input.query, now),
    page: input.page ?? 0,
    perPage: input.per_page ?? 1000,
    sort: SORTS[input.sort_attr ?? 'id']!,
    ascending: input.sort_asc ?? false,
    includeInteractions: input.include_interactions ?? false,
  }
}

const keysets = new KeysetCache()

/** The rows of the page: a keyset seek when the previous page was served, else OFFSET. */
async function pageRows(db: Db, tenant: Tenant, input: AdvancedSearch, parsed: Search) {
  const where = {
    groupId: tenant.groupId,
    // a scoped user's pages are not another's: the scope is part of where a page ends
    shape: [input.query ?? null, tenant.scope ?? null, parsed.sort, parsed.ascending, parsed.perPage],
    page: parsed.page,
  }
  const rows = await repo.page(db, tenant, parsed, keysets.before(where))
  const last = rows.at(-1)
  if (last && rows.length === parsed.perPage) keysets.remember(where, { key: last.sort_key, id: last.id })
  return rows
}

export async function search(db: Db, tenant: Tenant, input: AdvancedSearch): Promise<SearchContact[]> {
  const parsed = await parseSearch(db, tenant, input)
  const rows = await pageRows(db, tenant, input, parsed)
  const ids = rows.map((row) => row.id)
  const [relations, history] = await Promise.all([
    loadRelations(db, tenant, ids),
    parsed.includeInteractions ? interactions.listForContacts(db, tenant, ids) : undefined,
  ])
  return rows.map((row) =>
    toSearchContact(row, relations.get(row.id)!, history && (history.get(row.id) ?? [])),
  )
}

/** /kpi. With `counts`, a count is answered from memory while the database is unchanged. */
export async function kpi(db: Db, tenant: Tenant, query: unknown, counts?: CountCache): Promise<number> {
  const statement = repo.countStatement(db, tenant, await parseQueryOf(db, tenant, query))
  if (!counts) return (await repo.runCount(db, statement)).total
  const key = CountCache.key(statement)
  const known = counts.get(key)
  if (known && known.snapshot === (await repo.currentSnapshot(db))) return known.total
  const counted = await repo.runCount(db, statement)
  counts.set(key, counted)
  return counted.total
}

/**
 * Every contact row matching a parsed query, in batches of `size` in id order (keyset, so a
 * walk over millions of rows stays linear). For exports: `for await (const rows of …)`.
 */
export async function* matchingBatches(
  db: Db,
  tenant: Tenant,
  query: Root,
  size = 1000,
): AsyncGenerator<ContactRow[]> {
  let after = -1
  for (;;) {
    const rows = await repo.batchAfter(db, tenant, query, after, size)
    if (rows.length > 0) yield rows
    if (rows.length < size) return
    after = rows.at(-1)!.id
  }
}

export { matching } from './search.repository.ts'
