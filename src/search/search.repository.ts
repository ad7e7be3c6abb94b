// The one query of a search: tenant scope first, then the compiled filter, then a stable order
// (the sort key, then id in the same direction, so pages never overlap) and the page.
import { sql } from 'kysely'
import { contactColumns } from '../contacts/contacts.repository.ts'
import type { Db } from '../db/database.ts'
import type { Tenant } from '../shared/tenant.ts'
import type { Root, Search } from './ast.ts'
import { compileRoot, sortExpression } from './compile.ts'

/** Contacts of the space matching the query: a Kysely query to select from, page or count. */
export function matching(db: Db, tenant: Tenant, query: Root) {
  return db
    .selectFrom('contact')
    .where('contact.group_id', '=', tenant.groupId)
    .where(compileRoot(query, tenant.groupId))
}

export function page(db: Db, tenant: Tenant, search: Search) {
  const direction = search.ascending ? sql`asc` : sql`desc`
  return matching(db, tenant, search.query)
    .select(contactColumns)
    .orderBy(sql`${sortExpression(search.sort)} ${direction}`)
    .orderBy(sql`"contact"."id" ${direction}`)
    .limit(search.perPage)
    .offset(search.page * search.perPage)
    .execute()
}

export async function count(db: Db, tenant: Tenant, query: Root): Promise<number> {
  const row = await matching(db, tenant, query)
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow()
  return Number(row.total)
}

/** One batch of matching contacts after `afterId`, in id order (exports walk the whole set). */
export function batchAfter(db: Db, tenant: Tenant, query: Root, afterId: number, size: number) {
  return matching(db, tenant, query)
    .select(contactColumns)
    .where('contact.id', '>', afterId)
    .orderBy('contact.id')
    .limit(size)
    .execute()
}
