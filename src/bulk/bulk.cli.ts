// carnet contacts generate | import | export: test data, bulk loads and bulk dumps of a space.
import { createWriteStream, existsSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { type Command, requiredInteger, UsageError } from '../cli/command.ts'
import { loadConfig } from '../config.ts'
import type { Db } from '../db/database.ts'
import { openDatabase } from '../db/open.ts'
import type { Tenant } from '../shared/tenant.ts'
import { listSpaces } from '../spaces/spaces.service.ts'
import { exportStream } from './export.ts'
import { type BenchForms, ensureForms, generateContacts } from './generate.ts'
import {
  earlierImport,
  formatOf,
  importContacts,
  readCsvHeaders,
  readRecords,
  StrictImportError,
} from './import.ts'
import { terminalProgress } from './progress.ts'
import { fileChecksum } from './read.ts'

async function spaceOf(db: Db, values: Record<string, unknown>): Promise<Tenant> {
  const groupId = requiredInteger(values, 'space')
  if (!(await listSpaces(db)).some((s) => s.id === groupId))
    throw new UsageError(`Space ${groupId} does not exist`)
  return { groupId, apiKeyId: 0, channel: 'import' }
}

const IMPORT_HELP = `
Options:
  --space <id>       the space to import into (carnet spaces list)
  --file <path>      an NDJSON file (one contact a line, as POST /contacts takes it) or a CSV file
  --format <f>       ndjson or csv (default: from the file name)
  --strict           abort on the first rejected row, or on a CSV header that names no field;
                     nothing is written
  --update           a row that matches a contact of the space (id, then mail, then names +
                     birthdate + address, as an upsert matches) updates it, with the upsert's
                     merge, instead of adding a contact; re-importing a file changes nothing
  --force            import a file that was already imported into this space (its contacts
                     are added again)
  --indexes <mode>   auto (default): rebuild the indexes when no space has a contact yet;
                     rebuild: always (fastest for large files, locks the tables);
                     keep: update them row by row (nothing waits)

CSV headers: the field names (firstname, mail, address.city, ...) or common French and English
column names (prénom, nom, e-mail, téléphone, portable, code postal, ville, zip, city, ...),
in any case, with or without accents. docs/import.md lists them all.

Each committed import is recorded with the file's checksum: the same file is refused the
second time (use --update, or --force).`

/** Lists the headers the import skips; --strict refuses them before anything is written. */
async function checkHeaders(file: string, strict: boolean): Promise<void> {
  const { unknown, repeated } = await readCsvHeaders(file)
  const problems = [
    ...(unknown.length
      ? [`unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((h) => `"${h}"`).join(', ')}`]
      : []),
    ...(repeated.length
      ? [`repeated column${repeated.length > 1 ? 's' : ''} ${repeated.map((h) => `"${h}"`).join(', ')}`]
      : []),
  ]
  if (problems.length === 0) return
  if (strict)
    throw new UsageError(
      `Import refused by --strict, nothing was written: ${problems.join('; ')} (see docs/import.md)`,
    )
  console.error(`warning: ${problems.join('; ')}: skipped (see docs/import.md; --strict refuses them)`)
}

function repeatedImport(
  run: { id: number; created_at: string | Date; file_name: string; created: number; updated: number },
  tenant: Tenant,
): string {
  const at = new Date(run.created_at).toISOString().slice(0, 16).replace('T', ' ')
  return (
    `This file was already imported into space ${tenant.groupId}: import #${run.id} of ${run.file_name}, ` +
    `${at} UTC, ${run.created} contacts created, ${run.updated} updated. ` +
    'Importing it again would add its contacts a second time: add --update to merge its rows into the ' +
    'contacts they match, or --force to import it again anyway.'
  )
}

export const bulkCommands: Record<string, Command> = {
  'contacts generate': {
    usage: 'contacts generate --contacts <n> [--seed <n>] [--space <id>] --out <file.ndjson>',
    summary: 'Write n realistic French contacts (deterministic per seed); --space adds form answers',
    options: {
      contacts: { type: 'string' },
      seed: { type: 'string' },
      space: { type: 'string' },
      out: { type: 'string' },
    },
    async run({ values }) {
      const count = requiredInteger(values, 'contacts')
      const seed = values.seed === undefined ? 1 : requiredInteger(values, 'seed')
      if (typeof values.out !== 'string') throw new UsageError('--out <file> is required')
      let forms: BenchForms | undefined
      if (values.space !== undefined) {
        const database = await openDatabase(loadConfig())
        try {
          forms = await ensureForms(database.db, await spaceOf(database.db, values))
        } finally {
          await database.close()
        }
      }
      const lines = (function* () {
        for (const contact of generateContacts(count, seed, forms)) yield `${JSON.stringify(contact)}\n`
      })()
      await pipeline(Readable.from(lines), createWriteStream(values.out))
      console.log(
        `Wrote ${count} contacts to ${values.out}${forms ? '' : ' (no form answers: give --space)'}`,
      )
    },
  },
  'contacts import': {
    usage:
      'contacts import --space <id> --file <x.ndjson|x.csv> [--format ndjson|csv] [--strict] [--update] [--force] [--indexes auto|rebuild|keep]',
    summary: 'Import contacts in one transaction; rejected rows are listed (skipped, or abort with --strict)',
    help: IMPORT_HELP,
    options: {
      space: { type: 'string' },
      file: { type: 'string' },
      format: { type: 'string' },
      strict: { type: 'boolean' },
      update: { type: 'boolean' },
      force: { type: 'boolean' },
      indexes: { type: 'string' },
    },
    database: true,
    async run({ values, database }) {
      const { db } = database!
      if (typeof values.file !== 'string') throw new UsageError('--file <path> is required')
      const tenant = await spaceOf(db, values)
      const format = formatOf(values.file, values.format as string | undefined)
      const indexes = values.indexes ?? 'auto'
      if (indexes !== 'auto' && indexes !== 'rebuild' && indexes !== 'keep')
        throw new UsageError(`--indexes must be auto, rebuild or keep (got "${indexes}")`)
      if (!existsSync(values.file)) throw new UsageError(`No file ${values.file}`)
      const strict = values.strict === true
      const update = values.update === true
      if (format === 'csv') await checkHeaders(values.file, strict)
      const checksum = await fileChecksum(values.file)
      const earlier = await earlierImport(db, tenant, checksum)
      if (earlier && !update && values.force !== true) throw new UsageError(repeatedImport(earlier, tenant))
      const size = statSync(values.file).size
      let read = 0
      const progress = terminalProgress('imported', () => (size > 0 ? read / size : 1))
      const records = readRecords(values.file, format, (bytes) => {
        read += bytes
      })
      const summary = await importContacts(database!, tenant, records, {
        strict,
        update,
        indexes,
        source: { checksum, fileName: basename(values.file) },
        onProgress: progress.update,
        onStep: progress.note,
        onReject: (r) =>
          console.error(`${process.stderr.isTTY ? '\r\x1b[K' : ''}line ${r.line}: ${r.reason}`),
      }).catch((error) => {
        if (error instanceof StrictImportError)
          throw new UsageError(`Import aborted by --strict, nothing was written (${error.message})`)
        throw error
      })
      const updated = update ? `, updated ${summary.updated}` : ''
      console.log(
        `Import #${summary.importId}: created ${summary.imported} contacts${updated}, rejected ${summary.rejected}, in ${summary.seconds.toFixed(1)} s (${summary.rowsPerSecond} rows/s${summary.indexesRebuilt ? ', indexes rebuilt' : ''})`,
      )
    },
  },
  'contacts export': {
    usage: 'contacts export --space <id> [--query <file.json>] [--format ndjson|csv] --out <file>',
    summary: 'Export the contacts matching a search query (all by default), streamed',
    options: {
      space: { type: 'string' },
      query: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
    },
    database: true,
    async run({ values, database }) {
      if (typeof values.out !== 'string') throw new UsageError('--out <file> is required')
      const format = formatOf(values.out, values.format as string | undefined)
      const tenant = await spaceOf(database!.db, values)
      // the file holds the query tree, or a whole /search body
      const raw =
        typeof values.query === 'string' ? JSON.parse(await readFile(values.query, 'utf8')) : undefined
      const query = raw?.data?.advanced_search ? raw.data.advanced_search.query : raw
      await pipeline(await exportStream(database!.db, tenant, query, format), createWriteStream(values.out))
      console.log(`Exported to ${values.out}`)
    },
  },
}
