#!/usr/bin/env node
// carnet <group> <verb> [options]: administration from the command line (README "Command line").
import { actionCommands } from './actions/actions.cli.ts'
import { bulkCommands } from './bulk/bulk.cli.ts'
import { type Command, UsageError } from './cli/command.ts'
import { dispatch, errorLine } from './cli/dispatch.ts'
import { ConfigError, loadConfig } from './config.ts'
import { DataDirLockedError } from './db/lock.ts'
import { openDatabase } from './db/open.ts'
import { formCommands } from './forms/forms.cli.ts'
import { AppError } from './shared/errors.ts'
import { spaceCommands } from './spaces/spaces.cli.ts'
import { userCommands } from './users/users.cli.ts'

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
  ...userCommands,
  ...formCommands,
  ...actionCommands,
  ...bulkCommands,
}

dispatch(commands, process.argv.slice(2), async (command, values, positionals) => {
  const database = command.database ? await openDatabase(loadConfig()) : null
  try {
    await command.run({ values, positionals, database })
  } finally {
    await database?.close()
  }
}).catch((error) => {
  const known = [UsageError, ConfigError, DataDirLockedError, AppError].some((type) => error instanceof type)
  console.error(errorLine(error))
  if (process.env.CARNET_DEBUG === '1' && error instanceof Error) console.error(error.stack)
  process.exit(known ? 2 : 1)
})
