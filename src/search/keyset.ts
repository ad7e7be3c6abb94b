// Sequential paging as a keyset seek. Clients walk /search pages 0, 1, 2… until a short
// page; with OFFSET that walk is quadratic. After serving a full page we remember, per (space,
// query + sort + page size, page), the sort key and id of its last row; a request for the next
// page then seeks past that row instead of skipping page × per_page rows. Same rows as OFFSET
// on unchanged data; when rows change between pages, the seek neither repeats nor skips rows
// that stayed in place. In memory, per process, bounded.
import { LRUCache } from 'lru-cache'
import { digestOf } from '../shared/digest.ts'
import type { SeekPosition } from './order.ts'

export interface PageKey {
  groupId: number
  /** the raw query, sort and page size: what must be equal for a page to follow another */
  shape: unknown
  page: number
}

export class KeysetCache {
  readonly #positions: LRUCache<string, SeekPosition>

  constructor(max = 10_000) {
    this.#positions = new LRUCache({ max })
  }

  static key(k: PageKey): string {
    return `${k.groupId}|${digestOf(k.shape)}|${k.page}`
  }

  /** Where the previous page ended, if it was served and remembered. */
  before(k: PageKey): SeekPosition | undefined {
    return k.page > 0 ? this.#positions.get(KeysetCache.key({ ...k, page: k.page - 1 })) : undefined
  }

  remember(k: PageKey, last: SeekPosition): void {
    this.#positions.set(KeysetCache.key(k), last)
  }

  get size(): number {
    return this.#positions.size
  }
}
