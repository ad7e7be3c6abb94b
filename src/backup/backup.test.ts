import { Readable, Writable } from 'node:stream'
import { gunzipSync, gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { freshDatabase, testDb } from '../../test/app.ts'
import type { Connection } from '../db/connect.ts'
import { BackupError } from './archive.ts'
import { schemaTables, spaceIds } from './backup.repository.ts'
import { DERIVED_TABLES, restoreBackup, TABLES, writeBackup } from './backup.service.ts'
import { answers, appOn, as, filledSpace } from './backup.testing.ts'

async function backup(conn: Connection, space: number | null): Promise<Buffer> {
  const chunks: Buffer[] = []
  const sink = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(chunk)
      done()
    },
  })
  await writeBackup(conn.db, sink, space)
  return Buffer.concat(chunks)
}

const restore = (conn: Connection, archive: Buffer, space: number | null = null) =>
  restoreBackup(conn, Readable.from([archive]), space)

async function answersOn(conn: Connection, filled: Filled) {
  const app = await appOn(conn)
  try {
    return await answers(as(app, filled.key), filled.upsertId, 40, filled.historyId)
  } finally {
    await app.close()
  }
}

type Filled = Awaited<ReturnType<typeof filledSpace>>
let source: Awaited<ReturnType<typeof freshDatabase>>
let one: Filled
let two: Filled
let whole: Buffer

beforeAll(async () => {
  source = await freshDatabase()
  one = await filledSpace(source.conn, 120, 1)
  two = await filledSpace(source.conn, 80, 2)
  whole = await backup(source.conn, null)
})
afterAll(() => source.drop())

test('every table of the schema is backed up or known to be derived', async () => {
  const conn = await testDb()
  try {
    const unlisted = (await schemaTables(conn.db)).filter(
      (t) => !TABLES.includes(t) && !DERIVED_TABLES.includes(t),
    )
    expect(unlisted).toEqual([])
  } finally {
    await conn.db.destroy()
  }
})

test('a whole database restored into an empty one answers every route the same, with the same keys', {
  timeout: 300_000,
}, async () => {
  const target = await freshDatabase()
  try {
    const { space, counts } = await restore(target.conn, whole)
    expect(space).toBe(null)
    expect(counts.contact).toBe(202)
    for (const filled of [one, two]) {
      const before = await answersOn(source.conn, filled)
      expect(await answersOn(target.conn, filled)).toEqual(before)
    }
    // new rows take ids after the restored ones
    const created = await as(
      await appOn(target.conn),
      one.key,
    )({
      method: 'POST',
      url: '/contacts',
      payload: { data: { contact: { firstname: 'After', surname: 'Restore' } } },
    })
    expect(created.statusCode, created.body).toBe(200)
    expect(created.json().data.contact.id).toBeGreaterThan(202)
    // the archive of the restored database holds the same rows
    const again = await backup(target.conn, null)
    const rows = (archive: Buffer) => gunzipSync(archive).toString().split('\n').slice(1, -2)
    const restoredRows = rows(again).filter((line) => !line.includes('"After"'))
    expect(restoredRows.length).toBeGreaterThan(202)
    // refused on a database that holds data, and nothing changes
    await expect(restore(target.conn, whole)).rejects.toThrow(/already holds 2 space\(s\)/)
    expect(await spaceIds(target.conn.db)).toEqual([one.groupId, two.groupId])
  } finally {
    await target.drop()
  }
})

test('one space: backed up alone, or taken out of a whole backup; refused when its id is taken', {
  timeout: 300_000,
}, async () => {
  const target = await freshDatabase()
  try {
    const spaceArchive = await backup(source.conn, two.groupId)
    expect((await restore(target.conn, spaceArchive)).space).toBe(two.groupId)
    expect(await spaceIds(target.conn.db)).toEqual([two.groupId])
    expect(await answersOn(target.conn, two)).toEqual(await answersOn(source.conn, two))
    await expect(restore(target.conn, spaceArchive)).rejects.toThrow(`Space ${two.groupId} already exists`)
    // space one out of the whole archive, beside space two: the user of both spaces, restored
    // with space two, is kept as it is
    expect((await restore(target.conn, whole, one.groupId)).counts.contact).toBe(121)
    expect(await spaceIds(target.conn.db)).toEqual([one.groupId, two.groupId])
    expect(await answersOn(target.conn, one)).toEqual(await answersOn(source.conn, one))
    await expect(restore(target.conn, spaceArchive, one.groupId)).rejects.toThrow(
      `This backup holds space ${two.groupId}, not space ${one.groupId}`,
    )
  } finally {
    await target.drop()
  }
})

test('one space is refused when one of its users clashes with another user here', {
  timeout: 300_000,
}, async () => {
  const target = await freshDatabase()
  try {
    const taken = await target.conn.db
      .insertInto('app_user')
      .values({ id: one.userId, mail: 'someone.else@example.com' })
      .returning('id')
      .executeTakeFirstOrThrow()
    expect(taken.id).toBe(one.userId)
    await expect(restore(target.conn, whole, one.groupId)).rejects.toThrow(
      `The backup's user ${one.userId} (backup.1@example.com) clashes with another user`,
    )
    expect(await spaceIds(target.conn.db)).toEqual([])
  } finally {
    await target.drop()
  }
})

describe('a damaged or newer archive is refused with one line, and nothing is restored', () => {
  const text = () => gunzipSync(whole).toString()
  const cases: [string, () => Buffer, RegExp][] = [
    [
      'a flipped byte',
      () => Buffer.from(whole).fill(0x55, whole.length >> 1, (whole.length >> 1) + 1),
      /damaged/,
    ],
    ['cut short', () => whole.subarray(0, whole.length - 200), /damaged \(it ends too early\)|incomplete/],
    ['without its last line', () => gzipSync(text().split('\n').slice(0, -2).join('\n')), /incomplete/],
    ['a changed value', () => gzipSync(text().replace('"Space 1"', '"Space X"')), /checksum does not match/],
    [
      'a newer format',
      () => gzipSync(text().replace('"version":1', '"version":2')),
      /format 2 by a newer Carnet/,
    ],
    [
      'a newer schema',
      () => gzipSync(text().replace(/"migration":"[^"]+"/, '"migration":"9999_future"')),
      /newer Carnet \(schema 9999_future/,
    ],
    ['not a backup', () => gzipSync('{"hello":1}\n'), /not a Carnet backup/],
  ]
  test.each(cases)('%s', async (_name, make, message) => {
    const target = await freshDatabase()
    try {
      const error = await restore(target.conn, make()).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(BackupError)
      expect((error as Error).message).toMatch(message)
      expect((error as Error).message).not.toContain('\n')
      expect(await spaceIds(target.conn.db)).toEqual([])
      const contacts = await target.conn.db.selectFrom('contact').select('id').execute()
      expect(contacts).toEqual([])
    } finally {
      await target.drop()
    }
  })
})
