#!/usr/bin/env node
// carnet <group> <verb> [options]: administration from the command line (README "Command line").
import { parseArgs } from 'node:util'
import { actionCommands } from './actions/actions.cli.ts'
import { BackupError } from './backup/archive.ts'
import { backupCommands } from './backup/backup.cli.ts'
import { bulkCommands } from './bulk/bulk.cli.ts'
import { type Command, UsageError } from './cli/command.ts'
import { ConfigError, loadConfig, loadEnvFile } from './config.ts'
import { DataDirLockedError } from './db/lock.ts'
import { DatabaseUnreachableError, openDatabase, SchemaBehindError } from './db/open.ts'
import { formCommands } from './forms/forms.cli.ts'
import { AppError } from './shared/errors.ts'
import { spaceCommands } from './spaces/spaces.cli.ts'

const commands: Record<string, Command> = {
  'db migrate': {
    usage: 'db migrate',
    summary: 'Apply pending migrations (the embedded database migrates itself at start)',
    options: {},
    async run() {
      const config = loadConfig()
      const database = await openDatabase(config, { migrate: true })
      await database.close()
      console.log('The database schema is up to date')
    },
  },
  ...spaceCommands,
  ...formCommands,
  ...actionCommands,
  ...bulkCommands,
  ...backupCommands,
}

function help(): string {
  const lines = Object.values(commands).map((c) => `  carnet ${c.usage.padEnd(52)} ${c.summary}`)
  return `Usage:\n${lines.join('\n')}\n\nThe database is DATABASE_URL when set, else the embedded one in DATA_DIR (./data).`
}

async function run(argv: string[]): Promise<void> {
  const [group, verb, ...others] = argv
  // "<group> <verb>", or a command of one word ("backup")
  const oneWord = !commands[`${group} ${verb}`] && group !== undefined && commands[group] !== undefined
  const command = oneWord ? commands[group] : commands[`${group} ${verb}`]
  const rest = oneWord ? argv.slice(1) : others
  if (!command) {
    console.log(help())
    if (group && group !== 'help' && group !== '--help')
      throw new UsageError(`Unknown command "${argv.slice(0, 2).join(' ')}"`)
    return
  }
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true })
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nUsage: carnet ${command.usage}`)
  }
  const database = command.database
    ? await openDatabase(loadConfig(), { migrate: command.database === 'migrate' })
    : null
  try {
    await command.run({ values: parsed.values, positionals: parsed.positionals, database })
  } finally {
    await database?.close()
  }
}

loadEnvFile()
run(process.argv.slice(2)).catch((error) => {
  const known = [
    UsageError,
    ConfigError,
    DataDirLockedError,
    AppError,
    BackupError,
    DatabaseUnreachableError,
    SchemaBehindError,
  ].some((type) => error instanceof type)
  console.error(known ? `carnet: ${error.message}` : error)
  process.exit(known ? 2 : 1)
})
