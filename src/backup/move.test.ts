// The README's move between engines, done as written with the real command line: back up, create
// the database, restore, point the server at it. 10,000 generated contacts; every read route must
// answer the same before and after. The PostgreSQL run moves PGlite → PostgreSQL, the PGlite run
// PostgreSQL → PGlite (both need the PostgreSQL server the suite uses).
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { driver, freshDatabase } from '../../test/app.ts'
import { runToEnd } from '../../test/process.ts'
import { tempDir } from '../../test/tmp.ts'
import { openDatabase } from '../db/open.ts'
import { answers, appOn, as, filledSpace } from './backup.testing.ts'

const CONTACTS = 10_000

type Place = { databaseUrl: string | undefined; dataDir: string }

async function answersOf(config: Place, filled: { key: string; upsertId: number; historyId: number }) {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
  const app = await appOn(database)
  try {
    return await answers(as(app, filled.key), filled.upsertId, 200, filled.historyId)
  } finally {
    await app.close()
    await database.close()
  }
}

const cli = (args: string[], env: Record<string, string>) =>
  runToEnd('src/cli.ts', args, { DATABASE_URL: '', DATA_DIR: '', ...env })

test(`moving ${CONTACTS} contacts ${driver === 'pg' ? 'from PGlite to PostgreSQL' : 'from PostgreSQL to PGlite'}`, {
  timeout: 600_000,
}, async () => {
  const dir = tempDir('carnet-move-')
  const file = join(dir, 'backup.ndjson.gz')
  const embedded: Place = { databaseUrl: undefined, dataDir: join(dir, 'data') }
  const postgres = await freshDatabase({ engine: 'pg', migrate: driver !== 'pg' })
  const server: Place = { databaseUrl: postgres.url, dataDir: '' }
  const [from, to] = driver === 'pg' ? [embedded, server] : [server, embedded]
  try {
    if (driver === 'pg') await postgres.conn.db.destroy()
    const source = await openDatabase(from)
    const filled = await filledSpace(source, CONTACTS, 11).finally(() => source.close())
    const before = await answersOf(from, filled)
    expect(before.contacts).toBe(1000)

    const envOf = (c: Place): Record<string, string> =>
      c.databaseUrl ? { DATABASE_URL: c.databaseUrl } : { DATA_DIR: c.dataDir }
    const backup = await cli(['backup', '--out', file], envOf(from))
    expect(backup, backup.output).toMatchObject({ code: 0 })
    expect(backup.output).toContain(`${CONTACTS + 1} contacts`)
    // the PostgreSQL target is a new, empty database: the restore creates the schema
    const restore = await cli(['restore', file], envOf(to))
    expect(restore, restore.output).toMatchObject({ code: 0 })
    expect(restore.output).toContain(`${CONTACTS + 1} contacts`)

    expect(await answersOf(to, filled)).toEqual(before)
  } finally {
    await postgres.drop().catch(() => {})
  }
})
