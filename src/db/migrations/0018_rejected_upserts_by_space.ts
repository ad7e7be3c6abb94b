// DELETE /contacts/{id} empties the payloads of the space's rejected upserts that name the person
// (upsert.repository forgetRejectedNaming): this index finds a space's rejected jobs without
// reading the whole queue.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index upsert_job_rejected on upsert_job (group_id) where status = 'rejected'`.execute(db)
}
