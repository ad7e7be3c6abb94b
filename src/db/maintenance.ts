// Embedded PGlite has no autovacuum: without this, planner statistics go stale as contacts are
// written and search plans degrade. The server runs one ANALYZE once enough rows changed since
// the last one (PostgreSQL's autovacuum rule, simplified), checked every few minutes.
import { sql } from 'kysely'
import type { Db } from './database.ts'

export interface MaintenanceOptions {
  /** how often the change counter is read */
  intervalMs?: number
  /** row changes (inserts + updates + deletes) since the last ANALYZE that trigger one */
  threshold?: number
}

/** One check: ANALYZE when at least `threshold` rows changed. True when it ran. */
export async function analyzeIfChanged(db: Db, threshold: number): Promise<boolean> {
  const { rows } = await sql<{ changes: string | number | null }>`
    select sum(n_mod_since_analyze) as changes from pg_stat_user_tables`.execute(db)
  if (Number(rows[0]?.changes ?? 0) < threshold) return false
  await sql`analyze`.execute(db)
  return true
}

/** Starts the periodic check; the returned function stops it (and waits for a running one). */
export function startMaintenance(db: Db, options: MaintenanceOptions = {}): () => Promise<void> {
  const { intervalMs = 3 * 60_000, threshold = 5_000 } = options
  let running: Promise<unknown> = Promise.resolve()
  const timer = setInterval(() => {
    running = analyzeIfChanged(db, threshold).catch((error) => console.error('maintenance:', error))
  }, intervalMs)
  timer.unref()
  return async () => {
    clearInterval(timer)
    await running
  }
}
