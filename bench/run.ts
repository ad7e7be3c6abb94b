// npm run bench -- --contacts N --driver pglite|pg --duration S --out FILE.json
// Loads N generated contacts into a fresh database, measures the raw statements (the floor),
// then starts the real server as a child process and loads it with autocannon at c=1 and c=16.
// See BENCHMARKS.md for what the figures mean.
import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { parseArgs } from 'node:util'
import { generateContacts } from '../src/bulk/generate.ts'
import * as searches from '../src/search/search.service.ts'
import { searchCases } from './cases.ts'
import { type Floor, type FloorWorker, startFloorWorker } from './floors.ts'
import { type Load, load, sampleRss } from './measure.ts'
import { type BenchDriver, freshDatabase, loadSpace } from './setup.ts'
import { drainQueue, type QueueStats, upsertStream } from './upserts.ts'

const { values } = parseArgs({
  options: {
    contacts: { type: 'string', default: '20000' },
    driver: { type: 'string', default: 'pglite' },
    duration: { type: 'string', default: '5' },
    out: { type: 'string', default: 'bench-result.json' },
    seed: { type: 'string', default: '1' },
    port: { type: 'string', default: String(20_000 + Math.floor(Math.random() * 20_000)) },
    keep: { type: 'boolean', default: false },
    /** seconds of the steady upsert stream (c=16) whose apply rate and queue lag are reported */
    stream: { type: 'string', default: '10' },
    /** a regular expression: only the cases whose name matches (e.g. "city_eql|get_contact") */
    only: { type: 'string' },
  },
})
const N = Number(values.contacts)
const driver = values.driver as BenchDriver
const duration = Number(values.duration)
if (!['pg', 'pglite'].includes(driver) || !(N > 0) || !(duration > 0)) {
  console.error('usage: npm run bench -- --contacts N --driver pglite|pg --duration S --out FILE.json')
  process.exit(2)
}
const log = (message: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`)

interface CaseResult {
  name: string
  concurrency: number
  p50_ms: number
  p95_ms: number
  p99_ms: number
  rps: number
  raw_p50_ms: number | null
  raw_sql_p50_ms?: number | null
  http_raw_ratio?: number | null
  errors: number
}

// the Node flags of `npm start` (heap sizing, BENCHMARKS.md): the server's, and the floors'
const startScript = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } })
  .scripts.start
const nodeFlags = startScript.split(/\s+/).filter((word) => word.startsWith('--'))
const database = await freshDatabase(driver)
let floorWorker: FloorWorker | undefined
const closeFloorWorker = async () => {
  const worker = floorWorker
  floorWorker = undefined
  await worker?.close()
}
let server: ChildProcess | undefined
/** The bench's own connection: the import and the keyset walk, closed before the floors. */
let closeBenchConnection: (() => Promise<void>) | undefined
const closeOnce = async () => {
  const close = closeBenchConnection
  closeBenchConnection = undefined
  await close?.()
}
const stopServer = async () => {
  if (!server || server.exitCode !== null) return
  const exited = new Promise((resolve) => server!.once('exit', resolve))
  server.kill('SIGTERM')
  await exited
}
try {
  // 1. data, and the floors (the same statements run directly), before the server holds the database
  log(`loading ${N} contacts (${driver})`)
  const open = await database.open()
  closeBenchConnection = open.close
  const loaded = await loadSpace(open, N, Number(values.seed))
  log(
    `imported in ${loaded.import.seconds.toFixed(1)} s (${loaded.import.rowsPerSecond} rows/s; VACUUM ANALYZE ${loaded.import.vacuumSeconds.toFixed(1)} s)`,
  )
  const { db } = open
  const { tenant } = loaded
  const range = await db
    .selectFrom('contact')
    .where('group_id', '=', tenant.groupId)
    .select((eb) => [eb.fn.min<number>('id').as('min'), eb.fn.max<number>('id').as('max')])
    .executeTakeFirstOrThrow()
  const randomId = () =>
    Number(range.min) + Math.floor(Math.random() * (Number(range.max) - Number(range.min) + 1))
  const only = values.only ? new RegExp(values.only) : null
  const wanted = (name: string) => !only || only.test(name)
  const cases = searchCases(loaded.forms).filter((c) => wanted(`search_${c.name}`) || wanted(`kpi_${c.name}`))
  const walkStart = performance.now()
  for await (const rows of searches.matchingBatches(
    db,
    tenant,
    await searches.parseQueryOf(db, tenant, undefined),
  )) {
    if (rows.length === 0) break
  }
  const keysetSeconds = (performance.now() - walkStart) / 1000

  // The floor of each case (floors.ts): the same work without HTTP, timed in a child process
  // with the server's Node flags, on its own connection. PGlite: the server will hold the
  // database alone, so every floor is measured now. PostgreSQL: each floor just before its case
  // and again after its c=1 load, with the server idle, so that both sides of HTTP/raw are
  // measured in the same minute (measured minutes apart, this machine's drift moved the ratios
  // of pages of 100 between 0.8 and 2.3 from run to run).
  await closeOnce() // PGlite: the worker opens the data directory next
  floorWorker = await startFloorWorker(nodeFlags, database.env, {
    tenant,
    forms: loaded.forms,
    only: values.only ?? null,
    ids: { min: Number(range.min), max: Number(range.max) },
    rawSeconds: Math.min(duration, 1),
  })
  const floorNodeFlags = floorWorker.execArgv
  const measuredNow = new Map<string, Floor>()
  if (driver === 'pglite') {
    for (const name of floorWorker.names) measuredNow.set(name, await floorWorker.floor(name))
    await closeFloorWorker()
  }
  const floorOf = async (name: string) => measuredNow.get(name) ?? (await floorWorker!.floor(name))

  // 2. the real server, as a child process
  const port = Number(values.port)
  /** Starts the server (`npm start`'s flags, the bench's environment plus `env`); resolves when it listens. */
  const startServer = async (env: Record<string, string> = {}) => {
    const child = spawn(process.execPath, [...nodeFlags, 'src/main.ts'], {
      env: {
        ...process.env,
        ...database.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        RATE_LIMIT: 'off',
        LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`server exited with ${code}`)))
      child.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('listening')) resolve()
      })
    })
    child.stdout!.resume()
    return child
  }
  const base = `http://127.0.0.1:${port}`
  const headers = { authorization: `Bearer ${loaded.key}` }
  const results: CaseResult[] = []
  // When a c=16 case ends, its last requests are still running on the server (a /kpi of the OR
  // takes seconds); the next case would queue behind them. Wait until a small search is fast.
  const settle = async () => {
    const probe = JSON.stringify({ data: { advanced_search: { per_page: 1 } } })
    for (const deadline = performance.now() + 60_000; performance.now() < deadline; ) {
      const started = performance.now()
      await fetch(`${base}/search`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: probe,
      }).then((response) => response.arrayBuffer())
      if (performance.now() - started < 50) return
    }
  }
  const measure = async (name: string, target: Load, floorName: string | null, concurrencies = [1, 16]) => {
    if (!wanted(name)) return
    await settle()
    let floor = floorName ? await floorOf(floorName) : null
    // a second of the same requests, untimed: the raw side is timed after a first run, and the
    // server gets the same chance (code V8 has not optimised yet, new database connections)
    await load(target, 1, 1)
    for (const concurrency of concurrencies) {
      await settle()
      const stats = await load(target, concurrency, duration)
      // PostgreSQL: the floor again right after the c=1 load, and the mean of both, so that the
      // raw side brackets the HTTP side in time (this machine drifts by tens of % within minutes)
      if (floorName && floor && concurrency === 1 && !measuredNow.has(floorName)) {
        const after = await floorOf(floorName)
        const mean = (a: number, b: number) => Math.round(((a + b) / 2) * 1000) / 1000
        floor = { service: mean(floor.service, after.service), sql: mean(floor.sql, after.sql) }
      }
      results.push({
        name,
        concurrency,
        ...stats,
        raw_p50_ms: floor?.service ?? null,
        raw_sql_p50_ms: floor?.sql ?? null,
        http_raw_ratio:
          floor && concurrency === 1 ? Math.round((stats.p50_ms / floor.service) * 100) / 100 : null,
      })
      log(
        `${name} c=${concurrency}: p50 ${stats.p50_ms} ms, p95 ${stats.p95_ms}, p99 ${stats.p99_ms}, ${stats.rps} req/s${stats.errors ? `, ${stats.errors} errors` : ''}`,
      )
    }
  }

  // 3. /kpi counting every time (COUNT_CACHE=off): what a count costs when something was written
  // since it was last asked. First, on the database as the import left it, like the raw floor:
  // measured after the PATCH and upsert cases (whose writes clear the visibility map of the pages
  // they touch, so index-only counts visit the heap again), a count of all contacts over HTTP
  // was several times its raw floor; measured first, close to it (BENCHMARKS.md).
  let uncachedRssMax = 0
  const kpiCases = cases.filter((c) => c.kpi && wanted(`kpi_${c.name}_uncached`))
  if (kpiCases.length > 0) {
    server = await startServer({ COUNT_CACHE: 'off' })
    const uncachedRss = sampleRss(server.pid!)
    for (const c of kpiCases) {
      const body = JSON.stringify({ data: { advanced_search: c.search } })
      await measure(
        `kpi_${c.name}_uncached`,
        { url: `${base}/kpi`, method: 'POST', headers, body },
        `kpi_${c.name}`,
        [1],
      )
    }
    uncachedRssMax = uncachedRss.stop()
    await stopServer()
  }

  // 4. the server as `npm start` runs it: searches (skipped when it has no /search), then
  // single-contact routes
  server = await startServer()
  const rss = sampleRss(server.pid!)
  const probe = await fetch(`${base}/search`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ data: { advanced_search: { per_page: 1 } } }),
  })
  let walk: {
    http_seconds: number
    keyset_seconds: number
    ratio: number
    export_seconds: number
    export_contacts: number
    export_ratio: number
  } | null = null
  if (probe.status === 404) log('POST /search answers 404: search cases skipped')
  else if (cases.length > 0) {
    for (const c of cases) {
      const body = JSON.stringify({ data: { advanced_search: c.search } })
      await measure(`search_${c.name}`, { url: `${base}/search`, method: 'POST', headers, body }, c.name)
      if (c.kpi)
        await measure(`kpi_${c.name}`, { url: `${base}/kpi`, method: 'POST', headers, body }, `kpi_${c.name}`)
    }
    // a client paging through everything, per_page 1000, against one keyset scan of the table
    const started = performance.now()
    for (let page = 0; ; page++) {
      const response = await fetch(`${base}/search`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ data: { advanced_search: { page, per_page: 1000 } } }),
      })
      const { data } = (await response.json()) as { data: { contacts: unknown[] } }
      if (data.contacts.length < 1000) break
    }
    const httpSeconds = (performance.now() - started) / 1000
    // the same contacts (rows, relations, JSON) in ONE keyset scan over HTTP: the streamed export
    const exportStarted = performance.now()
    const exported = await fetch(`${base}/contacts/export`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: '{}',
    })
    let lines = 0
    for await (const chunk of exported.body as unknown as AsyncIterable<Uint8Array>)
      for (const byte of chunk) if (byte === 10) lines++
    const exportSeconds = (performance.now() - exportStarted) / 1000
    const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100
    walk = {
      http_seconds: httpSeconds,
      keyset_seconds: keysetSeconds,
      ratio: ratio(httpSeconds, keysetSeconds),
      export_seconds: exportSeconds,
      export_contacts: lines,
      export_ratio: ratio(httpSeconds, exportSeconds),
    }
    log(
      `full walk per_page 1000: ${httpSeconds.toFixed(2)} s over HTTP; one keyset scan of the rows ${keysetSeconds.toFixed(2)} s (×${walk.ratio}); one keyset scan of the same contacts (POST /contacts/export, ${lines} lines) ${exportSeconds.toFixed(2)} s (×${walk.export_ratio})`,
    )
  }
  await measure(
    'get_contact',
    { url: base, method: 'GET', headers, request: () => ({ path: `/contacts/${randomId()}` }) },
    'get_contact',
  )
  const pool = [...generateContacts(200, Number(values.seed) + 1, loaded.forms)]
  const pick = () => pool[Math.floor(Math.random() * pool.length)]!
  await measure(
    'patch_contact',
    {
      url: base,
      method: 'PATCH',
      headers,
      request: () => ({
        path: `/contacts/${randomId()}`,
        body: JSON.stringify({ data: { contact: pick() } }),
      }),
    },
    null,
  )
  const upsertBody = () => {
    const { firstname, surname, mail, address } = pick()
    return JSON.stringify({
      kind: 'contact',
      data: { firstname, surname, mail, address: { city: address?.city, postalcode: address?.postalcode } },
    })
  }
  await measure(
    'upsert',
    { url: `${base}/contacts/upsert`, method: 'POST', headers, request: () => ({ body: upsertBody() }) },
    null,
  )
  // the upserts' 202s say accepted, not applied: a steady stream at c=16, then its apply rate
  // and how far the queue fell behind (upserts.ts), after the jobs of the case above are applied
  let upsertQueue: QueueStats | null = null
  if (wanted('upsert_stream')) {
    const queue = { base, headers, body: upsertBody }
    const backlog = await drainQueue(queue)
    log(`upsert queue drained in ${backlog.toFixed(1)} s`)
    upsertQueue = await upsertStream(queue, 16, Number(values.stream))
    log(`upsert_stream c=16 ${values.stream} s: ${JSON.stringify(upsertQueue)}`)
  }
  // erasures, last (they shrink the base): each request deletes another contact, from the top
  let nextDeleted = Number(range.max)
  await measure(
    'delete_contact',
    { url: base, method: 'DELETE', headers, request: () => ({ path: `/contacts/${nextDeleted--}` }) },
    null,
  )
  const rssMax = Math.max(uncachedRssMax, rss.stop())
  const report = {
    contacts: N,
    driver,
    node: process.version,
    cpus: cpus().length,
    cpu_model: cpus()[0]?.model ?? null,
    memory_gib: Math.round(totalmem() / 2 ** 30),
    date: new Date().toISOString(),
    duration_s: duration,
    import: {
      seconds: loaded.import.seconds,
      vacuum_seconds: loaded.import.vacuumSeconds,
      rows_per_s: loaded.import.rowsPerSecond,
    },
    server_rss_max_mib: rssMax,
    server_node_flags: nodeFlags,
    floor_node_flags: floorNodeFlags,
    walk,
    upsert_queue: upsertQueue,
    cases: results,
  }
  writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`)
  log(`wrote ${values.out}`)
} finally {
  await stopServer()
  await closeFloorWorker()
  await closeOnce()
  if (!values.keep) await database.drop()
}
