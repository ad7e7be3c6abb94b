import { expect, test } from 'vitest'
import { concurrencyLimit } from './limit.ts'

const tick = () => new Promise((resolve) => setTimeout(resolve, 5))

test('never runs more than `size` tasks at once, and runs every task in arrival order', async () => {
  const run = concurrencyLimit(2)
  let running = 0
  let peak = 0
  const started: number[] = []
  const results = await Promise.all(
    Array.from({ length: 7 }, (_, i) =>
      run(async () => {
        started.push(i)
        running++
        peak = Math.max(peak, running)
        await tick()
        running--
        return i * 10
      }),
    ),
  )
  expect(results).toEqual([0, 10, 20, 30, 40, 50, 60])
  expect(peak).toBe(2)
  expect(started).toEqual([0, 1, 2, 3, 4, 5, 6])
})

test('a failing task frees its slot', async () => {
  const run = concurrencyLimit(1)
  await expect(run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
  await expect(run(async () => 'next')).resolves.toBe('next')
})
