// An API key's scope: `read` (no writes), `write` (every write but key management), `full`
// (everything). Every key that existed before keeps full access, as does a key created without a
// scope, so running integrations and BOOTSTRAP_API_KEY work as before. An upsert job records the
// key that queued it: the worker applies it later and the contact's history names that key.
import { type Kysely, sql } from 'kysely'

const statements = [
  `alter table api_key add column scope text not null default 'full'
     check (scope in ('read', 'write', 'full'))`,
  `alter table upsert_job add column api_key_id bigint`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db)
}
