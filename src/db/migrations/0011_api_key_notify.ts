// Every change to api_key (a revocation, a deleted space's keys, a manual UPDATE in psql) is
// announced on the channel `carnet_api_key`: servers keep the keys they have checked in memory
// (spaces/key-cache.ts) and forget them all when it speaks. One NOTIFY per statement, sent at commit.
import { type Kysely, sql } from 'kysely'

const statements = [
  `create function api_key_announce() returns trigger language plpgsql as $$
   begin
     perform pg_notify('carnet_api_key', '');
     return null;
   end $$`,
  `create trigger api_key_changed after update or delete or truncate on api_key
     for each statement execute function api_key_announce()`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db)
}
