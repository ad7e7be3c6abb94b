// `eql` on the city through a dictionary of the space's cities. A space has few distinct cities
// (tens to thousands) and many contacts per city, so search.service first finds the cities
// whose words match (one small GIN lookup), then the filter is `address_city_norm = any(those)`:
// a btree that also carries the id, so a count of Lyon at 1M contacts reads 73k index entries
// instead of the 40k heap pages the word index's bitmap led to (235 → 43 ms in psql).
// The dictionary is kept by statement-level triggers (one grouped insert per statement, as for
// tag counts): every city a contact of the space has is in it. A city no contact has any more
// stays; it matches no contact, so it changes no result.
import { type Kysely, sql } from 'kysely'

const statements = [
  // words: the expression of migration 0002 and compile.ts (`wordsOf`), positions stripped
  `create table contact_city (
     group_id bigint not null references space (id) on delete cascade,
     norm text collate "C" not null,
     words tsvector generated always as (strip(to_tsvector('simple'::regconfig,
       regexp_replace(norm, '[[:space:][:punct:]]+', ' ', 'g')))) stored,
     primary key (group_id, norm))`,
  `create index contact_city_words on contact_city using gin (words)`,
  `insert into contact_city (group_id, norm)
     select distinct group_id, address_city_norm from contact where address_city_norm is not null`,
  `create function contact_city_collect() returns trigger language plpgsql as $$
   begin
     -- in key order, so two writers bringing the same new cities wait for each other in one
     -- order instead of deadlocking
     insert into contact_city (group_id, norm)
       select distinct group_id, address_city_norm from written where address_city_norm is not null
       order by 1, 2
       on conflict do nothing;
     return null;
   end $$`,
  `create trigger contact_city_on_insert after insert on contact
     referencing new table as written for each statement execute function contact_city_collect()`,
  `create trigger contact_city_on_update after update on contact
     referencing new table as written for each statement execute function contact_city_collect()`,
  `create index contact_address_city_norm on contact (group_id, address_city_norm, id)`,
  // the stored words of 0008 and their index: eql no longer reads them
  `drop index contact_address_city_words`,
  `alter table contact drop column address_city_words`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db)
}
