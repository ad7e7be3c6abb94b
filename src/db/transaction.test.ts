// Transactions (inTransaction): all or nothing whatever the statements started together do, and
// on PostgreSQL those statements share round trips (the pool's clients pipeline).
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { driver, roundTrips, type TestApp, testApp } from '../../test/app.ts'
import { inTransaction, last, settleAll } from './transaction.ts'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

const addSpace = (db: Parameters<typeof inTransaction>[0], name: string) =>
  db.insertInto('space').values({ name }).returning('id').executeTakeFirstOrThrow()
const spacesNamed = async (prefix: string) =>
  (
    await t.conn.db
      .selectFrom('space')
      .select('name')
      .where('name', 'like', `${prefix}%`)
      .orderBy('name')
      .execute()
  ).map((r) => r.name)
const failing = (db: Parameters<typeof inTransaction>[0]) => sql`select 1 / 0`.execute(db)

describe('inTransaction', () => {
  test('statements started together all commit', async () => {
    await inTransaction(t.conn.db, async (trx) => {
      await settleAll([addSpace(trx, 'together-a'), addSpace(trx, 'together-b')])
    })
    expect(await spacesNamed('together-')).toEqual(['together-a', 'together-b'])
  })

  test('one of them failing undoes the others, and its error is the one thrown', async () => {
    await expect(
      inTransaction(t.conn.db, async (trx) => {
        await settleAll([addSpace(trx, 'undone-a'), failing(trx), addSpace(trx, 'undone-b')])
      }),
    ).rejects.toMatchObject({ code: '22012' })
    expect(await spacesNamed('undone-')).toEqual([])
  })

  test('the first real error wins over the aborted-transaction errors it causes, listed before it or not', async () => {
    const logged: unknown[] = []
    await expect(
      inTransaction(t.conn.db, async (trx) => {
        // the first entry's second statement runs after the second entry failed: it fails with
        // "current transaction is aborted" (25P02), yet the cause is the division by zero
        const chain = (async () => {
          await sql`select 1`.execute(trx)
          await new Promise((resolve) => setTimeout(resolve, 20))
          await addSpace(trx, 'aborted-a')
        })()
        await settleAll([chain, failing(trx)]).catch((error) => {
          logged.push(error)
          throw error
        })
      }),
    ).rejects.toMatchObject({ code: '22012' })
    expect(logged).toEqual([expect.objectContaining({ code: '22012' })])
    expect(await spacesNamed('aborted-')).toEqual([])
  })

  test('settleAll waits for every statement before it throws the first error, else gives their values', async () => {
    const settled: string[] = []
    const note = <T>(name: string, p: Promise<T>) => p.finally(() => settled.push(name))
    await expect(
      settleAll([
        note('a', Promise.reject(new Error('first'))),
        note('b', new Promise((resolve) => setTimeout(resolve, 20))),
        note('c', Promise.reject(new Error('second'))),
      ]),
    ).rejects.toThrow('first')
    expect(settled.sort()).toEqual(['a', 'b', 'c'])
    expect(await settleAll([Promise.resolve(1), Promise.resolve('two')])).toEqual([1, 'two'])
  })

  test('a last statement is the result; when it fails, nothing is kept and its error is thrown', async () => {
    const name = await inTransaction(t.conn.db, async (trx) => {
      const { id } = await addSpace(trx, 'last-kept')
      return last(trx.selectFrom('space').select('name').where('id', '=', id).executeTakeFirstOrThrow())
    })
    expect(name).toEqual({ name: 'last-kept' })
    await expect(
      inTransaction(t.conn.db, async (trx) => {
        await addSpace(trx, 'last-undone')
        return last(failing(trx))
      }),
    ).rejects.toMatchObject({ code: '22012' })
    expect(await spacesNamed('last-')).toEqual(['last-kept'])
  })

  test('an error the work swallowed still undoes everything', async () => {
    await expect(
      inTransaction(t.conn.db, async (trx) => {
        await addSpace(trx, 'swallowed')
        await failing(trx).catch(() => {})
      }),
    ).rejects.toThrow()
    expect(await spacesNamed('swallowed')).toEqual([])
  })
})

test.skipIf(driver !== 'pg')('statements started together share one round trip, BEGIN included', async () => {
  const { db, count } = roundTrips(t.conn)
  const {
    result,
    statements,
    roundTrips: trips,
    sent,
  } = await count(() =>
    inTransaction(db, async (trx) => {
      const one = () => sql<{ n: number }>`select 1 as n`.execute(trx)
      return (await Promise.all([one(), one(), one()])).map((r) => r.rows[0]!.n)
    }),
  )
  expect(result).toEqual([1, 1, 1])
  // begin and the three selects, then the commit
  expect(sent.map((s) => s.sql)).toEqual([
    'begin',
    'select 1 as n',
    'select 1 as n',
    'select 1 as n',
    'commit',
  ])
  expect(statements).toBe(5)
  expect(trips).toBe(2)
})
