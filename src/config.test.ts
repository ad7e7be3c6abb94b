import { expect, test } from 'vitest'
import { ConfigError, loadConfig } from './config.ts'

test('defaults: port 8080, rate limit on, 4 search pages at once', () => {
  const config = loadConfig({})
  expect(config).toMatchObject({ port: 8080, searchConcurrency: 4, upsertWorker: true })
  expect(config.rateLimit.enabled).toBe(true)
})

test('SEARCH_CONCURRENCY takes a positive integer and names itself when wrong', () => {
  expect(loadConfig({ SEARCH_CONCURRENCY: '16' }).searchConcurrency).toBe(16)
  expect(() => loadConfig({ SEARCH_CONCURRENCY: '0' })).toThrow(ConfigError)
  expect(() => loadConfig({ SEARCH_CONCURRENCY: 'many' })).toThrow(/SEARCH_CONCURRENCY/)
})

test('DATABASE_PREPARED_STATEMENTS is on unless turned off', () => {
  expect(loadConfig({}).preparedStatements).toBe(true)
  expect(loadConfig({ DATABASE_PREPARED_STATEMENTS: 'off' }).preparedStatements).toBe(false)
  expect(() => loadConfig({ DATABASE_PREPARED_STATEMENTS: 'maybe' })).toThrow(/DATABASE_PREPARED_STATEMENTS/)
  expect(loadConfig({ UPSERT_WORKER: 'OFF' }).upsertWorker).toBe(false)
  expect(() => loadConfig({ UPSERT_WORKER: 'yes' })).toThrow(/UPSERT_WORKER must be "on" or "off"/)
})

test('every switch reads the same words: on/off, true/false, 1/0', () => {
  expect(loadConfig({ RATE_LIMIT: 'false' }).rateLimit.enabled).toBe(false)
  expect(loadConfig({ RATE_LIMIT: '0' }).rateLimit.enabled).toBe(false)
  expect(loadConfig({ RATE_LIMIT: 'On' }).rateLimit.enabled).toBe(true)
  expect(() => loadConfig({ RATE_LIMIT: 'sometimes' })).toThrow(/RATE_LIMIT must be "on" or "off"/)
  expect(loadConfig({ UPSERT_WORKER: '0' }).upsertWorker).toBe(false)
  expect(loadConfig({ DATABASE_PREPARED_STATEMENTS: 'false' }).preparedStatements).toBe(false)
  expect(loadConfig({}).countCache).toBe(true)
  expect(loadConfig({ COUNT_CACHE: 'off' }).countCache).toBe(false)
  expect(() => loadConfig({ COUNT_CACHE: 'never' })).toThrow(/COUNT_CACHE must be "on" or "off"/)
})

test('KEY_CACHE is on by default, off behind a pooler (prepared statements off) unless asked for', () => {
  expect(loadConfig({}).keyCache).toBe(true)
  expect(loadConfig({ KEY_CACHE: 'off' }).keyCache).toBe(false)
  expect(loadConfig({ DATABASE_PREPARED_STATEMENTS: 'off' }).keyCache).toBe(false)
  expect(loadConfig({ DATABASE_PREPARED_STATEMENTS: 'off', KEY_CACHE: 'on' }).keyCache).toBe(true)
  expect(() => loadConfig({ KEY_CACHE: 'maybe' })).toThrow(/KEY_CACHE must be "on" or "off"/)
})

test('the upsert worker: 2 claimers, batches of 32, 503 past 30 s of lag (0: never); integers only', () => {
  expect(loadConfig({})).toMatchObject({ upsertConcurrency: 2, upsertBatch: 32, upsertMaxLag: 30 })
  expect(loadConfig({ UPSERT_CONCURRENCY: '4', UPSERT_BATCH: '10', UPSERT_MAX_LAG: '0' })).toMatchObject({
    upsertConcurrency: 4,
    upsertBatch: 10,
    upsertMaxLag: 0,
  })
  expect(() => loadConfig({ UPSERT_CONCURRENCY: '0' })).toThrow(/UPSERT_CONCURRENCY/)
  expect(() => loadConfig({ UPSERT_BATCH: '0' })).toThrow(/UPSERT_BATCH/)
  expect(() => loadConfig({ UPSERT_MAX_LAG: '-1' })).toThrow(/UPSERT_MAX_LAG/)
})
