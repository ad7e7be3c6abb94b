// Bulk export: every contact a search matches, in the write shape of GET /contacts/{id}, as NDJSON
// or CSV. Batches of 1000 by id keyset (search's matchingBatches) with their relations loaded per
// batch, pulled only as fast as the consumer reads: memory stays constant at any size.
import { Readable } from 'node:stream'
import { stringify } from 'csv-stringify/sync'
import { toContact } from '../contacts/contacts.mapping.ts'
import { loadRelations } from '../contacts/contacts.service.ts'
import type { Db } from '../db/database.ts'
import { matchingBatches, parseQueryOf } from '../search/search.service.ts'
import type { Tenant } from '../shared/tenant.ts'
import { CSV_COLUMNS, toCsvRow } from './csv.ts'

export type ExportFormat = 'ndjson' | 'csv'

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
}

/** Text chunks of the export (one per batch). Parses the query first: a bad query throws 422 before any byte. */
export async function exportChunks(
  db: Db,
  tenant: Tenant,
  query: unknown,
  format: ExportFormat,
  batchSize = 1000,
): Promise<AsyncGenerator<string>> {
  const parsed = await parseQueryOf(db, tenant, query)
  async function* chunks() {
    if (format === 'csv') yield stringify([CSV_COLUMNS])
    for await (const rows of matchingBatches(db, tenant, parsed, batchSize)) {
      const relations = await loadRelations(
        db,
        tenant,
        rows.map((r) => r.id),
      )
      const contacts = rows.map((row) => toContact(row, relations.get(row.id)!))
      yield format === 'csv'
        ? stringify(contacts.map(toCsvRow))
        : contacts.map((c) => `${JSON.stringify(c)}\n`).join('')
    }
  }
  return chunks()
}

/** The export as a Readable stream (for an HTTP reply or a file). */
export async function exportStream(
  db: Db,
  tenant: Tenant,
  query: unknown,
  format: ExportFormat,
): Promise<Readable> {
  return Readable.from(await exportChunks(db, tenant, query, format), { objectMode: false })
}
