// The real server as a user starts it: `node src/main.ts` on an embedded data directory.
import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, inject, test, vi } from 'vitest'
import { driver } from '../app.ts'
import { freePort, type Running, run, runToEnd } from '../process.ts'
import { tempDir } from '../tmp.ts'

const exec = promisify(execFile)
const READY = /Carnet listening on/

/** The curl commands of the README's examples, one per paragraph of a ```sh block. */
function readmeCurls(): string[] {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!)
  return blocks
    .flatMap((block) => block.split(/\n\s*\n/))
    .filter((command) => command.trim().startsWith('curl'))
}

describe.runIf(driver === 'pglite')('the server process on an embedded database', () => {
  const dataDir = tempDir('carnet-server-')
  let port: number
  let server: Running
  const env = () => ({
    DATA_DIR: dataDir,
    PORT: String(port),
    BOOTSTRAP_API_KEY: 'dev-key-change-me',
    LOG_LEVEL: 'warn',
  })

  beforeAll(async () => {
    port = await freePort()
    server = await run('src/main.ts', [], env(), READY)
    expect(server.output()).toMatch(READY)
  })
  afterAll(() => {
    server.child.kill('SIGKILL')
  })

  test('the README examples work as written', async () => {
    const commands = readmeCurls()
    expect(commands.length).toBeGreaterThanOrEqual(4)
    for (const command of commands) {
      const { stdout } = await exec('bash', ['-c', command.replaceAll('localhost:8080', `127.0.0.1:${port}`)])
      expect(JSON.parse(stdout), command).toMatchObject({ status: 'success' })
    }
  })

  test('a second server on the same data directory refuses to start, and says why', async () => {
    const second = await run('src/main.ts', [], { ...env(), PORT: String(await freePort()) })
    expect(await second.exited).toBe(1)
    expect(second.output()).toContain('is in use by another Carnet process')
  })

  test('SIGTERM closes the database and frees the directory; the data is there after a restart', async () => {
    const headers = { authorization: 'Bearer dev-key-change-me', 'content-type': 'application/json' }
    const created = await fetch(`http://127.0.0.1:${port}/contacts`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ data: { contact: { surname: 'Persistent' } } }),
    }).then((r) => r.json() as Promise<any>)
    server.child.kill('SIGTERM')
    expect(await server.exited).toBe(0)
    expect(existsSync(join(dataDir, 'carnet.lock'))).toBe(false)

    server = await run('src/main.ts', [], env(), READY)
    const read = await fetch(`http://127.0.0.1:${port}/contacts/${created.data.contact.id}`, { headers })
    expect(read.status).toBe(200)
    expect(((await read.json()) as any).data.contact.surname).toBe('Persistent')
  })
})

describe.runIf(driver === 'pg')('the server process on PostgreSQL', () => {
  test('refuses to start on a database whose schema is behind, naming the command to run', async () => {
    const admin = 'postgres://postgres@127.0.0.1:5432/postgres'
    const name = `carnet_empty_${process.pid}`
    const pg = (await import('pg')).default
    const client = new pg.Client({ connectionString: admin })
    await client.connect()
    await client.query(`drop database if exists ${name}`)
    await client.query(`create database ${name}`)
    try {
      const server = await run('src/main.ts', [], {
        DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${name}`,
        PORT: String(await freePort()),
      })
      expect(await server.exited).toBe(1)
      expect(server.output()).toMatch(/schema is behind.*npm run db:migrate/s)
    } finally {
      await client.query(`drop database if exists ${name} with (force)`)
      await client.end()
    }
  })
  test('a key revoked with the CLI while the server runs stops working, without a restart', async () => {
    const env = { DATABASE_URL: inject('databaseUrl'), LOG_LEVEL: 'warn' }
    const cli = (...args: string[]) => runToEnd('src/cli.ts', args, env)
    const spaceId = /Created space (\d+)/.exec(
      (await cli('spaces', 'create', '--name', 'Revocation')).output,
    )![1]!
    const created = await cli('keys', 'create', '--space', spaceId, '--name', 'site')
    const key = created.output.trim().split('\n').at(-1)!
    const port = await freePort()
    const server = await run('src/main.ts', [], { ...env, PORT: String(port) }, READY)
    try {
      const actions = () =>
        fetch(`http://127.0.0.1:${port}/actions`, { headers: { authorization: `Bearer ${key}` } })
      // twice: the second answer comes from the server's key cache
      expect((await actions()).status).toBe(200)
      expect((await actions()).status).toBe(200)
      const listed = (await cli('keys', 'list', '--space', spaceId)).output
      const keyId = /^\s*(\d+)/m.exec(listed.split('\n').find((line) => line.includes('site'))!)![1]!
      expect((await cli('keys', 'revoke', '--space', spaceId, '--id', keyId)).code).toBe(0)
      await vi.waitFor(async () => expect((await actions()).status).toBe(401), { timeout: 3000 })
    } finally {
      server.child.kill('SIGKILL')
    }
  })
})
