// carnet contacts generate | import | export: test data, bulk loads and bulk dumps of a space.
import { createWriteStream, existsSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
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
import { formatOf, importContacts, readRecords, StrictImportError } from './import.ts'
import { terminalProgress } from './progress.ts'

async function spaceOf(db: Db, values: Record<string, unknown>): Promise<Tenant> {
  const groupId = requiredInteger(values, 'space')
  if (!(await listSpaces(db)).some((s) => s.id === groupId))
    throw new UsageError(`Space ${groupId} does not exist`)
  return { groupId, apiKeyId: 0, channel: 'import' }
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
      'contacts import --space <id> --file <x.ndjson|x.csv> [--format ndjson|csv] [--strict] [--indexes auto|rebuild|keep]',
    summary: 'Import contacts in one transaction; rejected rows are listed (skipped, or abort with --strict)',
    options: {
      space: { type: 'string' },
      file: { type: 'string' },
      format: { type: 'string' },
      strict: { type: 'boolean' },
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
      const size = statSync(values.file).size
      let read = 0
      const progress = terminalProgress('imported', () => (size > 0 ? read / size : 1))
      const records = readRecords(values.file, format, (bytes) => {
        read += bytes
      })
      const summary = await importContacts(database!, tenant, records, {
        strict: values.strict === true,
        indexes,
        onProgress: progress.update,
        onStep: progress.note,
        onReject: (r) => console.error(`${process.stderr.isTTY ? '\r' : ''}line ${r.line}: ${r.reason}`),
      }).catch((error) => {
        if (error instanceof StrictImportError)
          throw new UsageError(`Import aborted by --strict, nothing was written (${error.message})`)
        throw error
      })
      progress.end()
      console.log(
        `Imported ${summary.imported} contacts, rejected ${summary.rejected}, in ${summary.seconds.toFixed(1)} s (${summary.rowsPerSecond} rows/s${summary.indexesRebuilt ? ', indexes rebuilt' : ''})`,
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
