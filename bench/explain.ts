// EXPLAIN (ANALYZE, BUFFERS) of every benchmark search, on a database a bench run kept (--keep):
//   npm run bench:explain -- --url postgres://…/carnet_bench_… [--only <regex>] [--space 1]
// Prints the statement of the page and of /kpi, then the plan, case by case.
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import { ensureForms } from '../src/bulk/generate.ts'
import { contactColumns } from '../src/contacts/contacts.repository.ts'
import { createDb } from '../src/db/connect.ts'
import { sortExpression } from '../src/search/order.ts'
import * as searchRepo from '../src/search/search.repository.ts'
import * as searches from '../src/search/search.service.ts'
import { searchCases } from './cases.ts'

const { values } = parseArgs({
  options: { url: { type: 'string' }, only: { type: 'string' }, space: { type: 'string', default: '1' } },
})
if (!values.url) throw new Error('--url <database url> is required')
const { db } = await createDb({ databaseUrl: values.url, dataDir: '', poolSize: 1 })
const tenant = { groupId: Number(values.space), apiKeyId: 0 }
const only = values.only ? new RegExp(values.only) : null
try {
  for (const c of searchCases(await ensureForms(db, tenant))) {
    if (only && !only.test(c.name)) continue
    const parsed = await searches.parseSearch(db, tenant, c.search)
    const direction = parsed.ascending ? sql`asc` : sql`desc`
    const page = searchRepo
      .matching(db, tenant, parsed.query, { limited: true })
      .select(contactColumns)
      .orderBy(sql`${sortExpression(parsed.sort)} ${direction}`)
      .orderBy(sql`"contact"."id" ${direction}`)
      .limit(parsed.perPage)
      .offset(parsed.page * parsed.perPage)
    for (const [label, compiled] of [
      ['page', page.compile()],
      ['kpi', searchRepo.countStatement(db, tenant, parsed.query)],
    ] as const) {
      if (label === 'kpi' && !c.kpi) continue
      const plan = await db.executeQuery({ ...compiled, sql: `explain (analyze, buffers) ${compiled.sql}` })
      console.log(`\n=== ${c.name} (${label}) params ${JSON.stringify(compiled.parameters)}`)
      console.log(compiled.sql)
      for (const row of plan.rows as { 'QUERY PLAN': string }[]) console.log(row['QUERY PLAN'])
    }
  }
} finally {
  await db.destroy()
}
