// npm run bench:history-import -- --contacts N --rounds R
// The bulk import with and without its history lines (one per contact), alternating, each run
// into a fresh PostgreSQL database: rows per second. See BENCHMARKS.md.
import { parseArgs } from 'node:util'
import { ensureForms, generateContacts } from '../src/bulk/generate.ts'
import { importContacts } from '../src/bulk/import.ts'
import * as spaces from '../src/spaces/spaces.service.ts'
import { freshDatabase } from './setup.ts'

const { values } = parseArgs({
  options: { contacts: { type: 'string', default: '100000' }, rounds: { type: 'string', default: '3' } },
})
const N = Number(values.contacts)
const runs: { history: boolean; rowsPerSecond: number; seconds: number }[] = []
for (let round = 1; round <= Number(values.rounds); round++) {
  for (const history of round % 2 === 1 ? [true, false] : [false, true]) {
    const database = await freshDatabase('pg')
    try {
      const open = await database.open()
      const space = await spaces.createSpace(open.db, 'Benchmark')
      const tenant = { groupId: space.id, apiKeyId: 0, channel: 'import' as const, history }
      const forms = await ensureForms(open.db, tenant)
      async function* records() {
        let line = 0
        for (const value of generateContacts(N, 1, forms)) yield { line: ++line, value }
      }
      const summary = await importContacts(open, tenant, records(), {})
      runs.push({ history, rowsPerSecond: summary.rowsPerSecond, seconds: summary.seconds })
      console.error(`round ${round} history ${history ? 'on' : 'off'}: ${summary.rowsPerSecond} rows/s`)
      await open.close()
    } finally {
      await database.drop()
    }
  }
}
const median = (list: number[]) => list.sort((a, b) => a - b)[Math.floor(list.length / 2)]!
const on = median(runs.filter((r) => r.history).map((r) => r.rowsPerSecond))
const off = median(runs.filter((r) => !r.history).map((r) => r.rowsPerSecond))
console.log(JSON.stringify({ contacts: N, runs, median_on: on, median_off: off, ratio: on / off }, null, 2))
