// Bulk import of contacts from NDJSON or CSV. Every row is checked like POST /contacts checks a
// body; rejected rows are reported (line + reason) and skipped, or abort everything with
// `strict`. The accepted rows are written in ONE transaction: an import that fails part way
// (a database error, a strict rejection) leaves nothing behind.
import { setImmediate } from 'node:timers/promises'
import { ensureActions } from '../actions/actions.repository.ts'
import type { ContactInput } from '../contacts/contacts.schema.ts'
import type { Connection } from '../db/connect.ts'
import { withOneConnection } from '../db/copy.ts'
import type { Db } from '../db/database.ts'
import { buildPendingIndexes, recordPendingIndexes } from '../db/pending-indexes.ts'
import { listByFamily } from '../forms/forms.service.ts'
import * as history from '../history/history.service.ts'
import type { Tenant } from '../shared/tenant.ts'
import { ensureTags } from '../tags/tags.service.ts'
import * as repo from './bulk.repository.ts'
import type { SourceRecord } from './read.ts'
import { type PreparedRow, prepareRow, type Rejected, type SpaceContext } from './rows.ts'
import { mergeRow } from './update.ts'

export type { Format, SourceRecord } from './read.ts'
export { formatOf, readCsvHeaders, readRecords } from './read.ts'

export class StrictImportError extends Error {}

/** Indexes built at once after an import's commit on PostgreSQL (measured on 2 cores). */
const INDEX_BUILDERS = 2

export type IndexMode = 'auto' | 'rebuild' | 'keep'

export interface ImportOptions {
  strict?: boolean
  /**
   * Rows checked, then written together (one COPY a table), while the next batch is checked.
   * 20,000 by default: larger batches write faster on PostgreSQL (fewer statements, and fewer
   * waits of each side on the other) but hold more memory; 20,000 is where the gain levels off
   * before the memory grows fast. PGlite's speed does not depend on it (BENCHMARKS.md).
   */
  batchSize?: number
  onProgress?: (done: number) => void
  onReject?: (rejected: Rejected) => void
  /** when the rows are written and a longer step starts: rebuilding indexes, VACUUM */
  onStep?: (step: string) => void
  /**
   * 'rebuild': drop the imported tables' secondary indexes and foreign keys, and build them again
   * (a bulk build costs a fraction of updating them row by row): the foreign keys before the
   * commit, the indexes before the commit on PGlite and right after it on PostgreSQL (two at a
   * time). The tables are locked against every space until the commit, and against writes while
   * an index of theirs is built. 'keep': update them row by row, nothing waits.
   * 'auto' (default): rebuild only when no space has a contact yet, the first load of a server.
   */
  indexes?: IndexMode
  /**
   * Rows that match an existing contact by the upsert's rules update it with the upsert's merge
   * (bulk/update.ts) instead of adding a contact; row by row, with the indexes kept.
   */
  update?: boolean
  /** The file imported: recorded with the import (import_run) when given. */
  source?: { checksum: string; fileName: string }
}

export interface ImportSummary {
  /** contacts created */
  imported: number
  /** contacts that matched a row and were merged into (ImportOptions.update) */
  updated: number
  rejected: number
  /** the import_run id when ImportOptions.source was given */
  importId: number | undefined
  /** whether the indexes were dropped and built again (ImportOptions.indexes) */
  indexesRebuilt: boolean
  /** the whole import, VACUUM (ANALYZE) included */
  seconds: number
  /** of which the VACUUM (ANALYZE) after the commit */
  vacuumSeconds: number
  rowsPerSecond: number
}

