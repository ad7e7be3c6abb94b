// Every text test on the city (contains, start_with, gte, lte, any_of… as well as eql) is now
// decided over the space's distinct cities (compile.ts, dictionaryTest), then the filter is
// `address_city_norm = any(<those>)`. The dictionary gets the trigram index `contains` needs;
// start_with, gte and lte use its primary key (collate "C"). The contact table's own trigram
// index on the city then serves nothing: dropped, one GIN index less to build on an import
// (~2 s of a 1M-contact load) and to keep on every write.
import { type Kysely, sql } from 'kysely'

const statements = [
  `create index contact_city_trgm on contact_city using gin (norm gin_trgm_ops)`,
  `drop index contact_address_city_trgm`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db)
}
