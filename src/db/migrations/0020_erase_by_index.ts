// Erasing a contact (DELETE /contacts/{id}) deletes its form answers by foreign-key cascade, and
// PostgreSQL finds them with `group_id = $1 and contact_id = $2`, soft-deleted answers included.
// The only index by contact covered live answers alone (`where deleted_at is null`), so each
// erasure read the whole table. The index now covers every answer; reads of live answers use it
// as well (the soft-deleted rows are filtered out on the row).
import { type Kysely, sql } from 'kysely'

const statements = [
  `create index form_data_contact_every on form_data (group_id, contact_id)`,
  `drop index form_data_contact`,
  `alter index form_data_contact_every rename to form_data_contact`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db)
}
