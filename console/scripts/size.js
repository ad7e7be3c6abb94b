// Fails the build when the JavaScript of the first page load, gzipped, passes the budget.
import { readdirSync, readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'

const BUDGET = 300 * 1024
const dir = new URL('../dist/assets/', import.meta.url)
let total = 0
for (const name of readdirSync(dir)) {
  if (!name.endsWith('.js')) continue
  total += gzipSync(readFileSync(new URL(name, dir)), { level: 9 }).length
}
console.log(`console JavaScript: ${(total / 1024).toFixed(1)} KB gzipped (budget ${BUDGET / 1024} KB)`)
if (total > BUDGET) process.exit(1)
