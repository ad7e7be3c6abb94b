import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { cycles, importGraph, upwardImports } from './architecture/imports.ts'

const src = fileURLToPath(new URL('../src/', import.meta.url))
const graph = importGraph(src)

describe('the imports of src/', () => {
  it('reads the imports (the check sees the files and their edges)', () => {
    expect(graph.get('contacts/contacts.routes.ts')).toContain('contacts/contacts.service.ts')
    expect(graph.size).toBeGreaterThan(50)
  })

  it('form no cycle', () => {
    expect(cycles(graph)).toEqual([])
  })

  it('never go from a lower layer to a higher one (db/shared < repository < service < routes/http < entry)', () => {
    expect(upwardImports(graph)).toEqual([])
  })
})

it('opens transactions through db/transaction.ts alone (deadlock retry, pipelining)', () => {
  // bulk/import.ts reads its records from a stream once: it cannot be run again, so it opens its
  // transaction on the one connection its COPY holds.
  const allowed = new Set(['db/transaction.ts', 'bulk/import.ts'])
  const direct = [...graph.keys()].filter(
    (file) => !allowed.has(file) && /\.transaction\(\)/.test(readFileSync(join(src, file), 'utf8')),
  )
  expect(direct).toEqual([])
})

describe('the check itself', () => {
  it('finds a cycle and an upward import', () => {
    const made = new Map([
      ['a/a.repository.ts', ['a/a.mapping.ts']],
      ['a/a.mapping.ts', ['a/a.service.ts']],
      ['a/a.service.ts', ['a/a.repository.ts', 'http/errors.ts']],
      ['db/x.ts', ['a/a.mapping.ts']],
      ['http/errors.ts', []],
    ])
    expect(cycles(made)).toEqual([['a/a.mapping.ts', 'a/a.repository.ts', 'a/a.service.ts']])
    expect(upwardImports(made).sort()).toEqual([
      'a/a.repository.ts -> a/a.mapping.ts -> a/a.service.ts',
      'a/a.service.ts -> http/errors.ts',
      'db/x.ts -> a/a.mapping.ts',
    ])
  })
})
