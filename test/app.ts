// testApp(): a database of this test file's own (from the migrated template), the app on it, and
// newSpace() for a fresh tenant with its key and an `inject` that sends the key.
import { readFile } from 'node:fs/promises'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely'
import { afterAll, beforeAll, inject } from 'vitest'
import { type AppOptions, buildApp } from '../src/app.ts'
import type { Config } from '../src/config.ts'
import { withMembers } from '../src/db/clients.ts'
import { type Connection, createDb } from '../src/db/connect.ts'
import type { Database } from '../src/db/database.ts'
import { subscriber } from '../src/db/notify.ts'
import { markPipelined } from '../src/db/transaction.ts'
import type { Tenant } from '../src/shared/tenant.ts'
import * as spaces from '../src/spaces/spaces.service.ts'

export const driver = inject('driver')

export async function testDb(): Promise<Connection> {
  if (driver === 'pg') return createDb({ databaseUrl: inject('databaseUrl'), dataDir: '', poolSize: 4 })
  const dump = await readFile(inject('pgliteTemplate'))
  return createDb({ dataDir: 'memory://', loadDataDir: new Blob([dump]) })
}

export interface Space {
  groupId: number
  key: string
  tenant: Tenant
  /** app.inject with this space's key; JSON bodies go in `payload`. */
  request(options: InjectOptions): Promise<LightMyRequestResponse>
}

export interface TestApp {
  app: FastifyInstance
  conn: Connection
  newSpace(name?: string): Promise<Space>
  close(): Promise<void>
}

export const testConfig: Pick<Config, 'bodyLimit' | 'rateLimit' | 'logLevel'> = {
  bodyLimit: 1024 * 1024,
  rateLimit: { enabled: false, burst: 100, rate: 10 },
  logLevel: 'silent',
}

/** `listen`: LISTEN on the database as main.ts does (the API key cache). */
/** `connect`: another database than the suite's (a test file that needs one to itself). */
export async function testApp(
  config: Partial<AppOptions['config']> = {},
  { listen = false, connect = testDb }: { listen?: boolean; connect?: () => Promise<Connection> } = {},
): Promise<TestApp> {
  const conn = await connect()
  const app = await buildApp({
    config: { ...testConfig, ...config },
    db: conn.db,
    ...(listen ? { subscribe: subscriber(conn) } : {}),
  })
  await app.ready()
  return {
    app,
    conn,
    async newSpace(name = 'Test space') {
      const space = await spaces.createSpace(conn.db, name)
      const key = await spaces.createApiKey(conn.db, space.id, 'test')
      return {
        groupId: space.id,
        key: key.key,
        tenant: { groupId: space.id, apiKeyId: key.id },
        request: (options) =>
          app.inject({ ...options, headers: { authorization: `Bearer ${key.key}`, ...options.headers } }),
      }
    },
    async close() {
      await app.close()
      await conn.db.destroy()
    },
  }
}

/**
 * The same database through a Kysely that passes the SQL of every statement it runs to
 * `onStatement` (begin and commit are not reported: the PGlite driver does not log them).
 */
export function recordingDb(conn: Connection, onStatement: (sql: string) => void): Kysely<Database> {
  const dialect = conn.pglite
    ? new PGliteDialect({ pglite: conn.pglite })
    : new PostgresDialect({ pool: conn.pool! })
  return new Kysely<Database>({
    dialect,
    log: (event) => {
      if (event.level === 'query' && !/^(begin|commit)$/i.test(event.query.sql)) onStatement(event.query.sql)
    },
  })
}

/**
 * PostgreSQL only: the same database through a Kysely whose transactions pipeline as the app's
 * do (db/transaction.ts), reporting each statement as it is sent with how many sent before it are
 * still unanswered. A statement sent with none unanswered starts a round trip.
 */
export function pipeliningDb(
  conn: Connection,
  onSend: (sql: string, unanswered: number) => void,
): Kysely<Database> {
  const pool = conn.pool!
  const dialect = new PostgresDialect({
    pool: {
      connect: async () => {
        const client = await pool.connect()
        let unanswered = 0
        const query = (text: string, values?: unknown[]) => {
          onSend(text, unanswered++)
          return client.query(text, values).finally(() => unanswered--)
        }
        return withMembers(client, { query })
      },
      end: async () => {},
      options: pool.options,
    },
  })
  const db = new Kysely<Database>({ dialect })
  markPipelined(db, dialect)
  return db
}

/** Statements and round trips of what `work` sends through a `pipeliningDb`. */
export function roundTrips(conn: Connection) {
  const sent: { sql: string; unanswered: number }[] = []
  const db = pipeliningDb(conn, (sql, unanswered) => sent.push({ sql, unanswered }))
  return {
    db,
    async count<T>(work: (db: Kysely<Database>) => Promise<T>) {
      sent.length = 0
      const result = await work(db)
      return {
        result,
        statements: sent.length,
        roundTrips: sent.filter((s) => s.unanswered === 0).length,
        sent,
      }
    },
  }
}

/**
 * A test file's setup: its own app (closed after the file) and one space, read from the returned
 * object inside tests.
 */
export function useApp(): { t: TestApp; space: Space } {
  const u = {} as { t: TestApp; space: Space }
  beforeAll(async () => {
    u.t = await testApp()
    u.space = await u.t.newSpace()
  })
  afterAll(() => u.t.close())
  return u
}
