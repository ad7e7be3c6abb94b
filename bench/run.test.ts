// The benchmark end to end at a tiny size: it runs, and its JSON has the promised keys. Speed is
// not asserted. Runs on the suite's engine (DB_DRIVER) with a few cases (autocannon runs at
// least a second per case), in about 20 s.
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { expect, test } from 'vitest'
import { driver } from '../test/app.ts'

test('npm run bench writes one entry per case and concurrency, with the run facts', {
  timeout: 120_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'carnet-bench-test-'))
  const out = join(dir, 'result.json')
  await promisify(execFile)(
    process.execPath,
    [
      'bench/run.ts',
      '--contacts',
      '600',
      '--driver',
      driver,
      '--duration',
      '1',
      '--out',
      out,
      '--only',
      // not the upsert stream: it first waits for the queue the upsert case filled, which on a
      // loaded machine takes longer than this test may
      'city_eql$|city_eql_uncached|empty_page500|get_contact|patch_contact|upsert$',
    ],
    { env: { ...process.env, LOG_LEVEL: 'warn' }, timeout: 110_000 },
  )
  const report = JSON.parse(readFileSync(out, 'utf8'))
  rmSync(dir, { recursive: true, force: true })
  expect(report).toMatchObject({
    contacts: 600,
    driver,
    node: process.version,
    cpus: expect.any(Number),
    date: expect.any(String),
  })
  expect(report.server_rss_max_mib).toBeGreaterThan(0)
  // the floors are timed in a process with the server's Node flags (floor-worker.ts)
  expect(report.server_node_flags.length).toBeGreaterThan(0)
  expect(report.floor_node_flags).toEqual(report.server_node_flags)
  const names = new Set(report.cases.map((c: { name: string }) => c.name))
  for (const name of [
    'get_contact',
    'patch_contact',
    'upsert',
    'search_city_eql',
    'kpi_city_eql',
    'kpi_city_eql_uncached',
    'search_empty_page500',
  ])
    expect(names).toContain(name)
  // counted again on every request by a server started with COUNT_CACHE=off, at c=1 only
  expect(report.cases.filter((c: { name: string }) => c.name === 'kpi_city_eql_uncached')).toMatchObject([
    { concurrency: 1 },
  ])
  for (const entry of report.cases) {
    expect(Object.keys(entry)).toEqual(
      expect.arrayContaining(['name', 'concurrency', 'p50_ms', 'p95_ms', 'p99_ms', 'rps', 'raw_p50_ms']),
    )
    expect([1, 16]).toContain(entry.concurrency)
    expect(entry.errors).toBe(0)
    // speed is not asserted: on a loaded machine a c=16 case may complete nothing in its window;
    // at c=1 requests must have been served at all
    expect(entry.rps).toBeGreaterThanOrEqual(0)
    if (entry.concurrency === 1) expect(entry.rps).toBeGreaterThan(0)
    if (entry.p50_ms !== null && entry.p99_ms !== null) expect(entry.p50_ms).toBeLessThanOrEqual(entry.p99_ms)
    if (entry.name.startsWith('search_') || entry.name.startsWith('kpi_'))
      expect(entry.raw_p50_ms).toBeGreaterThan(0)
  }
  expect(report.cases.filter((c: { name: string }) => c.name === 'search_city_eql')).toHaveLength(2)
  // the walk pages through every contact, and its reference export streams every one of them
  expect(report.walk.export_contacts).toBe(600)
  expect(report.walk.http_seconds).toBeGreaterThan(0)
  expect(report.walk.export_ratio).toBeGreaterThan(0)
  // the upsert stream was not asked for
  expect(report.upsert_queue).toBeNull()
})
