// The shape every command-line command shares; cli.ts dispatches on "<group> <verb>".
import type { OpenDatabase } from '../db/open.ts'

export interface Command {
  /** e.g. "keys create --space <id> [--name <text>]" */
  usage: string
  summary: string
  /** More than the usage line says: what each option does, examples (shown by --help). */
  help?: string
  /** Whether it takes arguments besides its options (refused otherwise). */
  positionals?: boolean
  options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>
  /** Whether this command needs the database (opened, locked and migrated before it runs). */
  database?: boolean
  run(args: {
    values: Record<string, unknown>
    positionals: string[]
    database: OpenDatabase | null
  }): Promise<void>
}

export class UsageError extends Error {}

export function requiredInteger(values: Record<string, unknown>, name: string): number {
  const raw = values[name]
  const value = typeof raw === 'string' ? Number(raw) : Number.NaN
  if (!Number.isSafeInteger(value) || value < 0) throw new UsageError(`--${name} <integer> is required`)
  return value
}
