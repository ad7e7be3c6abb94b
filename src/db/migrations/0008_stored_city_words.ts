// The words of the city, as `eql` matches them, stored (stripped of positions: ~20 bytes a row).
// Where the word index cannot answer alone (one branch of an $at_least_one, a page walked along
// the primary key), PostgreSQL evaluated to_tsvector(regexp_replace(city)) on every row it
// visited: 600 of the 880 ms of a two-group OR count at 1M contacts. City is what campaigns cut
// their base by; the other word-indexed fields keep the expression index of migration 0002.
import { type Kysely, sql } from 'kysely'

// the expression of 0002's contact_address_city_words over address_city_norm, written from the
// base column (a generated column cannot read another one): same fold, same collation, same split
const statements = [
  `alter table contact add column address_city_words tsvector generated always as (
     strip(to_tsvector('simple'::regconfig, regexp_replace(
       (lower(f_unaccent_dict('public.unaccent'::regdictionary, address_city)) collate "C"),
       '[[:space:][:punct:]]+', ' ', 'g')))) stored`,
  `drop index contact_address_city_words`,
  `create index contact_address_city_words on contact using gin (address_city_words)`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db)
}
