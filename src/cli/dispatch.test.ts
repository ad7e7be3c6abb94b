// The command line as a person meets it: help and errors, in-process for every command of the
// modules' tables, and through the real `carnet` process for a few.
import { expect, test } from 'vitest'
import { runToEnd } from '../../test/process.ts'
import { tempDir } from '../../test/tmp.ts'
import { actionCommands } from '../actions/actions.cli.ts'
import { bulkCommands } from '../bulk/bulk.cli.ts'
import { formCommands } from '../forms/forms.cli.ts'
import { spaceCommands } from '../spaces/spaces.cli.ts'
import type { Command } from './command.ts'
import { dispatch, errorLine } from './dispatch.ts'

const commands: Record<string, Command> = {
  ...spaceCommands,
  ...formCommands,
  ...actionCommands,
  ...bulkCommands,
}

async function help(argv: string[]): Promise<string> {
  const lines: string[] = []
  await dispatch(
    commands,
    argv,
    async () => {
      throw new Error(`ran ${argv.join(' ')}`)
    },
    { log: (text) => void lines.push(text) },
  )
  return lines.join('\n')
}

const failure = (argv: string[]) =>
  dispatch(commands, argv, async () => {}).then(
    () => 'no error',
    (error) => errorLine(error),
  )

test('--help and -h on every command print its usage and run nothing; a group lists its commands', async () => {
  for (const [name, command] of Object.entries(commands)) {
    for (const flag of ['--help', '-h']) {
      const text = await help([...name.split(' '), '--space', '1', flag])
      expect(text.split('\n')[0]).toBe(`Usage: carnet ${command.usage}`)
      expect(text).toContain(command.summary)
    }
  }
  expect(await help(['contacts', '--help'])).toMatch(/carnet contacts import .*\n.*carnet contacts export/s)
  expect(await help(['contacts', '--help'])).not.toMatch(/carnet spaces/)
  expect(await help([])).toMatch(/^Usage: carnet <command>/)
})

test('errors are one line that says what to do', async () => {
  expect(await failure(['contacts', 'import', '--bogus'])).toBe(
    'carnet: unknown option --bogus (carnet contacts import --help)',
  )
  expect(await failure(['contacts', 'import', 'extra'])).toBe(
    'carnet: unexpected argument extra (carnet contacts import --help)',
  )
  expect(await failure(['contacts', 'import', '--space'])).toMatch(
    /^carnet: Option '--space <value>' argument missing/,
  )
  expect(await failure(['nothing'])).toBe('carnet: unknown command "nothing" (carnet --help)')
  expect(await failure(['contacts', 'nothing'])).toBe(
    'carnet: unknown command "contacts nothing" (carnet --help)',
  )
  expect(errorLine(new Error('first\n  second'))).toBe('carnet: first second')
})

test('the real process: --help exits 0 with no parser noise; an error is one line on stderr, exit 2', async () => {
  const env = { DATA_DIR: tempDir('carnet-cli-'), DATABASE_URL: '' }
  const helped = await runToEnd('src/cli.ts', ['contacts', 'import', '--help'], env)
  expect(helped.code).toBe(0)
  expect(helped.output).toMatch(/^Usage: carnet contacts import --space <id>/)
  expect(helped.output).not.toMatch(/positional|Error|node:/)
  const failed = await runToEnd('src/cli.ts', ['contacts', 'import', '--bogus'], env)
  expect([failed.code, failed.output]).toEqual([
    2,
    'carnet: unknown option --bogus (carnet contacts import --help)\n',
  ])
}, 120_000)
