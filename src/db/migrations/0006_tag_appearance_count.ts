// appearance_count (contacts of the space carrying a tag) kept exact by statement-level
// triggers: a count(*) per tag per read was too slow for search pages on large spaces, and
// statement triggers with transition tables add one grouped update per statement, so bulk
// imports and cascading deletes stay cheap.
import { type Kysely, sql } from 'kysely'

const statements = [
  `alter table tag add column appearance_count bigint not null default 0`,
  `create function tag_count_insert() returns trigger language plpgsql as $$
   begin
     update tag t set appearance_count = t.appearance_count + n.count
     from (select group_id, tag_id, count(*) as count from inserted group by group_id, tag_id) n
     where t.group_id = n.group_id and t.id = n.tag_id;
     return null;
   end $$`,
  `create function tag_count_delete() returns trigger language plpgsql as $$
   begin
     update tag t set appearance_count = t.appearance_count - d.count
     from (select group_id, tag_id, count(*) as count from deleted group by group_id, tag_id) d
     where t.group_id = d.group_id and t.id = d.tag_id;
     return null;
   end $$`,
  `create trigger contact_tag_counted_insert after insert on contact_tag
     referencing new table as inserted for each statement execute function tag_count_insert()`,
  `create trigger contact_tag_counted_delete after delete on contact_tag
     referencing old table as deleted for each statement execute function tag_count_delete()`,
  `update tag t set appearance_count = (select count(*) from contact_tag ct
     where ct.group_id = t.group_id and ct.tag_id = t.id)`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db)
}
