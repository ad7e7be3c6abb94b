import { expect, test } from 'vitest'
import { duration, progressLine } from './progress.ts'

test('the progress line: a bar and a percentage when the share is known, the rows, the rate, the time left', () => {
  expect(progressLine(500_000, 25, 0.5)).toBe(
    '[############............]  50%  500,000 rows, 20,000 rows/s, 0:25 left',
  )
  expect(progressLine(100_000, 30, 0.04)).toBe(
    '[#.......................]   4%  100,000 rows, 3,333 rows/s, 12:00 left',
  )
  expect(progressLine(0, 0, 0)).toBe('[........................]   0%  0 rows, 0 rows/s')
  expect(progressLine(10, 1, 1.2)).toBe('[########################] 100%  10 rows, 10 rows/s, 0:00 left')
  expect(duration(3725)).toBe('1:02:05')
  expect(progressLine(1234, 2)).toBe('1,234 rows, 617 rows/s')
})
