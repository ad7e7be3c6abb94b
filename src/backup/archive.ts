// The backup archive: gzip'd NDJSON, engine-independent (every value is PostgreSQL's text form).
//   {"format":"carnet-backup","version":1,"migration":…,"space":null|id,"created_at":…}
//   {"table":"contact","columns":[…]}   then one JSON array per row, then {"end":"contact","rows":n}
//   {"end":"backup","sha256":…}          the digest of every byte before this line
// Written and read as streams: memory stays flat whatever the size of the database.
import { createHash } from 'node:crypto'
import { createInterface } from 'node:readline'
import type { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGunzip, createGzip } from 'node:zlib'

export const FORMAT = 'carnet-backup'
export const VERSION = 1

export interface Header {
  format: typeof FORMAT
  version: number
  /** the last schema migration of the database it was taken from */
  migration: string
  /** the one space it holds, or null for the whole database */
  space: number | null
  created_at: string
}

export type Row = (string | null)[]

/** A backup that cannot be restored; its message is one line that says why. */
export class BackupError extends Error {}

export class ArchiveWriter {
  private readonly gzip = createGzip()
  private readonly hash = createHash('sha256')
  private readonly done: Promise<void>

  constructor(out: Writable) {
    this.done = pipeline(this.gzip, out)
    // surfaced by end(), or by a write waiting for 'drain'
    this.done.catch(() => {})
  }

  private async write(text: string): Promise<void> {
    if (this.gzip.destroyed) throw new Error('The backup stream was closed before its end')
    this.hash.update(text)
    if (!this.gzip.write(text)) await this.drained()
  }

  /** Waits for room; a stream closed meanwhile (a download cut off) ends the wait with an error. */
  private drained(): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = (error?: Error) => {
        this.gzip.off('drain', onDrain)
        this.gzip.off('close', onClose)
        if (error) reject(error)
        else resolve()
      }
      const onDrain = () => done()
      const onClose = () => done(new Error('The backup stream was closed before its end'))
      this.gzip.on('drain', onDrain)
      this.gzip.on('close', onClose)
    })
  }

  header(header: Omit<Header, 'format' | 'version'>): Promise<void> {
    return this.write(`${JSON.stringify({ format: FORMAT, version: VERSION, ...header })}\n`)
  }

  startTable(table: string, columns: string[]): Promise<void> {
    return this.write(`${JSON.stringify({ table, columns })}\n`)
  }

  rows(rows: Row[]): Promise<void> {
    let text = ''
    for (const row of rows) text += `${JSON.stringify(row)}\n`
    return this.write(text)
  }

  endTable(table: string, rows: number): Promise<void> {
    return this.write(`${JSON.stringify({ end: table, rows })}\n`)
  }

  async end(): Promise<void> {
    const digest = this.hash.digest('hex')
    this.gzip.end(`${JSON.stringify({ end: 'backup', sha256: digest })}\n`)
    await this.done
  }

  /** Stops the archive where it is: a reader then finds it incomplete. */
  abort(error: Error): void {
    this.gzip.destroy(error)
  }
}

export type Section = { table: string; columns: string[]; rows: AsyncGenerator<Row[]> }

const damaged = (why: string) => new BackupError(`The backup file is damaged (${why}): it cannot be restored`)

/**
 * Reads an archive: its header, then its tables one after the other (each table's rows must be
 * read before the next table is asked for). The digest and the counts are checked as the reading
 * goes; `finish()` throws unless the archive was complete and intact.
 */
export async function openArchive(input: Readable) {
  const gunzip = createGunzip()
  input.on('error', (error) => gunzip.destroy(error))
  input.pipe(gunzip)
  const lines = createInterface({ input: gunzip, crlfDelay: Number.POSITIVE_INFINITY })[
    Symbol.asyncIterator
  ]()
  const hash = createHash('sha256')
  /** The next line, parsed; `account()` adds it to the digest once it is known to belong there. */
  const read = async () => {
    let result: IteratorResult<string>
    try {
      result = await lines.next()
    } catch (error) {
      const code = (error as { code?: string }).code
      if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR')
        throw new BackupError((error as Error).message)
      throw damaged(code === 'Z_BUF_ERROR' ? 'it ends too early' : (error as Error).message)
    }
    if (result.done)
      throw new BackupError('The backup file is incomplete (it was cut short): it cannot be restored')
    const line = result.value
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch {
      throw damaged('a line is not JSON')
    }
    return { value, account: () => hash.update(`${line}\n`) }
  }

  const first = await read()
  const header = first.value as Partial<Header>
  if (header?.format !== FORMAT) throw new BackupError('This file is not a Carnet backup')
  if (typeof header.version !== 'number' || header.version > VERSION)
    throw new BackupError(
      `This backup was written in format ${header.version} by a newer Carnet; this version reads format ${VERSION}: upgrade Carnet to restore it`,
    )
  first.account()

  let finished = false

  async function* rowsOf(table: string): AsyncGenerator<Row[]> {
    let batch: Row[] = []
    let count = 0
    for (;;) {
      const line = await read()
      if (Array.isArray(line.value)) {
        line.account()
        batch.push(line.value as Row)
        count++
        if (batch.length === 2000) {
          yield batch
          batch = []
        }
        continue
      }
      const end = line.value as { end?: string; rows?: number }
      if (end?.end !== table || end.rows !== count) throw damaged(`table ${table} is incomplete`)
      line.account()
      if (batch.length > 0) yield batch
      return
    }
  }

  return {
    header: header as Header,
    /** The next table, or null after the last one (the digest is checked then). */
    async nextTable(): Promise<Section | null> {
      const line = await read()
      const value = line.value as { table?: string; columns?: string[]; end?: string; sha256?: string }
      if (value?.end === 'backup') {
        if (value.sha256 !== hash.digest('hex')) throw damaged('its checksum does not match')
        finished = true
        return null
      }
      if (typeof value?.table !== 'string' || !Array.isArray(value.columns)) throw damaged('unexpected line')
      line.account()
      return { table: value.table, columns: value.columns, rows: rowsOf(value.table) }
    },
    get finished() {
      return finished
    },
    close() {
      input.destroy()
      gunzip.destroy()
    },
  }
}
