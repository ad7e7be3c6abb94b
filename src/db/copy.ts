// COPY for bulk writes: FROM STDIN on PostgreSQL, FROM a blob on PGlite. Kysely hides its pg
// clients and PGlite transactions, and COPY must run on the transaction it belongs to, so a bulk
// job holds its connection (or PGlite transaction) for its whole run and sees it both as a Kysely
// instance and as a COPY target.
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { PGlite, Transaction } from '@electric-sql/pglite'
import { Kysely, PGliteDialect, PostgresDialect, type PostgresPoolClient } from 'kysely'
import { from as copyFrom } from 'pg-copy-streams'
import { ownClient, withMembers } from './clients.ts'
import type { Connection } from './connect.ts'
import type { Database, Db } from './database.ts'

/** Writes rows (objects keyed by column) into a table by COPY; every row has the first one's keys. */
export type CopyIn = (table: string, rows: Record<string, unknown>[]) => Promise<void>

/**
 * Runs `work` on one connection: `db` is a Kysely instance bound to it (its transactions are the
 * connection's), `copyIn` writes by COPY on the same connection. On PGlite, `work` runs in one
 * PGlite transaction and COPY reads its rows from a blob (`/dev/blob`).
 */
export async function withOneConnection<T>(
  connection: Pick<Connection, 'pool' | 'pglite'>,
  work: (db: Db, copyIn: CopyIn) => Promise<T>,
): Promise<T> {
  const { pool, pglite } = connection
  if (pglite) return withPGliteTransaction(pglite, work)
  if (!pool) throw new Error('withOneConnection needs a PostgreSQL pool or a PGlite instance')
  // not one of the pool's: those pipeline (connect.ts)
  const client = ownClient(pool)
  await client.connect()
  // Kysely releases its client after each statement; this one is ended once, below.
  const held = withMembers(client, { release: () => {} }) as unknown as PostgresPoolClient
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({
      pool: { connect: async () => held, end: async () => {}, options: pool.options },
    }),
  })
  try {
    return await work(db, async (table, rows) => {
      if (rows.length === 0) return
      const columns = Object.keys(rows[0]!)
      const statement = copyStatement(table, columns, 'stdin')
      await pipeline(Readable.from(copyLines(rows, columns)), client.query(copyFrom(statement)))
    })
  } finally {
    await db.destroy()
    await client.end().catch(() => {})
  }
}

/**
 * PGlite: COPY from a blob must run on the transaction's own handle, which Kysely keeps to itself.
 * So the transaction is opened here, and `db` is a Kysely instance whose "PGlite" is that
 * transaction: the transactions `work` opens through it run inside this one (one commit at the
 * end, one rollback if anything throws).
 */
async function withPGliteTransaction<T>(
  pglite: PGlite,
  work: (db: Db, copyIn: CopyIn) => Promise<T>,
): Promise<T> {
  return pglite.transaction(async (tx) => {
    const bound = {
      ready: true,
      closed: false,
      waitReady: Promise.resolve(),
      query: tx.query.bind(tx),
      transaction: <R>(inner: (t: Transaction) => Promise<R>) => inner(tx),
      close: async () => {},
    } as unknown as PGlite
    const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite: bound }) })
    return work(db, async (table, rows) => {
      if (rows.length === 0) return
      const columns = Object.keys(rows[0]!)
      const statement = copyStatement(table, columns, `'/dev/blob'`)
      await tx.query(statement, [], { blob: new Blob([...copyLines(rows, columns)]) })
    })
  })
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`

/** Names come from the code (table and column names of the schema), never from input. */
const copyStatement = (table: string, columns: string[], source: string) =>
  `copy ${quote(table)} (${columns.map(quote).join(', ')}) from ${source}`

/**
 * COPY's text format, 1,000 rows per chunk: tab-separated, \N for null, backslash escapes. Each
 * line is encoded on its own: encoding one 1,000-line string built by concatenation first
 * flattens it, which cost more than the encoding itself.
 */
export function* copyLines(rows: Record<string, unknown>[], columns: string[]): Generator<Buffer> {
  let lines: Buffer[] = []
  let bytes = 0
  for (const row of rows) {
    let line = copyValue(row[columns[0]!])
    for (let c = 1; c < columns.length; c++) line += `\t${copyValue(row[columns[c]!])}`
    const encoded = Buffer.from(`${line}\n`)
    lines.push(encoded)
    bytes += encoded.length
    if (lines.length === 1000) {
      yield Buffer.concat(lines, bytes)
      lines = []
      bytes = 0
    }
  }
  if (lines.length > 0) yield Buffer.concat(lines, bytes)
}

const SPECIAL = /[\\\n\r\t]/
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' }

function copyValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N'
  if (typeof value === 'boolean') return value ? 't' : 'f'
  const text =
    typeof value === 'string'
      ? value
      : value instanceof Date
        ? value.toISOString()
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value)
  return SPECIAL.test(text) ? text.replace(/[\\\n\r\t]/g, (c) => ESCAPES[c]!) : text
}
