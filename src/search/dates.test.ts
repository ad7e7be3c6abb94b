import { describe, expect, test } from 'vitest'
import { type Interval, parseDateValue, toDay, toIso } from './dates.ts'

const NOW = new Date('2024-03-15T13:45:30.123Z')
const show = (i: Interval | string) =>
  typeof i === 'string' ? i : { lo: toIso(i.lo), hi: i.hi === null ? null : toIso(i.hi) }

describe('date values', () => {
  test.each([
    ['2024-01-01', '2024-01-01T00:00:00.000000Z', '2024-01-02T00:00:00.000000Z'],
    ['2024-01-01T10:00:00Z', '2024-01-01T10:00:00.000000Z', null],
    ['2022-10-13T15:50:34.643724Z', '2022-10-13T15:50:34.643724Z', null],
    ['2024-01-01T12:00:00+02:00', '2024-01-01T10:00:00.000000Z', null],
    ['2024-01-01 08:30', '2024-01-01T08:30:00.000000Z', null],
    ['now', '2024-03-15T13:45:30.123000Z', null],
    ['now-1d/d', '2024-03-14T00:00:00.000000Z', '2024-03-15T00:00:00.000000Z'],
    ['now-1h', '2024-03-15T12:45:30.123000Z', null],
    ['now+1y', '2025-03-15T13:45:30.123000Z', null],
    ['now/M', '2024-03-01T00:00:00.000000Z', '2024-04-01T00:00:00.000000Z'],
    ['now/w', '2024-03-11T00:00:00.000000Z', '2024-03-18T00:00:00.000000Z'], // a Monday
    ['now/y', '2024-01-01T00:00:00.000000Z', '2025-01-01T00:00:00.000000Z'],
    ['now/H', '2024-03-15T13:00:00.000000Z', '2024-03-15T14:00:00.000000Z'],
    ['now-90m/m', '2024-03-15T12:15:00.000000Z', '2024-03-15T12:16:00.000000Z'],
    ['now+30s/s', '2024-03-15T13:46:00.000000Z', '2024-03-15T13:46:01.000000Z'],
    ['now-1M-2d+3h', '2024-02-13T16:45:30.123000Z', null],
    ['2024-01-01||+1M/M', '2024-02-01T00:00:00.000000Z', '2024-03-01T00:00:00.000000Z'],
    ['2024-01-31||+1M', '2024-02-29T00:00:00.000000Z', null], // clamped to the month's end
    ['2023-01-31||+1M', '2023-02-28T00:00:00.000000Z', null],
    ['2024-02-29||+1y', '2025-02-28T00:00:00.000000Z', null],
    ['2024-01-01T10:00:00Z||-1w', '2023-12-25T10:00:00.000000Z', null],
  ])('%s → [%s, %s)', (value, lo, hi) => {
    expect(show(parseDateValue(value, NOW))).toEqual({ lo, hi })
  })

  test.each([
    'yesterday',
    'now-1x',
    'now-d',
    '2024-13-01',
    '2024-02-30',
    '2024-01-01|+1d',
    'now//d',
    '01/02/2024',
    '',
  ])('%s is refused with a message', (value) => {
    const result = parseDateValue(value, NOW)
    expect(typeof result).toBe('string')
    expect(result).toMatch(/date/)
  })

  test('days of instants, rounded down or up to a midnight', () => {
    const at = (iso: string) => {
      const i = parseDateValue(iso, NOW) as Interval
      return i.lo
    }
    expect(toDay(at('2024-01-01T00:00:00Z'), 'up')).toBe('2024-01-01')
    expect(toDay(at('2024-01-01T00:00:01Z'), 'up')).toBe('2024-01-02')
    expect(toDay(at('2024-01-01T23:59:59Z'), 'down')).toBe('2024-01-01')
    expect(toDay(at('1955-07-06T12:00:00Z'), 'down')).toBe('1955-07-06')
    expect(toDay(at('1955-07-06T12:00:00Z'), 'up')).toBe('1955-07-07')
  })
})
