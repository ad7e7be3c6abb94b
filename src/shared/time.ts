// Wire formats of the seeds: CreatedAt/UpdatedAt with microseconds, lastchange and form-answer
// dates with milliseconds, birthdate as midnight UTC. Database timestamps arrive as
// 'YYYY-MM-DDTHH:MM:SS.ffffffZ' (db/connect.ts).

export function millis(ts: string): string
export function millis(ts: string | null): string | null
export function millis(ts: string | null): string | null {
  return ts === null ? null : `${ts.slice(0, 23)}Z`
}

/** 'YYYY-MM-DD' → 'YYYY-MM-DDT00:00:00Z' */
export function birthdateToWire(date: string | null): string | null {
  return date === null ? null : `${date}T00:00:00Z`
}

/** Accepts 'YYYY-MM-DD' or an ISO date-time and keeps the calendar date; null if unparseable. */
export function toDateOnly(input: string): string | null {
  const m = /^(\d{4})-(\d\d)-(\d\d)/.exec(input)
  if (!m) return null
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return date.toISOString().slice(0, 10) === m[0] ? m[0] : null
}
