// carnet backup | restore: the whole database or one space, to and from an archive file.
import { createReadStream, createWriteStream, existsSync } from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import { type Command, requiredInteger, UsageError } from '../cli/command.ts'
import { checkSpace, restoreBackup, writeBackup } from './backup.service.ts'

const optionalSpace = (values: Record<string, unknown>) =>
  values.space === undefined ? null : requiredInteger(values, 'space')

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0)

export const backupCommands: Record<string, Command> = {
  backup: {
    usage: 'backup --out <file> [--space <id>]',
    summary: "Write a backup of the database (or of one space) to a file (gzip'd NDJSON, either engine)",
    options: { out: { type: 'string' }, space: { type: 'string' } },
    database: true,
    async run({ values, database }) {
      const { db } = database!
      if (typeof values.out !== 'string') throw new UsageError('--out <file> is required')
      const space = optionalSpace(values)
      if (space !== null) await checkSpace(db, space)
      // written beside the target and renamed at the end: a failed backup leaves no partial file
      const partial = `${values.out}.partial`
      try {
        const counts = await writeBackup(db, createWriteStream(partial), space)
        await rename(partial, values.out)
        console.log(
          `Backed up ${space === null ? 'the database' : `space ${space}`} to ${values.out}: ${counts.contact} contacts, ${total(counts)} rows`,
        )
      } catch (error) {
        await rm(partial, { force: true })
        throw error
      }
    },
  },
  restore: {
    usage: 'restore <file> [--space <id>]',
    summary: 'Restore a backup: the whole database into an empty one, or one space under its own id',
    options: { space: { type: 'string' } },
    // a new PostgreSQL database is migrated by the restore itself
    database: 'migrate',
    positionals: true,
    async run({ values, positionals, database }) {
      const file = positionals[0]
      if (!file) throw new UsageError('restore <file>: the backup file is required')
      if (!existsSync(file)) throw new UsageError(`No file ${file}`)
      const { space, counts } = await restoreBackup(database!, createReadStream(file), optionalSpace(values))
      console.log(
        `Restored ${space === null ? 'the database' : `space ${space}`} from ${file}: ${counts.space ?? 0} space(s), ${counts.contact ?? 0} contacts, ${total(counts)} rows`,
      )
    },
  },
}
