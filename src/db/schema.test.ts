// Citus readiness (notes/storage.md 4.2): every primary key, unique constraint and foreign key of
// a table holding a space's data leads with group_id, so the tables can be distributed by it.
import { sql } from 'kysely'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { testDb } from '../../test/app.ts'
import type { Connection } from './connect.ts'

let conn: Connection
beforeAll(async () => {
  conn = await testDb()
})
afterAll(() => conn.db.destroy())

// Looked up by a hash before the space is known (an API key, an invitation's or a session's
// token): unique across spaces. A membership's user is a person of app_user, a reference table
// (Citus allows a foreign key from a distributed table to a reference table).
const EXCEPTIONS = new Set([
  'api_key_key_hash_key',
  'invitation_token_hash_key',
  'session_token_hash_key',
  'space_user_user_id_fkey',
])

test('every key of a tenant table starts with group_id', async () => {
  const { rows } = await sql<{ table: string; name: string; type: string; first: string }>`
    select c.conrelid::regclass::text as table, c.conname as name, c.contype as type,
           a.attname as first
    from pg_constraint c
    join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
    where c.contype in ('p', 'u', 'f')
      and c.connamespace = 'public'::regnamespace
      and exists (select 1 from pg_attribute g
                  where g.attrelid = c.conrelid and g.attname = 'group_id' and not g.attisdropped)
    order by 1, 2`.execute(conn.db)
  expect(rows.length).toBeGreaterThan(20)
  const offenders = rows.filter((r) => r.first !== 'group_id' && !EXCEPTIONS.has(r.name))
  expect(offenders).toEqual([])
})

// pending_index (migration 0016) is the schema's own bookkeeping, like Kysely's: no space's data;
// app_user (migration 0023) holds people, who may belong to several spaces
test('every table except space itself and the schema bookkeeping has a group_id column', async () => {
  const { rows } = await sql<{ table: string }>`
    select t.tablename as table from pg_tables t
    where t.schemaname = 'public'
      and t.tablename not in ('space', 'app_user', 'kysely_migration', 'kysely_migration_lock', 'pending_index')
      and not exists (select 1 from information_schema.columns c
                      where c.table_name = t.tablename and c.column_name = 'group_id')`.execute(conn.db)
  expect(rows).toEqual([])
})
