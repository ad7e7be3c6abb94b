// The driver contract: PGlite and node-postgres give the code the same JS values.
import { sql } from 'kysely'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { driver, testDb } from '../../test/app.ts'
import { type Connection, parseTimestamp } from './connect.ts'

let conn: Connection
beforeAll(async () => {
  conn = await testDb()
})
afterAll(() => conn.db.destroy())

test('int8, date, timestamptz, numeric, boolean and null come back the same from both drivers', async () => {
  const { rows } = await sql<Record<string, unknown>>`select
      42::bigint as int8,
      9007199254740991::bigint as max_safe,
      '1955-07-06'::date as date,
      '2022-10-13 15:50:34.643724+00'::timestamptz as ts_micro,
      '2022-10-13 15:50:34+02'::timestamptz as ts_offset,
      1.5::numeric as numeric,
      true as bool,
      null::text as nothing`.execute(conn.db)
  expect(rows[0]).toEqual({
    int8: 42,
    max_safe: 9007199254740991,
    date: '1955-07-06',
    ts_micro: '2022-10-13T15:50:34.643724Z',
    ts_offset: '2022-10-13T13:50:34.000000Z',
    numeric: '1.5',
    bool: true,
    nothing: null,
  })
})

test('an int8 beyond 2^53 is an error, not a silently wrong number', async () => {
  await expect(sql`select 9007199254740993::bigint as n`.execute(conn.db)).rejects.toThrow(/does not fit/)
})

test('the session runs in UTC', async () => {
  const { rows } = await sql<{ tz: string }>`select current_setting('TimeZone') as tz`.execute(conn.db)
  expect(rows[0]!.tz).toBe('UTC')
})

test.runIf(driver === 'pg')('PostgreSQL sessions run without JIT', async () => {
  // JIT compilation cost more than whole counts of the benchmark (BENCHMARKS.md)
  const { rows } = await sql<{ jit: string }>`select current_setting('jit') as jit`.execute(conn.db)
  expect(rows[0]!.jit).toBe('off')
})

test('parseTimestamp pads fractions to microseconds', () => {
  expect(parseTimestamp('2022-10-13 15:50:34.6437+00')).toBe('2022-10-13T15:50:34.643700Z')
  expect(parseTimestamp('2022-10-13 15:50:34+00')).toBe('2022-10-13T15:50:34.000000Z')
})
