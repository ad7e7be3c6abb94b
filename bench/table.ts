// npm run bench:table -- FILE.json: the Markdown table of a bench result, as BENCHMARKS.md shows it.
import { readFileSync } from 'node:fs'

interface Entry {
  name: string
  concurrency: number
  p50_ms: number | null
  p95_ms: number | null
  p99_ms: number | null
  rps: number
  raw_p50_ms: number | null
  raw_sql_p50_ms?: number | null
  http_raw_ratio?: number | null
  errors: number
}

const report = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as { cases: Entry[] } & Record<
  string,
  unknown
>
const ms = (v: number | null | undefined) =>
  v === null || v === undefined || Number.isNaN(v)
    ? '–'
    : v >= 100
      ? v.toFixed(0)
      : v >= 10
        ? v.toFixed(1)
        : v.toFixed(2)
const { cases, ...facts } = report
console.log(JSON.stringify(facts))
console.log('\n| case | c=1 p50 / p95 / p99 | raw (service / SQL) | HTTP/raw | c=16 p50 · req/s |')
console.log('|---|---|---|---|---|')
for (const one of cases.filter((c) => c.concurrency === 1)) {
  const many = cases.find((c) => c.name === one.name && c.concurrency === 16)
  const raw = one.raw_p50_ms === null ? '–' : `${ms(one.raw_p50_ms)} / ${ms(one.raw_sql_p50_ms)}`
  const errors = many?.errors ? ` (${many.errors} errors)` : ''
  console.log(
    `| ${one.name} | ${ms(one.p50_ms)} / ${ms(one.p95_ms)} / ${ms(one.p99_ms)} | ${raw} | ${one.http_raw_ratio ?? '–'} | ${many ? `${ms(many.p50_ms)} · ${many.rps}${errors}` : '–'} |`,
  )
}
