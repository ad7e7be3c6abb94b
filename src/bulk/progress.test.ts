import { expect, test } from 'vitest'
import { progressLine } from './progress.ts'

test('the progress line: a bar and a percentage when the share is known, the rows and the rate', () => {
  expect(progressLine(500_000, 25, 0.5)).toBe('[############............]  50%  500,000 rows, 20,000 rows/s')
  expect(progressLine(0, 0, 0)).toBe('[........................]   0%  0 rows, 0 rows/s')
  expect(progressLine(10, 1, 1.2)).toBe('[########################] 100%  10 rows, 10 rows/s')
  expect(progressLine(1234, 2)).toBe('1,234 rows, 617 rows/s')
})
