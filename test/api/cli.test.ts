import { expect, test } from 'vitest'
import { driver } from '../app.ts'
import { runToEnd } from '../process.ts'
import { tempDir } from '../tmp.ts'

test.runIf(driver === 'pglite')('spaces and keys from the command line', async () => {
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
})
