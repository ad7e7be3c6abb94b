import { spawn } from 'node:child_process'
import { expect, test } from 'vitest'
import { buildApp } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import { openDatabase } from '../../src/db/open.ts'
import { driver, testConfig } from '../app.ts'
import { runToEnd } from '../process.ts'
import { tempDir } from '../tmp.ts'

test.runIf(driver === 'pglite')(
  'spaces and keys from the command line',
  async () => {
    const env = { DATA_DIR: tempDir('carnet-cli-') }
    const cli = (...args: string[]) => runToEnd('src/cli.ts', args, env)

    const space = await cli('spaces', 'create', '--name', 'Campagne')
    expect(space.code).toBe(0)
    const spaceId = /Created space (\d+)/.exec(space.output)![1]!

    const created = await cli('keys', 'create', '--space', spaceId, '--name', 'site')
    expect(created.code).toBe(0)
    const key = created.output.trim().split('\n').at(-1)!
    expect(key).toMatch(/^crn_[A-Za-z0-9_-]{32}$/)

    const listed = await cli('keys', 'list', '--space', spaceId)
    expect(listed.output).toContain('active')
    expect(listed.output).not.toContain(key) // only a prefix is ever shown again

    expect((await cli('keys', 'revoke', '--space', spaceId, '--id', '1')).code).toBe(0)
    expect((await cli('keys', 'list', '--space', spaceId)).output).toContain('revoked')

    const bad = await cli('keys', 'create')
    expect(bad.code).toBe(2)
    expect(bad.output).toContain('--space <integer> is required')
    const unknown = await cli('nope', 'nope')
    expect(unknown.code).toBe(2)
    expect(unknown.output).toContain('unknown command "nope"')
    // each command is a process of its own that opens the database: slow on a busy machine
  },
  240_000,
)

test.runIf(driver === 'pglite')(
  'the first user from the command line: a one-time link, or the password on stdin',
  async () => {
    const dataDir = tempDir('carnet-cli-users-')
    const env = { DATA_DIR: dataDir, PUBLIC_URL: 'https://crm.example.org' }
    const cli = (...args: string[]) => runToEnd('src/cli.ts', args, env)
    const spaceId = /Created space (\d+)/.exec(
      (await cli('spaces', 'create', '--name', 'Campagne')).output,
    )![1]!

    const created = await cli(
      'users',
      'create',
      '--space',
      spaceId,
      '--mail',
      'chef@example.org',
      '--role',
      'superadmin',
    )
    expect(created.code).toBe(0)
    expect(created.output).toMatch(/Created user \d+ \(chef@example\.org\) in space \d+ as superadmin/)
    const token = /https:\/\/crm\.example\.org\/v1\/invitations\/([\w-]+)\/accept/.exec(created.output)![1]!

    const child = spawn(
      process.execPath,
      ['src/cli.ts', 'users', 'create', '--space', spaceId, '--mail', 'aide@example.org', '--password-stdin'],
      {
        env: { ...process.env, ...env },
      },
    )
    let output = ''
    child.stdout.on('data', (chunk) => {
      output += chunk
    })
    child.stdin.end('a long enough password\n')
    expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(0)
    expect(output).toMatch(/as user\.\n$/)
    expect(output).not.toContain('/accept')

    const listed = await cli('users', 'list', '--space', spaceId)
    expect(listed.output).toMatch(/chef@example\.org\tsuperadmin/)
    expect(listed.output).toMatch(/aide@example\.org\tuser/)
    expect((await cli('users', 'create', '--space', spaceId, '--mail', 'chef@example.org')).code).not.toBe(0)

    // the link sets the first user's password, once; the second logs in with the one from stdin
    const database = await openDatabase(loadConfig(env))
    try {
      const app = await buildApp({ config: testConfig, db: database.db })
      const accept = () =>
        app.inject({
          method: 'POST',
          url: `/v1/invitations/${token}/accept`,
          payload: { data: { password: 'the chief password' } },
        })
      expect((await accept()).statusCode).toBe(200)
      expect((await accept()).statusCode).toBe(410)
      const login = (mail: string, password: string) =>
        app.inject({ method: 'POST', url: '/v1/auth/login', payload: { mail, password } })
      const chief = await login('chef@example.org', 'the chief password')
      expect(chief.statusCode).toBe(200)
      expect(chief.json().data.user.role_data.type).toBe('superadmin')
      expect((await login('aide@example.org', 'a long enough password')).statusCode).toBe(200)
      await app.close()
    } finally {
      await database.close()
    }
  },
  600_000,
)
