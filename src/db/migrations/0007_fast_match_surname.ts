// The surname index of upsert's matching (0003) folded through f_unaccent, a SQL wrapper of the
// STABLE unaccent() that PostgreSQL can neither inline nor skip: it cost ~25 µs of the ~140 µs of
// each inserted contact (measured on 1M contacts, PostgreSQL 15). f_unaccent_dict (0002) gives
// the same text through unaccent's C function; src/upsert/match.repository.ts folds the same way.
import { type Kysely, sql } from 'kysely'

const statements = [
  `drop index contact_match_surname`,
  `create index contact_match_surname on contact
     (group_id, lower(f_unaccent_dict('public.unaccent'::regdictionary, btrim(surname))))
     where surname is not null`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db)
}
