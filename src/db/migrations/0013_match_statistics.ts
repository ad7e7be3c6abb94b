// Upsert's matching lookups (src/upsert/match.repository.ts) at 1M contacts. PostgreSQL keeps no
// statistics for the expressions of a partial index, so `lower(btrim(mail)) = $1` was estimated
// at 0.5 % of the space (5,000 contacts): the planner walked the updated_at index backwards
// hoping to meet one early, and a match by mail read most of the table (533 ms). Statistics on
// the two folded expressions give the real estimate (one contact; 0.07 ms through
// contact_match_mail). The identity rule compares surname AND firstname: the surname index now
// ends with the folded firstname too, so a common surname (8,400 "Nicolas") is no longer read
// row by row (9.3 ms → one index probe), and both folded names get statistics.
import { type Kysely, sql } from 'kysely'

const fold = (column: string) => `lower(f_unaccent_dict('public.unaccent'::regdictionary, btrim(${column})))`

const statements = [
  `create statistics contact_match_mail_expr on (lower(btrim(mail))) from contact`,
  `create statistics contact_match_names_expr on (${fold('surname')}), (coalesce(${fold('firstname')}, ''))
     from contact`,
  `drop index contact_match_surname`,
  `create index contact_match_names on contact
     (group_id, ${fold('surname')}, coalesce(${fold('firstname')}, ''))
     where surname is not null`,
  `analyze contact`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db)
}
