// Opening the database for a process (server or CLI): lock the embedded data directory, connect,
// and bring the schema up to date (embedded) or check it is (server, migrated by `db migrate`).
import { mkdirSync } from 'node:fs'
import { sql } from 'kysely'
import type { Config } from '../config.ts'
import { type Connection, createDb } from './connect.ts'
import { lockDataDir } from './lock.ts'
import { migrateToLatest, pendingMigrations } from './migrate.ts'
import { buildPendingIndexes } from './pending-indexes.ts'

export class SchemaBehindError extends Error {}
export class DatabaseUnreachableError extends Error {}

/** The URL with its password hidden, for messages. */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw)
    if (url.password) url.password = '***'
    return url.toString()
  } catch {
    return '(an invalid URL)'
  }
}

export interface OpenDatabase extends Connection {
  close(): Promise<void>
}

export async function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir'> & Partial<Pick<Config, 'preparedStatements'>>,
  { migrate = false }: { migrate?: boolean } = {},
): Promise<OpenDatabase> {
  const release = config.databaseUrl ? () => {} : lockDataDir(config.dataDir)
  try {
    if (!config.databaseUrl) mkdirSync(config.dataDir, { recursive: true })
    const connection = await createDb({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      preparedStatements: config.preparedStatements,
    })
    const close = async () => {
      await connection.db.destroy()
      release()
    }
    if (config.databaseUrl) {
      try {
        await sql`select 1`.execute(connection.db)
      } catch (error) {
        await close()
        const why = (error as Error).message || (error as { code?: string }).code || String(error)
        throw new DatabaseUnreachableError(
          `Cannot reach the database at ${redactUrl(config.databaseUrl)}: ${why}`,
        )
      }
    }
    try {
      // indexes an import left unbuilt (it stopped between its commit and their builds): built
      // before any migration, which was written against a schema that has them
      await buildPendingIndexes(connection.db, connection.driver === 'pg' ? 2 : 1)
      if (migrate || connection.driver === 'pglite') {
        await migrateToLatest(connection.db)
      } else {
        const pending = await pendingMigrations(connection.db)
        if (pending.length > 0) {
          throw new SchemaBehindError(
            `The database schema is behind this version (${pending.length} pending migrations: ${pending.join(', ')}). ` +
              'Run "npm run db:migrate" first.',
          )
        }
      }
    } catch (error) {
      await close()
      throw error
    }
    return { ...connection, close }
  } catch (error) {
    release()
    throw error
  }
}
