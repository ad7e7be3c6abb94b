// An API key may be tied to a user of its space: it then acts as that user, whose role and
// contacts bind it as well as its scope. The key goes when the user leaves the space. An upsert
// job records the user too, so the contact it creates names its author. Servers keep checked
// keys in memory with their user's role and contacts, so a change to a membership or a role
// is announced on the keys' channel as well (migration 0011's function).
import { type Kysely, sql } from 'kysely'

const statements = [
  `alter table api_key add column user_id bigint`,
  `alter table api_key add constraint api_key_user foreign key (group_id, user_id)
     references space_user (group_id, user_id) on delete cascade`,
  `alter table upsert_job add column user_id bigint`,
  `create trigger space_user_changed after update or delete or truncate on space_user
     for each statement execute function api_key_announce()`,
  `create trigger role_changed after update or delete or truncate on role
     for each statement execute function api_key_announce()`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db)
}
