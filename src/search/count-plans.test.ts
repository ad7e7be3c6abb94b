// The plans of counts on a space large enough for the planner to choose (20,000 contacts):
// what compile.ts's countSet and migration 0014 promise, checked on the plan, not the clock.
import { CompiledQuery, sql } from 'kysely'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { type Space, type TestApp, testApp } from '../../test/app.ts'
import { countStatement, runCount } from './search.repository.ts'
import { parseQueryOf } from './search.service.ts'

let t: TestApp
let space: Space
beforeAll(async () => {
  t = await testApp()
  space = await t.newSpace()
  const { db } = t.conn
  const g = space.groupId
  // 20,000 contacts: 1 in 14 in Lyon, 1 in 23 in Nantes, the rest spread over 60 towns;
  // genders in turn; 1 in 12 tagged donateur (by i, the number in the surname)
  await sql`insert into contact (group_id, surname, gender, address_city)
    select ${g}, 's' || i, (array['F', 'M', 'O'])[1 + i % 3],
      case when i % 14 = 0 then 'Lyon' when i % 23 = 0 then 'Nantes' else 'Town ' || (i % 60) end
    from generate_series(1, 20000) i`.execute(db)
  const tag = await sql<{ id: number }>`insert into tag (group_id, name, color)
    values (${g}, 'donateur', '#000000') returning id`.execute(db)
  await sql`insert into contact_tag (group_id, tag_id, contact_id)
    select ${g}, ${tag.rows[0]!.id}, id from contact
    where group_id = ${g} and substr(surname, 2)::int % 12 = 0`.execute(db)
  // as an import leaves it (bulk/import.ts): pages all-visible, statistics fresh
  await sql`vacuum analyze`.execute(db)
})
afterAll(() => t.close())

const twoGroupOr = {
  $at_least_one: [
    {
      $all: [
        { $condition: { attr: 'address.city', ope: 'eql', value: 'Lyon' } },
        { $condition: { attr: 'tags', ope: 'any_of', value: ['donateur'] } },
      ],
    },
    {
      $all: [
        { $condition: { attr: 'address.city', ope: 'eql', value: 'Nantes' } },
        { $condition: { attr: 'gender', ope: 'eql', value: 'F' } },
      ],
    },
  ],
}

test('an OR of (city and tag) and (city and gender) is counted from indexes, without the heap', async () => {
  const query = await parseQueryOf(t.conn.db, space.tenant, twoGroupOr)
  const statement = countStatement(t.conn.db, space.tenant, query)
  const { rows } = await t.conn.db.executeQuery<{ 'QUERY PLAN': string }>(
    CompiledQuery.raw(`explain ${statement.sql}`, [...statement.parameters]),
  )
  const plan = rows.map((r) => r['QUERY PLAN']).join('\n')
  // each branch its own index-only scan of the city index; the gender is read from it
  expect(plan.match(/Index Only Scan using contact_address_city_norm/g)).toHaveLength(2)
  expect(plan).not.toMatch(/(Seq|Bitmap Heap) Scan on contact\b/)
  // and the count is right: Lyon ∩ multiples of 12, plus Nantes (not Lyon) women
  const { total } = await runCount(t.conn.db, statement)
  let expected = 0
  for (let i = 1; i <= 20000; i++) {
    const lyon = i % 14 === 0
    const nantes = !lyon && i % 23 === 0
    if (lyon && i % 12 === 0) expected++
    else if (nantes && i % 3 === 0) expected++
  }
  expect(total).toBe(expected)
})
