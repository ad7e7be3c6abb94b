// npm run bench:history -- --contacts N --rounds R --duration S --out FILE.json
// PATCH /contacts/{id} with the contact history on and off, side by side on one PostgreSQL
// database: N generated contacts loaded once, then R rounds, each starting the real server with
// HISTORY=on and with HISTORY=off (the order alternating each round, as other work shares the
// CPU) and loading it with autocannon at c=1 for S seconds. See BENCHMARKS.md.
import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import { generateContacts } from '../src/bulk/generate.ts'
import { load, type Stats } from './measure.ts'
import { freshDatabase, loadSpace } from './setup.ts'

const { values } = parseArgs({
  options: {
    contacts: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '10' },
    out: { type: 'string', default: 'bench-history.json' },
    port: { type: 'string', default: String(20_000 + Math.floor(Math.random() * 20_000)) },
  },
})
const N = Number(values.contacts)
const rounds = Number(values.rounds)
const duration = Number(values.duration)
const port = Number(values.port)
const log = (message: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`)

const startScript = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } })
  .scripts.start
const nodeFlags = startScript.split(/\s+/).filter((word) => word.startsWith('--'))

const database = await freshDatabase('pg')
let server: ChildProcess | undefined
try {
  log(`loading ${N} contacts`)
  const open = await database.open()
  const loaded = await loadSpace(open, N, 1)
  const { rows } = await sql<{ min: number; max: number }>`
    select min(id) as min, max(id) as max from contact where group_id = ${loaded.tenant.groupId}`.execute(
    open.db,
  )
  const ids = rows[0]!
  await open.close()
  const pool = [...generateContacts(200, 2, loaded.forms)]
  const target = {
    url: `http://127.0.0.1:${port}`,
    method: 'PATCH' as const,
    headers: { authorization: `Bearer ${loaded.key}` },
    request: () => ({
      path: `/contacts/${ids.min + Math.floor(Math.random() * (ids.max - ids.min + 1))}`,
      body: JSON.stringify({ data: { contact: pool[Math.floor(Math.random() * pool.length)] } }),
    }),
  }
  const runs: ({ history: 'on' | 'off'; round: number } & Stats)[] = []
  for (let round = 1; round <= rounds; round++) {
    const order = round % 2 === 1 ? (['on', 'off'] as const) : (['off', 'on'] as const)
    for (const history of order) {
      server = await start({ HISTORY: history })
      await load(target, 1, 1) // warm-up, untimed
      const stats = await load(target, 1, duration)
      runs.push({ history, round, ...stats })
      log(
        `round ${round} HISTORY=${history}: p50 ${stats.p50_ms} ms, p95 ${stats.p95_ms}, ${stats.rps} req/s`,
      )
      await stop()
    }
  }
  const median = (list: number[]) => list.sort((a, b) => a - b)[Math.floor(list.length / 2)]!
  const p50 = (history: string) => median(runs.filter((r) => r.history === history).map((r) => r.p50_ms))
  const report = {
    contacts: N,
    duration,
    runs,
    median_p50_on: p50('on'),
    median_p50_off: p50('off'),
    ratio: Math.round((p50('on') / p50('off')) * 1000) / 1000,
  }
  writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`)
  log(`median p50 on ${report.median_p50_on} ms, off ${report.median_p50_off} ms, ratio ${report.ratio}`)
} finally {
  await stop()
  await database.drop()
}

async function start(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...nodeFlags, 'src/main.ts'], {
    env: {
      ...process.env,
      ...database.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      RATE_LIMIT: 'off',
      LOG_LEVEL: 'warn',
      UPSERT_WORKER: 'off',
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

async function stop(): Promise<void> {
  const child = server
  server = undefined
  if (!child || child.exitCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  await exited
}
