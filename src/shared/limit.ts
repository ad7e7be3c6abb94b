/**
 * At most `size` tasks at once; the others wait their turn, first come first served. Bounds the
 * memory of work whose cost grows with its concurrency (a page of 1,000 contacts holds several
 * MiB until it is mapped), on a server whose throughput is bounded by its cores anyway.
 */
export function concurrencyLimit(size: number) {
  let active = 0
  const waiting: (() => void)[] = []
  return async function run<T>(task: () => Promise<T>): Promise<T> {
    if (active < size) active++
    else await new Promise<void>((resolve) => waiting.push(resolve))
    try {
      return await task()
    } finally {
      // hand the slot to the next waiter, or free it
      const next = waiting.shift()
      if (next) next()
      else active--
    }
  }
}

export type ConcurrencyLimit = ReturnType<typeof concurrencyLimit>
