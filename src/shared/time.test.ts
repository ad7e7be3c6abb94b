import { describe, expect, it } from 'vitest'
import { toDateOnly } from './time.ts'

/** What a calendar says: the date survives a round trip through Date (years 100 and later). */
function calendar(input: string): string | null {
  const m = /^(\d{4})-(\d\d)-(\d\d)/.exec(input)
  if (!m) return null
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return date.toISOString().slice(0, 10) === m[0] ? m[0] : null
}

describe('toDateOnly', () => {
  it('agrees with the calendar on every day, month and leap rule', () => {
    const pad = (n: number, width: number) => String(n).padStart(width, '0')
    let checked = 0
    for (const year of [100, 1600, 1700, 1899, 1900, 1984, 1999, 2000, 2023, 2024, 2100, 2400, 9999])
      for (let month = 0; month <= 13; month++)
        for (let day = 0; day <= 32; day++) {
          const input = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`
          expect(toDateOnly(input), input).toBe(calendar(input))
          checked++
        }
    expect(checked).toBe(13 * 14 * 33)
  })

  it('keeps the date of a date-time and refuses what is not a date', () => {
    expect(toDateOnly('2024-02-29T23:59:59+02:00')).toBe('2024-02-29')
    expect(toDateOnly('2023-02-29')).toBeNull()
    expect(toDateOnly('0000-01-01')).toBeNull()
    expect(toDateOnly('0001-01-01')).toBe('0001-01-01')
    expect(toDateOnly('14/07/1985')).toBeNull()
    expect(toDateOnly('')).toBeNull()
  })
})
