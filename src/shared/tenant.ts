import type { RoleType } from '../db/database.ts'

/** The space a request acts in, resolved from its API key or session. Every query takes it explicitly. */
export interface Tenant {
  groupId: number
  /** 0 when a session (not a key) authenticated the request */
  apiKeyId: number
  /** The user acting, when a session authenticated the request; absent for a key without user. */
  userId?: number
  /** The acting user's role in this space (absent for a key without user: full access). */
  role?: RoleType
  /**
   * The only contacts this caller may see: a search query (the `query` of POST /search), set on
   * a user by PATCH /users/role `advanced_search`. Absent: every contact of the space.
   */
  scope?: unknown
}
