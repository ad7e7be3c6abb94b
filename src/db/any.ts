import { type RawBuilder, sql } from 'kysely'

/**
 * `column = any($1::int8[])`: a list of ids as ONE array parameter. Kysely's `in` binds one
 * parameter per id, and PostgreSQL parses and plans a statement with 1,000 of them (a page of
 * contacts) noticeably slower (the four relation loads of a page of 1,000: measured in BENCHMARKS.md).
 */
export function anyOf(ids: readonly number[]): RawBuilder<number> {
  return sql<number>`any(${[...ids]}::int8[])`
}
