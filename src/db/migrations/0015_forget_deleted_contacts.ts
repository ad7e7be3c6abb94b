// DELETE /contacts/{id} leaves nothing personal (docs/api.md, Contacts), also outside the contact's own
// tables: the answers kept for Idempotency-Key replays (a POST or PATCH answer is the whole
// contact, kept 24 h) and the payloads of the upserts applied to it (kept 7 days). Both are found
// by the contact's id: a column for the saved answers (filled from the answer), and an index for
// the jobs, which already record it.
import { type Kysely, sql } from 'kysely'

const statements = [
  `alter table idempotency_key add column contact_id bigint`,
  // answers saved before this migration: every stored body is JSON written by this server
  `update idempotency_key set contact_id = (response_body::jsonb #>> '{data,contact,id}')::bigint
     where response_body is not null and content_type like 'application/json%'`,
  `create index idempotency_key_contact on idempotency_key (group_id, contact_id) where contact_id is not null`,
  `create index upsert_job_contact on upsert_job (group_id, contact_id) where contact_id is not null`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db)
}
