// How the server serves the console next to the API, and the console's JavaScript budget.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { CONSOLE_DIST } from '../../src/http/console.ts'
import { useApp } from '../app.ts'

describe('the console', () => {
  const u = useApp()

  it('is built (by npm ci) and served under /app/, with / sending a browser there', async () => {
    expect(existsSync(`${CONSOLE_DIST}index.html`)).toBe(true)
    const root = await u.t.app.inject({ method: 'GET', url: '/' })
    expect(root.statusCode).toBe(302)
    expect(root.headers.location).toBe('/app/')
    for (const url of ['/app/', '/app/contacts/12']) {
      const page = await u.t.app.inject({ method: 'GET', url })
      expect(page.statusCode).toBe(200)
      expect(page.headers['content-type']).toMatch(/^text\/html/)
      expect(page.body).toContain('<div id="app">')
    }
  })

  it('leaves the API alone: unknown API routes are still 404 problem+json', async () => {
    const unknown = await u.t.app.inject({
      method: 'GET',
      url: '/contacts-nope',
      headers: { accept: 'text/html' },
    })
    expect(unknown.statusCode).toBe(404)
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/)
    const doc = (await u.t.app.inject({ method: 'GET', url: '/openapi.json' })).json()
    expect(Object.keys(doc.paths).filter((p: string) => p === '/' || p.startsWith('/app'))).toEqual([])
  })

  it('ships at most 300 KB of gzipped JavaScript', () => {
    const out = execFileSync(process.execPath, ['console/scripts/size.js'], { encoding: 'utf8' })
    expect(out).toMatch(/console JavaScript: [\d.]+ KB gzipped/)
  })
})
