// Runs "<group> <verb> [options]" against the command table: help on demand (`--help` anywhere,
// `carnet <group> --help`), options checked by node:util's parseArgs, every error in one line.
import { parseArgs } from 'node:util'
import type { Command } from './command.ts'
import { UsageError } from './command.ts'

export interface CliOutput {
  log(text: string): void
}

const FOOTER = 'The database is DATABASE_URL when set, else the embedded one in DATA_DIR (./data).'

function overview(commands: Record<string, Command>, group?: string): string {
  const list = Object.entries(commands).filter(([name]) => !group || name.startsWith(`${group} `))
  const lines = list.map(([, c]) => `  carnet ${c.usage.split(' --')[0]!.padEnd(20)} ${c.summary}`)
  return `Usage: carnet <command> [options]   (carnet <command> --help for its options)\n\n${lines.join('\n')}\n\n${FOOTER}`
}

/** The help of one command: its usage line, what it does, and the details it gives. */
export function commandHelp(command: Command): string {
  const details = command.help ? `\n\n${command.help.trim()}` : ''
  return `Usage: carnet ${command.usage}\n\n${command.summary}${details}`
}

const wantsHelp = (args: string[]) => args.some((a) => a === '--help' || a === '-h')

/** parseArgs' own messages add advice about positionals that does not apply here. */
function optionError(error: Error & { code?: string }, command: Command): UsageError {
  const name = /'([^']+)'/.exec(error.message)?.[1] ?? ''
  const message =
    error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
      ? `unknown option ${name}`
      : error.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL'
        ? `unexpected argument ${name}`
        : error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE'
          ? (error.message.split('.')[0] ?? error.message)
          : error.message.split('\n')[0]!
  return new UsageError(`${message} (carnet ${command.usage.split(' --')[0]} --help)`)
}

export async function dispatch(
  commands: Record<string, Command>,
  argv: string[],
  run: (command: Command, values: Record<string, unknown>, positionals: string[]) => Promise<void>,
  out: CliOutput = console,
): Promise<void> {
  const [group, verb, ...rest] = argv
  if (!group || group === 'help' || group === '--help' || group === '-h') return out.log(overview(commands))
  const command = commands[`${group} ${verb}`]
  if (!command) {
    const known = Object.keys(commands).some((name) => name.startsWith(`${group} `))
    if (known && (verb === undefined || wantsHelp([verb]))) return out.log(overview(commands, group))
    throw new UsageError(`unknown command "${argv.slice(0, known ? 2 : 1).join(' ')}" (carnet --help)`)
  }
  if (wantsHelp(rest)) return out.log(commandHelp(command))
  const options = Object.fromEntries(
    Object.entries(command.options).map(([name, o]) => [
      name,
      { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) },
    ]),
  )
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({ args: rest, options, allowPositionals: command.positionals === true, strict: true })
  } catch (error) {
    throw optionError(error as Error, command)
  }
  await run(command, parsed.values, parsed.positionals)
}

/** The one line a failed command prints: the message, never a stack (CARNET_DEBUG=1 shows it). */
export function errorLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return `carnet: ${message.trim().replace(/\s*\n\s*/g, ' ')}`
}
