import type { KeyScope } from '../db/database.ts'

/** How a write reached the data, as the contact's history records it. */
export type Channel = 'api' | 'upsert' | 'import' | 'console' | 'cli'

/**
 * The space a request acts in, resolved from its API key, and who acts: every query takes it
 * explicitly. Outside a request (the upsert worker, an import) the optional fields say who
 * started the work.
 */
export interface Tenant {
  groupId: number
  /** the API key of the request (or of the queued upsert); 0 when no key is involved */
  apiKeyId: number
  /** what that key may do; absent: everything (the CLI, the worker) */
  keyScope?: KeyScope
  /** the user the key is tied to, or of the console session */
  userId?: number | null
  /** where the write came from: `api` (the default), `upsert`, `import`, `console`, `cli` */
  channel?: Channel
  /** the route of the request, e.g. `PATCH /contacts/{id}` */
  route?: string
  /** false: writes record no history (HISTORY=off, for measuring its cost) */
  history?: boolean
}
