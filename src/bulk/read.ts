// Reading an import file: NDJSON lines or CSV records (headers mapped by headers.ts), each with
// its line number, or the reason it cannot be read.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { parse } from 'csv-parse'
import { CellError, fromCsvRecord } from './csv.ts'
import { type HeaderMapping, mapHeaders } from './headers.ts'
import type { Rejected } from './rows.ts'

export type Format = 'ndjson' | 'csv'
export type SourceRecord = { line: number; value: unknown } | Rejected

export function formatOf(path: string, given?: string): Format {
  const format = given ?? (path.toLowerCase().endsWith('.csv') ? 'csv' : 'ndjson')
  if (format !== 'csv' && format !== 'ndjson') throw new Error(`Unknown format "${format}" (csv or ndjson)`)
  return format
}

/** The records of a file with their line numbers (1-based; a CSV's header is line 1). */
export async function* readRecords(
  path: string,
  format: Format,
  onRead?: (bytes: number) => void,
): AsyncGenerator<SourceRecord> {
  // before the stream opens: a 'data' listener starts it flowing
  const delimiter = format === 'csv' ? await delimiterOf(path) : ','
  const input = createReadStream(path)
  if (onRead) input.on('data', (chunk) => onRead(chunk.length))
  if (format === 'ndjson') {
    let line = 0
    for await (const text of createInterface({ input, crlfDelay: Infinity })) {
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
  const parser = input.pipe(
    parse({
      delimiter,
      columns: (headers: string[]) => mapHeaders(headers).columns,
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }),
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

/** The header line of a CSV file, mapped (unknown headers are skipped, listed here). */
export async function readCsvHeaders(path: string): Promise<HeaderMapping> {
  const parser = createReadStream(path).pipe(
    parse({ bom: true, to_line: 1, delimiter: await delimiterOf(path) }),
  )
  for await (const headers of parser as AsyncIterable<string[]>) return mapHeaders(headers)
  return { columns: [], unknown: [], repeated: [] }
}

/** sha256 of the file, hex: what tells a second import of the same file. */
export async function fileChecksum(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/**
 * The separator of a CSV file, from its header line: a comma, or the semicolon of spreadsheets
 * saved in French (and other languages that write decimals with a comma), or a tab.
 */
export async function delimiterOf(path: string): Promise<string> {
  const lines = createInterface({ input: createReadStream(path, { end: 64 * 1024 }), crlfDelay: Infinity })
  let header = ''
  for await (const line of lines) {
    header = line
    break
  }
  lines.close()
  const count = (c: string) => header.split(c).length - 1
  return [';', '\t'].find((c) => count(c) > count(',')) ?? ','
}
