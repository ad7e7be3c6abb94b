// Backup and restore of the whole database or of one space, on either engine, as a stream.
import type { Readable, Writable } from 'node:stream'
import type { Connection } from '../db/connect.ts'
import { withOneConnection } from '../db/copy.ts'
import type { Db } from '../db/database.ts'
import { migrations } from '../db/migrations/index.ts'
import { inSnapshot, inTransactionOnce } from '../db/transaction.ts'
import { refusedByDatabase } from '../shared/errors.ts'
import { ArchiveWriter, BackupError, openArchive } from './archive.ts'
import * as repo from './backup.repository.ts'

/** The tables a backup holds, each after the tables it refers to (a restore writes them in this order). */
export const TABLES = [
  'space',
  'app_user',
  'role',
  'space_user',
  'api_key',
  'team',
  'team_member',
  'invitation',
  'contact',
  'contact_change',
  'import_run',
  'tag',
  'contact_tag',
  'form',
  'refvalue',
  'form_data',
  'note',
  'interaction',
  'file',
  'action',
  'contact_action',
  'upsert_job',
  'idempotency_key',
]

/**
 * What backups leave out. Derived data a restore rebuilds: the cities of each space and tags'
 * appearance counts are kept by triggers as rows go in; migrations are the target's own; pending
 * index builds belong to the process that left them. Log-in sessions (`session`) are not kept
 * either: a restored server asks everyone to log in again, and a stolen backup opens no session.
 */
export const DERIVED_TABLES = [
  'contact_city',
  'pending_index',
  'session',
  'kysely_migration',
  'kysely_migration_lock',
]
const DERIVED_COLUMNS: Record<string, string[]> = { tag: ['appearance_count'] }

export type Counts = Record<string, number>

/** Throws a BackupError unless `space` exists (checked before anything is written). */
export async function checkSpace(db: Db, space: number): Promise<void> {
  if (!(await repo.spaceIds(db)).includes(space)) throw new BackupError(`Space ${space} does not exist`)
}

/**
 * Writes the archive of the database (or of one space) to `out`, from one consistent snapshot:
 * a read-only REPEATABLE READ transaction, read through cursors in primary-key order. On PGlite
 * the transaction holds the one connection: other statements wait until the backup is written.
 */
export async function writeBackup(db: Db, out: Writable, space: number | null): Promise<Counts> {
  const writer = new ArchiveWriter(out)
  try {
    const counts = await inSnapshot(db, async (trx) => {
      const counts: Counts = {}
      await writer.header({
        migration: (await repo.lastMigration(trx)) ?? '',
        space,
        created_at: new Date().toISOString(),
      })
      for (const table of TABLES) {
        const shape = await repo.tableShape(trx, table)
        const derived = DERIVED_COLUMNS[table] ?? []
        const columns = shape.columns.filter((c) => !derived.includes(c))
        await writer.startTable(table, columns)
        let count = 0
        for await (const rows of repo.readTable(trx, table, { ...shape, columns }, space)) {
          await writer.rows(rows)
          count += rows.length
        }
        await writer.endTable(table, count)
        counts[table] = count
      }
      return counts
    })
    await writer.end()
    return counts
  } catch (error) {
    writer.abort(error as Error)
    throw error
  }
}

/**
 * Restores an archive in one transaction (a failure, a damaged file included, leaves nothing).
 * The whole database needs an empty database; one space (`only`, or the archive's own) needs its
 * id to be free. Ids are kept, API keys too (their hashes): keys work after the move. Rows go in
 * by COPY; each identity then continues after the highest id restored.
 *
 * Users belong to no space: a space's archive holds its members. A member already here under the
 * same id and mail (a member of another space) is kept as it is, the archive's copy ignored; an
 * id or mail here that belongs to someone else refuses the restore. The built-in roles the
 * database creates with each space are replaced by the archive's roles, ids kept.
 */
export async function restoreBackup(
  connection: Pick<Connection, 'db' | 'pool' | 'pglite'>,
  input: Readable,
  only: number | null,
): Promise<{ space: number | null; counts: Counts }> {
  const archive = await openArchive(input)
  try {
    const { header } = archive
    if (!(header.migration in migrations))
      throw new BackupError(
        `This backup comes from a newer Carnet (schema ${header.migration}, unknown here): upgrade Carnet to restore it`,
      )
    if (only !== null && header.space !== null && header.space !== only)
      throw new BackupError(`This backup holds space ${header.space}, not space ${only}`)
    const space = only ?? header.space
    const counts = await withOneConnection(connection, (db, copyIn) =>
      inTransactionOnce(db, async (trx) => {
        const existing = await repo.spaceIds(trx)
        if (space === null && existing.length > 0)
          throw new BackupError(
            `This database already holds ${existing.length} space(s): restoring a whole database needs an empty one (restore a single space with --space <id>)`,
          )
        if (space !== null && existing.includes(space))
          throw new BackupError(
            `Space ${space} already exists in this database: a space is restored under its own id`,
          )
        const counts: Counts = {}
        const restoredSpaces: number[] = []
        let addedUsers: number[] = []
        for (let section = await archive.nextTable(); section; section = await archive.nextTable()) {
          const { table, columns } = section
          if (!TABLES.includes(table))
            throw new BackupError(`The backup holds a table unknown here: "${table}"`)
          // Archives written before users could log in hold the first schema's app_user (with a
          // group_id), a table nothing ever wrote to: its empty section is passed over.
          const skip = table === 'app_user' && columns.includes('group_id')
          const shape = await repo.tableShape(trx, table)
          const missing = columns.find((c) => !shape.columns.includes(c))
          if (missing && !skip)
            throw new BackupError(
              `This database has no column ${table}.${missing}: restore with a Carnet at least as new as the backup's`,
            )
          if (table === 'role') await repo.dropCreatedRoles(trx, restoredSpaces)
          const target = table === 'app_user' && !skip ? await repo.stageUsers(trx) : table
          const scope = space === null ? -1 : columns.indexOf(table === 'space' ? 'id' : 'group_id')
          let count = 0
          for await (const batch of section.rows) {
            const kept = scope < 0 ? batch : batch.filter((row) => row[scope] === String(space))
            if (kept.length === 0 || skip) continue
            try {
              await copyIn(
                target,
                kept.map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i]]))),
              )
            } catch (error) {
              // rows are written as they are read, before the checksum at the end can be checked:
              // a value the database refuses is the first sign of a damaged file
              const code = String((error as { code?: unknown }).code ?? '')
              if (!refusedByDatabase(error) && !code.startsWith('23')) throw error
              const reason = String((error as Error).message).replace(/\s+/g, ' ')
              throw new BackupError(
                `The backup is damaged: a row of ${table} holds a value no database takes (${reason})`,
              )
            }
            if (table === 'space')
              restoredSpaces.push(...kept.map((row) => Number(row[columns.indexOf('id')])))
            count += kept.length
          }
          if (target !== table) {
            const merged = await repo.mergeUsers(trx)
            if (merged.clash)
              throw new BackupError(
                `The backup's ${merged.clash} clashes with another user of this database (same id or same e-mail, not both)`,
              )
            addedUsers = merged.added
          }
          counts[table] = count
        }
        if (space !== null && counts.space !== 1)
          throw new BackupError(`Space ${space} is not in this backup`)
        // a whole archive's users taken for one space: those who are not its members go
        if (space !== null) await repo.dropNonMembers(trx, addedUsers)
        await repo.moveSequencesPast(trx, TABLES)
        return counts
      }),
    )
    await repo.analyze(connection.db, TABLES)
    return { space, counts }
  } finally {
    archive.close()
  }
}
