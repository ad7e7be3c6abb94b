// Date values of the search language (docs/search.md, Dates): ISO 8601 dates or instants, or
// Elasticsearch-style date math — an anchor (`now` or `<date>||`), any number of `+N<unit>` /
// `-N<unit>`, an optional `/<unit>` rounding; units y M w d h H m s; everything in UTC.
// A value becomes an interval of instants in microseconds since the epoch: a date without a
// time, or a rounded value, covers its whole unit [lo, hi); an instant is the point lo (hi null).

export interface Interval {
  lo: number
  hi: number | null
}

const US = { s: 1e6, m: 60e6, h: 3600e6, d: 86_400e6 } as const
const ISO = /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?(Z|[+-]\d\d:?\d\d)?)?$/

/** '2024-01-01' or an ISO instant → { micros, dateOnly }, or null if it is not one. */
export function parseIso(text: string): { micros: number; dateOnly: boolean } | null {
  const m = ISO.exec(text)
  if (!m) return null
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone = 'Z'] = m
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s))
  const back = new Date(ms)
  const fields = [back.getUTCFullYear(), back.getUTCMonth() + 1, back.getUTCDate(), back.getUTCHours()]
  if (fields.join() !== [y, mo, d, h].map(Number).join() || Number(mi) > 59) return null
  if (Number(s) > 59) return null
  let offset = 0
  if (zone !== 'Z') {
    const z = /^([+-])(\d\d):?(\d\d)$/.exec(zone)!
    offset = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3])) * 60e6
  }
  const micros = ms * 1000 + Number(frac.padEnd(6, '0').slice(0, 6)) - offset
  return { micros, dateOnly: m[4] === undefined }
}

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month + 1, 0)).getUTCDate()

/** Calendar arithmetic in UTC; months and years clamp the day (Jan 31 + 1M = Feb 28/29). */
function add(micros: number, n: number, unit: string): number {
  if (unit === 'y' || unit === 'M') {
    const ms = Math.floor(micros / 1000)
    const rest = micros - ms * 1000
    const t = new Date(ms)
    const months = t.getUTCFullYear() * 12 + t.getUTCMonth() + (unit === 'y' ? 12 * n : n)
    const year = Math.floor(months / 12)
    const month = months - year * 12
    t.setUTCFullYear(year, month, Math.min(t.getUTCDate(), daysIn(year, month)))
    return t.getTime() * 1000 + rest
  }
  if (unit === 'w') return micros + n * 7 * US.d
  return micros + n * US[unit === 'H' ? 'h' : (unit as 's' | 'm' | 'h' | 'd')]
}

/** Start of the unit containing the instant (weeks start on Monday, as in ISO 8601). */
function floor(micros: number, unit: string): number {
  const t = new Date(Math.floor(micros / 1000))
  const y = t.getUTCFullYear()
  const mo = t.getUTCMonth()
  const d = t.getUTCDate()
  switch (unit) {
    case 'y':
      return Date.UTC(y, 0, 1) * 1000
    case 'M':
      return Date.UTC(y, mo, 1) * 1000
    case 'w':
      return (Date.UTC(y, mo, d) - ((t.getUTCDay() + 6) % 7) * 86_400_000) * 1000
    case 'd':
      return Date.UTC(y, mo, d) * 1000
    case 'h':
    case 'H':
      return Date.UTC(y, mo, d, t.getUTCHours()) * 1000
    case 'm':
      return Date.UTC(y, mo, d, t.getUTCHours(), t.getUTCMinutes()) * 1000
    default:
      return Math.floor(micros / 1e6) * 1e6
  }
}

const MATH = /^(now|.+?\|\|)((?:[+-]\d+[yMwdhHms])*)(?:\/([yMwdhHms]))?$/

/** Parses a date value; a string describing what is wrong when it cannot. */
export function parseDateValue(text: string, now: Date): Interval | string {
  const plain = parseIso(text)
  if (plain)
    return plain.dateOnly
      ? { lo: plain.micros, hi: add(plain.micros, 1, 'd') }
      : { lo: plain.micros, hi: null }
  const m = MATH.exec(text)
  if (!m)
    return `"${text}" is not a date: use an ISO 8601 date or instant, or date math such as now-1d/d or 2024-01-01||+1M/M`
  let t: number
  if (m[1] === 'now') t = now.getTime() * 1000
  else {
    const anchor = parseIso(m[1]!.slice(0, -2))
    if (!anchor) return `"${m[1]!.slice(0, -2)}" before || is not an ISO 8601 date or instant`
    t = anchor.micros
  }
  for (const step of m[2]!.matchAll(/([+-]\d+)([yMwdhHms])/g)) t = add(t, Number(step[1]), step[2]!)
  const unit = m[3]
  const lo = unit ? floor(t, unit) : t
  const interval = { lo, hi: unit ? add(lo, 1, unit) : null }
  // date math can go past any calendar (now+300000y): refused here, not left to fail later
  if (!inCalendar(interval.lo) || (interval.hi !== null && !inCalendar(interval.hi)))
    return `"${text}" falls outside the years 0001 to 9999`
  return interval
}

const FIRST_INSTANT = Date.parse('0001-01-01T00:00:00Z') * 1000
const PAST_LAST_INSTANT = Date.parse('9999-12-31T00:00:00Z') * 1000 + US.d
const inCalendar = (micros: number) =>
  Number.isFinite(micros) && micros >= FIRST_INSTANT && micros <= PAST_LAST_INSTANT

/** Microseconds → '2024-01-01T00:00:00.000000Z', what PostgreSQL reads as a timestamptz. */
export function toIso(micros: number): string {
  const ms = Math.floor(micros / 1000)
  const rest = micros - ms * 1000
  const base = new Date(ms).toISOString()
  return `${base.slice(0, 23)}${String(rest).padStart(3, '0')}Z`
}

/** Microseconds → the calendar day 'YYYY-MM-DD' of the instant, rounded down or up to a midnight. */
export function toDay(micros: number, round: 'down' | 'up'): string {
  const day = Math.floor(micros / US.d)
  const whole = day * US.d === micros
  const n = round === 'up' && !whole ? day + 1 : day
  return new Date(n * 86_400_000).toISOString().slice(0, 10)
}

export const isMidnight = (micros: number) => Math.floor(micros / US.d) * US.d === micros
