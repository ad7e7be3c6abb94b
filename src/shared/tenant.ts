import type { KeyScope, RoleType } from '../db/database.ts'

/** How a write reached the data, as the contact's history records it. */
export type Channel = 'api' | 'upsert' | 'import' | 'console' | 'cli'

/**
 * The space a request acts in, resolved from its API key or session, and who acts: every query
 * takes it explicitly. Outside a request (the upsert worker, an import) the optional fields say
 * who started the work.
 */
export interface Tenant {
  groupId: number
  /** the API key of the request (or of the queued upsert); 0 for a session or when no key is involved */
  apiKeyId: number
  /** what that key may do; absent: everything (a session, the CLI, the worker) */
  keyScope?: KeyScope
  /** The user acting: of the session, or the user the key is tied to; absent for a key without user. */
  userId?: number
  /** The acting user's role in this space (absent for a key without user: full access). */
  role?: RoleType
  /**
   * The only contacts this caller may see: a search query (the `query` of POST /search), set on
   * a user by PATCH /users/role `advanced_search`. Absent: every contact of the space.
   */
  scope?: unknown
  /** where the write came from: `api` (the default), `upsert`, `import`, `console`, `cli` */
  channel?: Channel
  /** the route of the request, e.g. `PATCH /contacts/{id}` */
  route?: string
  /** false: writes record no history (HISTORY=off, for measuring its cost) */
  history?: boolean
}
