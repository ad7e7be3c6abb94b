// /kpi counts remembered per statement, and answered again only while nothing in the database
// has changed. A count at 1M contacts visits most of the table's heap (a GIN index cannot count
// alone); dashboards ask the same counts again and again, mostly of a base that did
// not move in between (Elasticsearch's request cache does the same for Qomon's counts).
//
// "Nothing changed" is exact, not a time to live: every count records the snapshot it ran in
// (pg_current_snapshot(): the next transaction id to be given out and those still running). A
// later snapshot equal to it sees exactly the same committed transactions, so the same rows, on
// any connection of any process; any write anywhere gets a transaction id and so a different
// snapshot. In memory, per process, bounded; COUNT_CACHE=off turns it off.
import { LRUCache } from 'lru-cache'
import { digestOf } from '../shared/digest.ts'

export interface CountedAt {
  total: number
  /** pg_current_snapshot() of the statement that counted, as text */
  snapshot: string
}

export class CountCache {
  readonly #counts: LRUCache<string, CountedAt>

  constructor(max = 1_000) {
    this.#counts = new LRUCache({ max })
  }

  /** The compiled count statement (its text and parameters name the space and the query). */
  static key(statement: { sql: string; parameters: readonly unknown[] }): string {
    return digestOf([statement.sql, statement.parameters])
  }

  get(key: string): CountedAt | undefined {
    return this.#counts.get(key)
  }

  set(key: string, counted: CountedAt): void {
    this.#counts.set(key, counted)
  }

  get size(): number {
    return this.#counts.size
  }
}
