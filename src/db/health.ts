// What the readiness check asks the database: does it answer, and is its schema this code's.
import { sql } from 'kysely'
import type { Db } from './database.ts'
import { pendingMigrations } from './migrate.ts'

/** Resolves when the database answers a trivial query. */
export async function ping(db: Db): Promise<void> {
  await sql`select 1`.execute(db)
}

/** Migrations this code has and the database has not applied. */
export const missingMigrations = (db: Db) => pendingMigrations(db)
