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

const DATE_PREFIX = /^(\d{4})-(\d\d)-(\d\d)/

/** Days in a month of the proleptic Gregorian calendar (month 1–12). */
const daysIn = (year: number, month: number) =>
  month === 2
    ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
      ? 29
      : 28
    : 30 + ((month + (month >> 3)) & 1)

/**
 * Accepts 'YYYY-MM-DD' or an ISO date-time and keeps the calendar date; null if unparseable.
 * Checked by arithmetic: a round trip through Date is a sizeable share of an imported row's cost.
 */
export function toDateOnly(input: string): string | null {
  const m = DATE_PREFIX.exec(input)
  if (!m) return null
  const year = Number(m[1])
  const month = Number(m[2])
  const day = Number(m[3])
  // year 0 does not exist (PostgreSQL refuses 0000-01-01)
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month) ? m[0] : null
}

const DATE_OR_DATETIME = /^(\d{4})-\d\d-\d\d(?:[T ]\d\d:\d\d(?::(\d\d)(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?$/

/**
 * 'YYYY-MM-DD' or an ISO 8601 date-time that both databases store and give back as it was
 * meant: a UTC instant in the years 0001–9999 (year 0 does not exist for PostgreSQL, and JS
 * dates past 9999 do not print as ISO 8601), and no leap second (`23:59:60`: JS dates cannot
 * represent it, and PGlite and PostgreSQL would store it differently).
 */
export function isStorableDate(value: string): boolean {
  const m = DATE_OR_DATETIME.exec(value)
  if (!m || Number(m[1]) < 1 || Number(m[2] ?? 0) > 59) return false
  const at = Date.parse(value)
  if (!Number.isFinite(at)) return false
  const year = new Date(at).getUTCFullYear()
  return year >= 1 && year <= 9999
}
