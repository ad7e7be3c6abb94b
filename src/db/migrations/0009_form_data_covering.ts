// Counting contacts by their answers (a level of support, a consent) needs only the answer's
// contact_id: with it in the index, PostgreSQL reads the answers from the index alone instead of
// visiting 14k heap pages (tags + support count at 1M contacts: ~400 → ~340 ms).
import { type Kysely, sql } from 'kysely'

const statements = [
  `drop index form_data_form`,
  `create index form_data_form on form_data (group_id, form_id, form_ref_id) include (contact_id)
     where deleted_at is null`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db)
}
