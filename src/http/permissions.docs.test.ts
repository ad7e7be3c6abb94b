// docs/permissions.md shows the matrix as two tables: they must say what the code does.
import { readFile } from 'node:fs/promises'
import { expect, test } from 'vitest'
import { PERMISSIONS, ROLE_PERMISSIONS } from '../shared/permissions.ts'
import { ROUTE_PERMISSIONS } from './access.ts'

const ROLES = ['superadmin', 'admin', 'manager', 'user'] as const

test('docs/permissions.md tables match the code', async () => {
  const text = await readFile(new URL('../../docs/permissions.md', import.meta.url), 'utf8')
  const rows = text
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim().replace(/^`|`$/g, '')),
    )
  const documented = Object.fromEntries(rows.filter((r) => r.length === 5).map(([p, ...marks]) => [p, marks]))
  expect(Object.keys(documented)).toEqual([...PERMISSIONS])
  for (const p of PERMISSIONS)
    expect(documented[p], p).toEqual(ROLES.map((role) => (ROLE_PERMISSIONS[role].has(p) ? '✓' : '')))
  const routes = Object.fromEntries(rows.filter((r) => r.length === 2).map(([route, p]) => [route, p]))
  expect(routes).toEqual(
    Object.fromEntries(
      Object.entries(ROUTE_PERMISSIONS).map(([route, p]) => [route, p ?? 'any caller of the space']),
    ),
  )
})
