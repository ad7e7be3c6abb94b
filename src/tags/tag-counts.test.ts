// appearance_count is kept by triggers (migration 0006): it must equal a live count after every
// kind of change, including bulk statements and cascades.
import { sql } from 'kysely'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { type TestApp, testApp } from '../../test/app.ts'
import { createContact } from '../../test/fixtures.ts'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

async function mismatches(groupId: number) {
  const { rows } = await sql<{ name: string; stored: number; actual: number }>`
    select t.name, t.appearance_count as stored,
           (select count(*)::int from contact_tag ct where ct.group_id = t.group_id and ct.tag_id = t.id) as actual
    from tag t where t.group_id = ${groupId}`.execute(t.conn.db)
  return { rows, wrong: rows.filter((r) => Number(r.stored) !== r.actual) }
}

test('the stored count follows creates, replaces, deletes and bulk statements', async () => {
  const space = await t.newSpace()
  const a = await createContact(space, { tags: [{ name: 'x' }, { name: 'y' }] })
  const b = await createContact(space, { tags: [{ name: 'x' }] })
  await createContact(space, { tags: [{ name: 'x' }, { name: 'z' }] })
  await space.request({
    method: 'PATCH',
    url: `/contacts/${a.id}`,
    payload: { data: { contact: { surname: 'A', tags: [{ name: 'z' }] } } },
  })
  await space.request({ method: 'DELETE', url: `/contacts/${b.id}` })
  let state = await mismatches(space.groupId)
  expect(state.wrong).toEqual([])
  expect(Object.fromEntries(state.rows.map((r) => [r.name, Number(r.stored)]))).toEqual({ x: 1, y: 0, z: 2 })

  // one statement touching many rows and tags at once
  await sql`delete from contact_tag where group_id = ${space.groupId}`.execute(t.conn.db)
  state = await mismatches(space.groupId)
  expect(state.wrong).toEqual([])
  expect(state.rows.every((r) => Number(r.stored) === 0)).toBe(true)
})
