// Migrates once per run and keeps the result as a template: a PGlite data-dir dump, or (with
// DB_DRIVER=pg) a PostgreSQL database that every test file connects to. Test files never share
// rows: each test makes its own space.
import { rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { unaccent } from '@electric-sql/pglite/contrib/unaccent'
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { migrateToLatest } from '../src/db/migrate.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    driver: 'pglite' | 'pg'
    pgliteTemplate: string
    databaseUrl: string
  }
}

const ADMIN_URL = process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

export default async function setup(project: TestProject) {
  if (process.env.DB_DRIVER === 'pg') {
    const name = `carnet_test_${process.pid}`
    const admin = new pg.Client({ connectionString: ADMIN_URL })
    await admin.connect()
    await admin.query(`drop database if exists ${name}`)
    await admin.query(`create database ${name}`)
    await admin.end()
    const url = new URL(ADMIN_URL)
    url.pathname = `/${name}`
    const pool = new pg.Pool({ connectionString: url.toString(), max: 1 })
    const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) })
    await migrateToLatest(db)
    await db.destroy()
    project.provide('driver', 'pg')
    project.provide('databaseUrl', url.toString())
    project.provide('pgliteTemplate', '')
    return async () => {
      const cleanup = new pg.Client({ connectionString: ADMIN_URL })
      await cleanup.connect()
      await cleanup.query(`drop database if exists ${name} with (force)`)
      await cleanup.end()
    }
  }
  const pglite = await PGlite.create({ extensions: { unaccent, pg_trgm } })
  const db = new Kysely<unknown>({ dialect: new PGliteDialect({ pglite }) })
  await migrateToLatest(db)
  const dump = await pglite.dumpDataDir('none')
  const path = join(tmpdir(), `carnet-template-${process.pid}.tar`)
  await writeFile(path, Buffer.from(await dump.arrayBuffer()))
  await db.destroy()
  project.provide('driver', 'pglite')
  project.provide('pgliteTemplate', path)
  project.provide('databaseUrl', '')
  return async () => rm(path, { force: true })
}
