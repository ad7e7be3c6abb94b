// Opens the database: embedded PGlite in a data directory, or a PostgreSQL server when a URL is
// given. Both drivers are given the same type parsers so the code above sees the same values:
// int8 → number, date → 'YYYY-MM-DD', timestamptz → ISO string with microseconds ('…Z').
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { unaccent } from '@electric-sql/pglite/contrib/unaccent'
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { Database } from './database.ts'
import { preparing } from './prepared.ts'
import { markPipelined } from './transaction.ts'

const OID = { INT8: 20, DATE: 1082, TIMESTAMP: 1114, TIMESTAMPTZ: 1184 } as const

/** '2022-10-13 15:50:34.6437+00' → '2022-10-13T15:50:34.643700Z' (sessions run in UTC). */
export function parseTimestamp(text: string): string {
  const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?(?:\+00(?::00)?)?$/.exec(text)
  if (!m) return new Date(text).toISOString()
  return `${m[1]}T${m[2]}.${(m[3] ?? '').padEnd(6, '0')}Z`
}

function parseInt8(text: string): number {
  const n = Number(text)
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 value ${text} does not fit a JS number`)
  return n
}

const parsers: Record<number, (text: string) => unknown> = {
  [OID.INT8]: parseInt8,
  [OID.DATE]: (text) => text,
  [OID.TIMESTAMP]: parseTimestamp,
  [OID.TIMESTAMPTZ]: parseTimestamp,
}

export type Driver = 'pglite' | 'pg'

export interface DbConfig {
  /** PostgreSQL connection string; when absent, PGlite in `dataDir`. */
  databaseUrl?: string | undefined
  /** A directory, or 'memory://' for an in-memory database (tests). */
  dataDir: string
  /** A PGlite data-dir dump to start from (tests load a migrated template). */
  loadDataDir?: Blob | undefined
  poolSize?: number
  /** PostgreSQL: name statements so their plans are reused (prepared.ts); off behind a pooler
   * that cannot keep them (PgBouncer in transaction mode before 1.21). */
  preparedStatements?: boolean
}

export interface Connection {
  db: Kysely<Database>
  driver: Driver
  /** The embedded instance, when there is one (dump, vacuum, COPY from a blob). */
  pglite?: PGlite
  pool?: pg.Pool
}

export async function createDb(config: DbConfig): Promise<Connection> {
  if (config.databaseUrl) {
    const prepare = config.preparedStatements ?? true
    const pool = new pg.Pool({
      connectionString: config.databaseUrl,
      // Statements a transaction starts together travel together (db/transaction.ts). Off behind
      // a pooler, with prepared statements: one that cannot keep those may not pass pipelines.
      pipeline: prepare,
      max: config.poolSize ?? 10,
      // JIT off: the costly search plans (an OR of word matches over 1M contacts) crossed
      // jit_above_cost and spent about half of a count compiling (EXPLAIN, BENCHMARKS.md);
      // our statements are short OLTP/count queries that never repay the compilation.
      options: '-c TimeZone=UTC -c jit=off',
      types: {
        getTypeParser: ((oid: number, format?: string) =>
          parsers[oid] ?? pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
      },
    })
    const dialect = new PostgresDialect({
      pool: prepare
        ? {
            connect: async () => preparing(await pool.connect()),
            end: () => pool.end(),
            options: pool.options,
          }
        : pool,
    })
    const db = new Kysely<Database>({ dialect })
    if (prepare) markPipelined(db, dialect)
    return { db, driver: 'pg', pool }
  }
  const pglite = await PGlite.create({
    dataDir: config.dataDir,
    loadDataDir: config.loadDataDir,
    extensions: { unaccent, pg_trgm },
    parsers,
  })
  await pglite.exec(`set timezone = 'UTC'`)
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) })
  return { db, driver: 'pglite', pglite }
}
