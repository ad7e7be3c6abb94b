// The city index carries the gender, so "the women of Nantes" is read from the index alone.
// A `/kpi` whose OR has a relation test counts each branch on its own (compile.ts, countSet):
// (Lyon and tagged donateur) or (Nantes and a woman), at 1M contacts, read the heap page of
// every Nantes contact to test her gender (26,500 pages, ~150 ms of a 165 ms count); with the
// gender in the index, 40–54 ms (psql, alternating with the one-pass count's 450–817 ms). The
// index grows from 43 to 51 MB at 1M contacts.
import { type Kysely, sql } from 'kysely'

const statements = [
  `create index contact_address_city_norm_gender on contact (group_id, address_city_norm, id) include (gender)`,
  `drop index contact_address_city_norm`,
  `alter index contact_address_city_norm_gender rename to contact_address_city_norm`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db)
}
