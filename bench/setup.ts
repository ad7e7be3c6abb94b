// A fresh database for one benchmark run: a new PostgreSQL database or a temporary PGlite data
// directory, migrated, with one space, one API key and N generated contacts imported.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { type BenchForms, ensureForms, generateContacts } from '../src/bulk/generate.ts'
import { type ImportSummary, importContacts } from '../src/bulk/import.ts'
import { createDb } from '../src/db/connect.ts'
import { type OpenDatabase, openDatabase } from '../src/db/open.ts'
import type { Tenant } from '../src/shared/tenant.ts'
import * as spaces from '../src/spaces/spaces.service.ts'

export type BenchDriver = 'pg' | 'pglite'

export interface BenchDatabase {
  /** what the server is started with */
  env: { DATABASE_URL?: string; DATA_DIR?: string }
  open(): Promise<OpenDatabase>
  drop(): Promise<void>
}

const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

export async function freshDatabase(driver: BenchDriver): Promise<BenchDatabase> {
  if (driver === 'pglite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'carnet-bench-'))
    return {
      env: { DATA_DIR: dataDir },
      open: () => openDatabase({ databaseUrl: undefined, dataDir }, { migrate: true }),
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    }
  }
  const name = `carnet_bench_${Date.now()}`
  const admin = async (statement: string) => {
    const conn = await createDb({ databaseUrl: ADMIN_URL, dataDir: '', poolSize: 1 })
    try {
      await sql.raw(statement).execute(conn.db)
    } finally {
      await conn.db.destroy()
    }
  }
  await admin(`create database ${name}`)
  const url = new URL(ADMIN_URL)
  url.pathname = `/${name}`
  const databaseUrl = url.toString()
  return {
    env: { DATABASE_URL: databaseUrl },
    open: () => openDatabase({ databaseUrl, dataDir: '' }, { migrate: true }),
    drop: () => admin(`drop database if exists ${name} with (force)`),
  }
}

export interface Loaded {
  tenant: Tenant
  key: string
  forms: BenchForms
  import: ImportSummary
}

export async function loadSpace(database: OpenDatabase, contacts: number, seed: number): Promise<Loaded> {
  const space = await spaces.createSpace(database.db, 'Benchmark')
  const key = await spaces.createApiKey(database.db, space.id, 'bench')
  const tenant = { groupId: space.id, apiKeyId: key.id }
  const forms = await ensureForms(database.db, tenant)
  async function* records() {
    let line = 0
    for (const value of generateContacts(contacts, seed, forms)) yield { line: ++line, value }
  }
  const summary = await importContacts(database, tenant, records(), {
    onProgress: (done) => {
      if (process.stderr.isTTY) process.stderr.write(`\rimported ${done}`)
    },
  })
  if (process.stderr.isTTY) process.stderr.write('\n')
  // Flush the import's dirty pages now (PostgreSQL), so the write-back of a million rows does not
  // stall the measured requests (seen: 2–3 s stalls right after a 1M import). Not timed.
  if (database.driver === 'pg') await sql`checkpoint`.execute(database.db)
  return { tenant, key: key.key, forms, import: summary }
}
