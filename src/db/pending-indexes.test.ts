// An index an import listed and did not build (the process stopped after the commit) is built when
// a process next opens the database; builders running at once share the list.
import { sql } from 'kysely'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { type BenchDatabase, freshDatabase } from '../../bench/setup.ts'
import { driver } from '../../test/app.ts'
import type { Db } from './database.ts'
import type { OpenDatabase } from './open.ts'
import { buildPendingIndexes, recordPendingIndexes } from './pending-indexes.ts'

let fresh: BenchDatabase
let database: OpenDatabase

beforeAll(async () => {
  fresh = await freshDatabase(driver)
  database = await fresh.open()
})
afterAll(async () => {
  await database?.close()
  await fresh?.drop()
})

const NAMES = ['contact_surname_trgm', 'contact_sort_updated_at', 'note_contact']

async function indexes(db: Db) {
  const { rows } = await sql<{ indexname: string; indexdef: string }>`
    select indexname, indexdef from pg_indexes
    where schemaname = current_schema() and indexname = any(${NAMES}::text[]) order by 1`.execute(db)
  return rows
}

const listed = async (db: Db) =>
  (await sql<{ name: string }>`select name from pending_index order by name`.execute(db)).rows.map(
    (r) => r.name,
  )

/** What an import does before its commit: drop the indexes and list them. */
async function dropAndList(db: Db, defined: { indexname: string; indexdef: string }[]) {
  await db.transaction().execute(async (trx) => {
    for (const index of defined) await sql`drop index ${sql.ref(index.indexname)}`.execute(trx)
    await recordPendingIndexes(
      trx,
      defined.map((index) => ({ name: index.indexname, statement: index.indexdef })),
    )
  })
}

test('indexes listed and not built are built when the database is next opened', async () => {
  const before = await indexes(database.db)
  expect(before.map((i) => i.indexname)).toEqual([...NAMES].sort())
  await dropAndList(database.db, before)
  expect(await indexes(database.db)).toEqual([])
  await database.close()

  database = await fresh.open()
  expect(await indexes(database.db)).toEqual(before)
  expect(await listed(database.db)).toEqual([])
})

test('builders running at once build each index once', async () => {
  const before = await indexes(database.db)
  await dropAndList(database.db, before)
  expect(await listed(database.db)).toEqual([...NAMES].sort())
  await Promise.all([buildPendingIndexes(database.db, 2), buildPendingIndexes(database.db, 2)])
  expect(await indexes(database.db)).toEqual(before)
  expect(await listed(database.db)).toEqual([])
})

test('an index that fails to build stays listed, and the error is thrown', async () => {
  await recordPendingIndexes(database.db, [
    { name: 'broken', statement: 'create index broken on contact (no_such_column)' },
  ])
  await expect(buildPendingIndexes(database.db, 2)).rejects.toThrow(/no_such_column/)
  expect(await listed(database.db)).toEqual(['broken'])
  await sql`delete from pending_index`.execute(database.db)
})
