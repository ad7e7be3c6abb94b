// Named prepared statements on PostgreSQL. Planning, not parsing, is most of a short statement's
// cost here, and PostgreSQL may reuse a generic plan for a prepared one (forcing custom plans on
// prepared statements gained nothing; docs/architecture.md). Kysely sends every
// statement unnamed, so the pool's clients are wrapped to name each distinct text they send.
import { sql } from 'kysely'
import type pg from 'pg'
import { withMembers } from './clients.ts'

/**
 * Ends the statements that must be planned for their values every time: search filters, whose
 * best plan depends on how many contacts a value matches (Lyon or a village), and whose shapes
 * are as many as the queries clients write. Used as `.modifyEnd(unprepared)`.
 */
const MARK = '/* unprepared */'
export const unprepared = sql.raw(MARK)

/**
 * Distinct statements prepared per connection. Each keeps its plan in the server process (a few
 * kB to tens of kB); past the cap, new texts run unnamed as before.
 */
export const PREPARED_PER_CONNECTION = 256

const wrapped = new WeakMap<pg.PoolClient, pg.PoolClient>()

/** The client, with `query(text, values)` sent as a named statement when it may be. */
export function preparing(client: pg.PoolClient, cap = PREPARED_PER_CONNECTION): pg.PoolClient {
  let proxy = wrapped.get(client)
  if (proxy) return proxy
  const names = new Map<string, string>()
  const query = (text: unknown, values?: unknown[]) => {
    if (typeof text !== 'string' || text.includes(MARK)) return client.query(text as string, values)
    let name = names.get(text)
    if (name === undefined) {
      if (names.size >= cap) return client.query(text, values)
      // unique on this connection, which is all a statement name has to be
      name = `carnet_${names.size}`
      names.set(text, name)
    }
    return client.query({ name, text, values })
  }
  proxy = withMembers(client, { query })
  wrapped.set(client, proxy)
  return proxy
}
