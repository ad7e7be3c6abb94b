// The floor of each case: the same work as the route, without HTTP (BENCHMARKS.md, "What the
// figures mean"). Built here once, and timed in a child process (floor-worker.ts).
import { fork } from 'node:child_process'
import type { BenchForms } from '../src/bulk/generate.ts'
import { contactColumns } from '../src/contacts/contacts.repository.ts'
import * as contacts from '../src/contacts/contacts.service.ts'
import type { Db } from '../src/db/database.ts'
import * as searchRepo from '../src/search/search.repository.ts'
import * as searches from '../src/search/search.service.ts'
import type { Tenant } from '../src/shared/tenant.ts'
import { searchCases } from './cases.ts'
import type { FloorInit, FloorReply, FloorRequest } from './floor-worker.ts'
import { rawP50 } from './measure.ts'

/** p50 in ms of the service (every statement of the request and the mapping) and of its filter statement */
export type Floor = { service: number; sql: number }

export interface FloorSetup {
  tenant: Tenant
  forms: BenchForms
  /** the bench's --only, as a regular expression's source */
  only: string | null
  /** contact ids are drawn from this range (GET) */
  ids: { min: number; max: number }
  /** seconds of back-to-back runs for each p50 */
  rawSeconds: number
}

export async function buildFloors(db: Db, setup: FloorSetup): Promise<Map<string, () => Promise<Floor>>> {
  const { tenant, rawSeconds } = setup
  const only = setup.only ? new RegExp(setup.only) : null
  const wanted = (name: string) => !only || only.test(name)
  const randomId = () => setup.ids.min + Math.floor(Math.random() * (setup.ids.max - setup.ids.min + 1))
  const floors = new Map<string, () => Promise<Floor>>()
  for (const c of searchCases(setup.forms)) {
    if (!wanted(`search_${c.name}`) && !wanted(`kpi_${c.name}`)) continue
    const parsed = await searches.parseSearch(db, tenant, c.search)
    floors.set(c.name, async () => ({
      service: await rawP50(() => searches.search(db, tenant, c.search), rawSeconds),
      sql: await rawP50(() => searchRepo.page(db, tenant, parsed), rawSeconds),
    }))
    if (c.kpi) {
      // the count itself, never the server's count cache: the floor of an uncached /kpi
      const statement = searchRepo.countStatement(db, tenant, parsed.query)
      floors.set(`kpi_${c.name}`, async () => {
        const t = await rawP50(() => searchRepo.runCount(db, statement), rawSeconds)
        return { service: t, sql: t }
      })
    }
  }
  floors.set('get_contact', async () => ({
    service: await rawP50(() => contacts.get(db, tenant, randomId()), rawSeconds),
    sql: await rawP50(
      () =>
        db
          .selectFrom('contact')
          .select(contactColumns)
          .where('group_id', '=', tenant.groupId)
          .where('id', '=', randomId())
          .execute(),
      rawSeconds,
    ),
  }))
  return floors
}

export interface FloorWorker {
  /** the Node flags the worker runs with, as it sees them */
  execArgv: string[]
  /** every floor it can time: the cases' names, `kpi_<case>`, `get_contact` */
  names: string[]
  floor(name: string): Promise<Floor>
  close(): Promise<void>
}

/** Starts floor-worker.ts with `nodeFlags` (the server's) on the bench's database; one request at a time. */
export async function startFloorWorker(
  nodeFlags: string[],
  database: FloorInit['database'],
  setup: FloorSetup,
): Promise<FloorWorker> {
  const child = fork(new URL('./floor-worker.ts', import.meta.url), [], { execArgv: nodeFlags })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const next = () =>
    new Promise<FloorReply>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the floor worker exited with ${code}`))
      child.once('exit', onExit)
      child.once('message', (reply: FloorReply) => {
        child.off('exit', onExit)
        if ('error' in reply) reject(new Error(`floor worker: ${reply.error}`))
        else resolve(reply)
      })
    })
  const ask = (request: FloorRequest | FloorInit) => {
    const reply = next()
    child.send(request)
    return reply
  }
  const ready = await ask({ database, setup })
  if (!('ready' in ready)) throw new Error('floor worker: no ready reply')
  return {
    execArgv: ready.execArgv,
    names: ready.names,
    async floor(name) {
      const reply = await ask({ name })
      if (!('floor' in reply)) throw new Error(`floor worker: unexpected reply to ${name}`)
      return reply.floor
    },
    async close() {
      if (child.connected) child.send({ close: true } satisfies FloorRequest)
      await exited
    },
  }
}
