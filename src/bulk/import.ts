// Bulk import of contacts from NDJSON or CSV. Every row is checked like POST /contacts checks a
// body; rejected rows are reported (line + reason) and skipped, or abort everything with
// `strict`. The accepted rows are written in ONE transaction: an import that fails part way
// (a database error, a strict rejection) leaves nothing behind.
import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { parse } from 'csv-parse'
import { ensureActions } from '../actions/actions.repository.ts'
import type { Db } from '../db/database.ts'
import { listByFamily } from '../forms/forms.service.ts'
import type { Tenant } from '../shared/tenant.ts'
import { ensureTags } from '../tags/tags.service.ts'
import * as repo from './bulk.repository.ts'
import { CellError, fromCsvRecord } from './csv.ts'
import { type PreparedRow, prepareRow, type Rejected, type SpaceContext } from './rows.ts'

export type Format = 'ndjson' | 'csv'
export type SourceRecord = { line: number; value: unknown } | Rejected

export function formatOf(path: string, given?: string): Format {
  const format = given ?? (path.toLowerCase().endsWith('.csv') ? 'csv' : 'ndjson')
  if (format !== 'csv' && format !== 'ndjson') throw new Error(`Unknown format "${format}" (csv or ndjson)`)
  return format
}

/** The records of a file with their line numbers (1-based; a CSV's header is line 1). */
export async function* readRecords(path: string, format: Format): AsyncGenerator<SourceRecord> {
  if (format === 'ndjson') {
    let line = 0
    for await (const text of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
      line++
      if (text.trim() === '') continue
      try {
        yield { line, value: JSON.parse(text) }
      } catch {
        yield { line, reason: 'not valid JSON' }
      }
    }
    return
  }
  const parser = createReadStream(path).pipe(
    parse({ columns: true, bom: true, info: true, relax_column_count: true, skip_empty_lines: true }),
  )
  for await (const { record, info } of parser as AsyncIterable<{
    record: Record<string, string>
    info: { lines: number }
  }>) {
    try {
      yield { line: info.lines, value: fromCsvRecord(record) }
    } catch (error) {
      if (!(error instanceof CellError)) throw error
      yield { line: info.lines, reason: error.message }
    }
  }
}

export class StrictImportError extends Error {}

export interface ImportOptions {
  strict?: boolean
  batchSize?: number
  onProgress?: (done: number) => void
  onReject?: (rejected: Rejected) => void
}

export interface ImportSummary {
  imported: number
  rejected: number
  /** the whole import, VACUUM (ANALYZE) included */
  seconds: number
  /** of which the VACUUM (ANALYZE) after the commit */
  vacuumSeconds: number
  rowsPerSecond: number
}

export async function importContacts(
  db: Db,
  tenant: Tenant,
  records: AsyncIterable<SourceRecord>,
  options: ImportOptions,
): Promise<ImportSummary> {
  const started = performance.now()
  const batchSize = options.batchSize ?? 5000
  let imported = 0
  let rejected = 0
  await db.transaction().execute(async (trx) => {
    await repo.tuneForBulk(trx)
    const space: SpaceContext = { forms: new Map((await listByFamily(trx, tenant)).map((f) => [f.id, f])) }
    let batch: PreparedRow[] = []
    // One batch is written while the next is read and checked (on PostgreSQL the two run on
    // different processes); never two writes at once on the transaction's connection.
    let writing: Promise<void> = Promise.resolve()
    const flush = async () => {
      const rows = batch
      batch = []
      await writing
      writing = writeBatch(trx, tenant, rows).then(() => {
        imported += rows.length
        options.onProgress?.(imported + rejected)
      })
      writing.catch(() => {}) // awaited at the next flush; this only keeps it from counting as unhandled
    }
    try {
      for await (const record of records) {
        const row = 'reason' in record ? record : prepareRow(record.value, record.line, space)
        if ('reason' in row) {
          rejected++
          options.onReject?.(row)
          if (options.strict) throw new StrictImportError(`line ${row.line}: ${row.reason}`)
          continue
        }
        batch.push(row)
        if (batch.length >= batchSize) await flush()
      }
      if (batch.length > 0) await flush()
    } finally {
      // the rollback must not overtake a write in flight: its later statements would then
      // run outside the transaction and stay
      await writing.catch(() => {})
    }
    await writing
  })
  const written = performance.now()
  await repo.refreshStatistics(db)
  const seconds = (performance.now() - started) / 1000
  const vacuumSeconds = (performance.now() - written) / 1000
  return { imported, rejected, seconds, vacuumSeconds, rowsPerSecond: Math.round(imported / seconds) }
}

async function writeBatch(db: Db, tenant: Tenant, rows: PreparedRow[]): Promise<void> {
  const group_id = tenant.groupId
  const ids = await repo.allocateContactIds(db, rows.length)
  await repo.insertRows(
    db,
    'contact',
    rows.map((row, i) => ({ group_id, id: ids[i], ...row.columns })),
  )
  const tagInput = new Map<string, string | null>()
  for (const row of rows)
    for (const t of row.tags) if (!tagInput.has(t.name) || t.color) tagInput.set(t.name, t.color)
  const names = [...tagInput.keys()]
  const tagIds = await ensureTags(
    db,
    tenant,
    names.map((name) => ({ name, color: tagInput.get(name) ?? null })),
  )
  const tagId = new Map(names.map((name, i) => [name, tagIds[i]!]))
  await ensureActions(db, tenant, [...new Set(rows.flatMap((r) => r.actionIds))])
  const each = <T>(make: (row: PreparedRow, contact_id: number) => T[]) =>
    rows.flatMap((row, i) => make(row, ids[i]!))
  await repo.insertRows(
    db,
    'contact_tag',
    each((row, contact_id) => row.tags.map((t) => ({ group_id, tag_id: tagId.get(t.name), contact_id }))),
  )
  await repo.insertRows(
    db,
    'contact_action',
    each((row, contact_id) => row.actionIds.map((action_id) => ({ group_id, action_id, contact_id }))),
  )
  const now = new Date().toISOString()
  await repo.insertRows(
    db,
    'form_data',
    each((row, contact_id) => row.answers.map((a) => ({ group_id, contact_id, ...a, date: a.date ?? now }))),
  )
  await repo.insertRows(
    db,
    'note',
    each((row, contact_id) => row.notes.map((n) => ({ group_id, contact_id, ...n }))),
  )
  await repo.insertRows(
    db,
    'interaction',
    each((row, contact_id) => row.interactions.map((it) => ({ group_id, contact_id, ...it }))),
  )
}
