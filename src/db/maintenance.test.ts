import { afterAll, beforeAll, expect, test } from 'vitest'
import { driver, type TestApp, testApp } from '../../test/app.ts'
import { createContact } from '../../test/fixtures.ts'
import { analyzeIfChanged } from './maintenance.ts'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

// The server runs this maintenance on PGlite only (PostgreSQL has autovacuum); on the shared pg test
// database other test files write concurrently, so the second call could see their changes.
test.runIf(driver === 'pglite')(
  'ANALYZE runs once enough rows changed, then not again until more change',
  async () => {
    const space = await t.newSpace()
    await analyzeIfChanged(t.conn.db, 0) // start from fresh statistics
    for (let i = 0; i < 5; i++) await createContact(space, { firstname: `M${i}` })
    // the cumulative statistics are flushed asynchronously on PostgreSQL: wait for them
    const deadline = Date.now() + 5000
    let ran = false
    while (!ran && Date.now() < deadline) {
      ran = await analyzeIfChanged(t.conn.db, 5)
      if (!ran) await new Promise((resolve) => setTimeout(resolve, 200))
    }
    expect(ran).toBe(true)
    expect(await analyzeIfChanged(t.conn.db, 5)).toBe(false)
  },
)
