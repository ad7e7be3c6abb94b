// testApp(): a database of this test file's own (from the migrated template), the app on it, and
// newSpace() for a fresh tenant with its key and an `inject` that sends the key.
import { readFile } from 'node:fs/promises'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, inject } from 'vitest'
import { type AppOptions, buildApp } from '../src/app.ts'
import type { Config } from '../src/config.ts'
import { withMembers } from '../src/db/clients.ts'
import { type Connection, createDb } from '../src/db/connect.ts'
import type { Database } from '../src/db/database.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
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
    pool: conn.pool,
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

/**
 * An empty, migrated database of its own: on PostgreSQL a new database (its `url` for child
 * processes), on PGlite an in-memory one. `drop()` closes it (and drops the PostgreSQL one).
 * `engine` picks one other than the run's; `migrate: false` leaves a new PostgreSQL database bare.
 */
export async function freshDatabase({
  engine = driver,
  migrate = true,
}: {
  engine?: 'pg' | 'pglite'
  migrate?: boolean
} = {}): Promise<{
  conn: Connection
  url: string
  drop(): Promise<void>
}> {
  if (engine !== 'pg') {
    const conn = await testDb()
    return { conn, url: '', drop: () => conn.db.destroy() }
  }
  const name = `carnet_fresh_${process.pid}_${Math.random().toString(36).slice(2, 8)}`
  const admin = new URL(
    driver === 'pg'
      ? inject('databaseUrl')
      : (process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'),
  )
  admin.pathname = '/postgres'
  const run = async (text: string) => {
    const client = new pg.Client({ connectionString: admin.toString() })
    await client.connect()
    try {
      await client.query(text)
    } finally {
      await client.end()
    }
  }
  await run(`create database ${name}`)
  const url = new URL(admin)
  url.pathname = `/${name}`
  const conn = await createDb({ databaseUrl: url.toString(), dataDir: '', poolSize: 4 })
  if (migrate) await migrateToLatest(conn.db)
  return {
    conn,
    url: url.toString(),
    async drop() {
      await conn.db.destroy()
      // The pool's end resolves before its clients' sockets close: forcing the drop at once
      // terminates a client still closing, whose error then surfaces as uncaught. Wait for the
      // sessions to go first; force only those that stay.
      for (let attempt = 0; attempt < 40; attempt++) {
        const ok = await run(`drop database if exists ${name}`).then(
          () => true,
          () => false,
        )
        if (ok) return
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      await run(`drop database if exists ${name} with (force)`)
    },
  }
}
