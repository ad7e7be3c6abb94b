// A child process that times the floors (floors.ts) when asked. The bench starts it with the
// server's Node flags, so that both sides of HTTP/raw run under the same heap settings: with a
// larger young generation than the server's, the bench process itself timed a page of 1,000
// 10–20 % faster than the same code under `npm start`'s flags (BENCHMARKS.md).
import { openDatabase } from '../src/db/open.ts'
import { buildFloors, type FloorSetup } from './floors.ts'

export type FloorRequest = { name: string } | { close: true }
/** `ready` carries the worker's own Node flags (the report shows them beside the server's) and its floors' names */
export type FloorReply =
  | { ready: true; execArgv: string[]; names: string[] }
  | { floor: { service: number; sql: number } }
  | { error: string }
export interface FloorInit {
  database: { DATABASE_URL?: string; DATA_DIR?: string }
  setup: FloorSetup
}

const send = (reply: FloorReply) => process.send!(reply)

process.once('message', async (init: FloorInit) => {
  try {
    const open = await openDatabase({
      databaseUrl: init.database.DATABASE_URL,
      dataDir: init.database.DATA_DIR ?? '',
    })
    const floors = await buildFloors(open.db, init.setup)
    process.on('message', async (request: FloorRequest) => {
      if ('close' in request) {
        await open.close()
        process.disconnect()
        return
      }
      try {
        const floor = floors.get(request.name)
        if (!floor) throw new Error(`no floor named ${request.name}`)
        send({ floor: await floor() })
      } catch (error) {
        send({ error: String(error) })
      }
    })
    send({ ready: true, execArgv: process.execArgv, names: [...floors.keys()] })
  } catch (error) {
    send({ error: String(error) })
  }
})
