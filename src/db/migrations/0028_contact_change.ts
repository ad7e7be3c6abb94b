// The history of every change to a contact: one row per write, newest read first through the
// primary key. No foreign key to the contact: when a contact is erased its rows are deleted and
// one row (no values) says who erased it and when.
import { type Kysely, sql } from 'kysely'

const statements = [
  `create table contact_change (
     group_id bigint not null references space (id) on delete cascade,
     contact_id bigint not null,
     id bigint generated always as identity,
     at timestamptz not null default now(),
     action text not null check (action in ('created', 'updated', 'erased')),
     channel text not null,
     route text,
     api_key_id bigint,
     user_id bigint,
     changes jsonb,
     primary key (group_id, contact_id, id)
   )`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db)
}