export async function importContacts(
  connection: Pick<Connection, 'db' | 'pool' | 'pglite'>,
  tenant: Tenant,
  records: AsyncIterable<SourceRecord>,
  options: ImportOptions,
): Promise<ImportSummary> {
  const started = performance.now()
  // Kysely's own transaction, not inTransaction: the records are a stream read once, so the
  // import cannot be run again after a deadlock, and COPY needs the one connection it holds.
  const result = await withOneConnection(connection, (db, copyIn) =>
    db.transaction().execute(async (trx) => {
      await repo.tuneForBulk(trx)
      // matching an existing contact needs the indexes
      const mode = options.update ? 'keep' : (options.indexes ?? 'auto')
      const indexesRebuilt = mode === 'rebuild' || (mode === 'auto' && (await repo.noContactsYet(trx)))
      const dropped = indexesRebuilt ? await repo.dropIndexesAndForeignKeys(trx) : undefined
      const written = await writeAll({ db: trx, copyIn }, tenant, records, options)
      options.onStep?.(
        `checked ${(written.imported + written.updated + written.rejected).toLocaleString('en')} rows (${written.rejected.toLocaleString('en')} rejected)`,
      )
      const importId = options.source
        ? await repo.insertImportRun(trx, {
            group_id: tenant.groupId,
            checksum: options.source.checksum,
            file_name: options.source.fileName,
            created: written.imported,
            updated: written.updated,
            rejected: written.rejected,
          })
        : undefined
      const counts = { ...written, importId }
      if (!dropped) return { ...counts, indexesRebuilt }
      options.onStep?.('checking the foreign keys again and building the indexes')
      await repo.restore(trx, dropped.foreignKeys)
      // PostgreSQL: the indexes are built after the commit, two at a time on two connections
      // (faster than one after the other: BENCHMARKS.md); listed in this transaction, so none is lost if the process
      // stops first (db/pending-indexes.ts). PGlite has one connection: they are built here.
      if (connection.pool) await recordPendingIndexes(trx, dropped.indexes)
      else
        await repo.restore(
          trx,
          dropped.indexes.map((index) => index.statement),
        )
      return { ...counts, indexesRebuilt }
    }),
  )
  options.onStep?.(
    `committed ${result.imported.toLocaleString('en')} new contacts${options.update ? `, ${result.updated.toLocaleString('en')} updated` : ''}${result.importId ? ` (import #${result.importId})` : ''}`,
  )
  if (result.indexesRebuilt && connection.pool) {
    options.onStep?.('building the indexes')
    await buildPendingIndexes(connection.db, INDEX_BUILDERS).catch((error: Error) => {
      throw new Error(
        `The ${result.imported} contacts are imported, but building their indexes failed: ${error.message}. ` +
          'The next start of the server (or the next command) builds the rest.',
        { cause: error },
      )
    })
  }
  if (result.indexesRebuilt) options.onStep?.('indexes built')
  const written = performance.now()
  options.onStep?.('refreshing statistics and the visibility map (VACUUM ANALYZE)')
  await repo.refreshStatistics(connection.db)
  const seconds = (performance.now() - started) / 1000
  const vacuumSeconds = (performance.now() - written) / 1000
  return { ...result, seconds, vacuumSeconds, rowsPerSecond: Math.round(result.imported / seconds) }
}

/** Checks the records and writes the accepted ones in batches, inside the import's transaction. */
async function writeAll(
  target: repo.BulkTarget,
  tenant: Tenant,
  records: AsyncIterable<SourceRecord>,
  options: ImportOptions,
): Promise<{ imported: number; updated: number; rejected: number }> {
  const batchSize = options.batchSize ?? 20_000
  let imported = 0
  let updated = 0
  let rejected = 0
  const space: SpaceContext = {
    forms: new Map((await listByFamily(target.db, tenant)).map((f) => [f.id, f])),
  }
  let batch: PreparedRow[] = []
  // One batch is written while the next is read and checked (on PostgreSQL the two run on
  // different processes); never two writes at once on the transaction's connection.
  let writing: Promise<void> = Promise.resolve()
  const flush = async () => {
    const rows = batch
    batch = []
    await writing
    writing = writeBatch(target, tenant, rows).then(() => {
      imported += rows.length
      options.onProgress?.(imported + rejected)
    })
    writing.catch(() => {}) // awaited at the next flush; this only keeps it from counting as unhandled
  }
  try {
    let checked = 0
    for await (const record of records) {
      // checking is synchronous: let the batch in flight send its next statement now and then
      if (++checked % 100 === 0) await setImmediate()
      const prepared = 'reason' in record ? record : prepareRow(record.value, record.line, space)
      const merged =
        options.update && !('reason' in prepared) && !('reason' in record)
          ? await mergeRow(target, tenant, record.value as ContactInput, prepared, space)
          : undefined
      const row: PreparedRow | Rejected =
        merged && merged !== 'created' && merged !== 'updated'
          ? { line: prepared.line, reason: merged }
          : prepared
      if ('reason' in row) {
        rejected++
        options.onReject?.(row)
        if (options.strict) throw new StrictImportError(`line ${row.line}: ${row.reason}`)
        continue
      }
      if (merged !== undefined) {
        if (merged === 'created') imported++
        else updated++
        options.onProgress?.(imported + updated + rejected)
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
  return { imported, updated, rejected }
}

async function writeBatch(target: repo.BulkTarget, tenant: Tenant, rows: PreparedRow[]): Promise<void> {
  const { db } = target
  const group_id = tenant.groupId
  const ids = await repo.allocateContactIds(db, rows.length)
  // the prepared columns become the contact rows in place: no copy of 40 keys a contact
  const contacts = rows.map((row, i) => Object.assign(row.columns, { group_id, id: ids[i] }))
  await repo.insertRows(target, 'contact', contacts)
  // one history line a contact, without its values (docs/api.md: measured against per-field lines)
  if (history.recording(tenant)) {
    const author = history.authorColumns({ ...tenant, channel: 'import' })
    await repo.insertRows(
      target,
      'contact_change',
      ids.map((contact_id) => ({ group_id, contact_id, action: 'created', ...author })),
    )
  }
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
    target,
    'contact_tag',
    each((row, contact_id) => row.tags.map((t) => ({ group_id, tag_id: tagId.get(t.name), contact_id }))),
  )
  await repo.insertRows(
    target,
    'contact_action',
    each((row, contact_id) => row.actionIds.map((action_id) => ({ group_id, action_id, contact_id }))),
  )
  const now = new Date().toISOString()
  await repo.insertRows(
    target,
    'form_data',
    each((row, contact_id) => row.answers.map((a) => ({ group_id, contact_id, ...a, date: a.date ?? now }))),
  )
  await repo.insertRows(
    target,
    'note',
    each((row, contact_id) => row.notes.map((n) => ({ group_id, contact_id, ...n }))),
  )
  await repo.insertRows(
    target,
    'interaction',
    each((row, contact_id) => row.interactions.map((it) => ({ group_id, contact_id, ...it }))),
  )
}

/** The latest committed import of the same file (same checksum) into the space, if any. */
export async function earlierImport(db: Db, tenant: Tenant, checksum: string) {
  return repo.findImportRun(db, tenant.groupId, checksum)
}
