// Sequential paging as a keyset seek (issue 5). Clients walk /search pages 0, 1, 2… until a short
// page; with OFFSET that walk is quadratic. After serving a full page we remember, per (space,
// query + sort + page size, page), the sort key and id of its last row; a request for the next
// page then seeks past that row instead of skipping page × per_page rows. Same rows as OFFSET
// on unchanged data; when rows change between pages, the seek neither repeats nor skips rows
// that stayed in place. In memory, per process, bounded.
import { createHash } from 'node:crypto'
import type { SeekPosition } from './order.ts'

export interface PageKey {
  groupId: number
  /** the raw query, sort and page size: what must be equal for a page to follow another */
  shape: unknown
  page: number
}

export class KeysetCache {
  readonly #positions = new Map<string, SeekPosition>()
  readonly #max: number

  constructor(max = 10_000) {
    this.#max = max
  }

  static key(k: PageKey): string {
    const digest = createHash('sha1').update(JSON.stringify(k.shape)).digest('base64url')
    return `${k.groupId}|${digest}|${k.page}`
  }

  /** Where the previous page ended, if it was served and remembered. */
  before(k: PageKey): SeekPosition | undefined {
    return k.page > 0 ? this.#positions.get(KeysetCache.key({ ...k, page: k.page - 1 })) : undefined
  }

  remember(k: PageKey, last: SeekPosition): void {
    const key = KeysetCache.key(k)
    this.#positions.delete(key)
    this.#positions.set(key, last)
    // Map keeps insertion order: the first key is the least recently remembered
    if (this.#positions.size > this.#max) this.#positions.delete(this.#positions.keys().next().value!)
  }

  get size(): number {
    return this.#positions.size
  }
}
