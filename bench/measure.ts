// Measuring: HTTP load with autocannon (our own latency list, for p95), the raw statement's
// time on the database, and the server's resident memory from /proc.
import { readFileSync } from 'node:fs'
import autocannon from 'autocannon'

export interface Stats {
  p50_ms: number
  p95_ms: number
  p99_ms: number
  rps: number
  errors: number
}

const round = (ms: number) => Math.round(ms * 1000) / 1000

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

export interface Load {
  url: string
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  headers: Record<string, string>
  /** a fixed body, or one per request (e.g. a random contact id in the path) */
  body?: string
  request?: () => { path?: string; body?: string }
}

export async function load(target: Load, connections: number, seconds: number): Promise<Stats> {
  const latencies: number[] = []
  let errors = 0
  const started = performance.now()
  const options: autocannon.Options = {
    url: target.url,
    connections,
    duration: seconds,
    method: target.method,
    // a DELETE has no body, and Fastify refuses an empty body announced as JSON
    headers: {
      ...(target.method === 'DELETE' ? {} : { 'content-type': 'application/json' }),
      ...target.headers,
    },
    ...(target.body ? { body: target.body } : {}),
    ...(target.request
      ? { requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, ...target.request!() }) }] }
      : {}),
  }
  await new Promise<void>((resolve, reject) => {
    const instance = autocannon(options, (error) => (error ? reject(error) : resolve()))
    instance.on('response', (_client: unknown, status: number, _bytes: number, time: number) => {
      if (status >= 400) errors++
      latencies.push(time)
    })
  })
  const elapsed = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  return {
    p50_ms: round(percentile(latencies, 50)),
    p95_ms: round(percentile(latencies, 95)),
    p99_ms: round(percentile(latencies, 99)),
    rps: Math.round((latencies.length / elapsed) * 10) / 10,
    errors,
  }
}

/** p50 of a statement run back to back: at least 5 runs, then until `seconds` or 200 runs. */
export async function rawP50(run: () => Promise<unknown>, seconds: number): Promise<number> {
  await run() // warm the cache and the plan
  const times: number[] = []
  const until = performance.now() + seconds * 1000
  while (times.length < 5 || (performance.now() < until && times.length < 200)) {
    const t = performance.now()
    await run()
    times.push(performance.now() - t)
  }
  return round(
    percentile(
      times.sort((a, b) => a - b),
      50,
    ),
  )
}

/** Samples a process's resident set size (VmRSS); `stop()` gives the peak in MiB. */
export function sampleRss(pid: number, everyMs = 250): { stop(): number } {
  let peak = 0
  const read = () => {
    try {
      const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0)
      peak = Math.max(peak, kb)
    } catch {
      // the process is gone
    }
  }
  read()
  const timer = setInterval(read, everyMs)
  return {
    stop() {
      clearInterval(timer)
      read()
      return Math.round(peak / 1024)
    },
  }
}
