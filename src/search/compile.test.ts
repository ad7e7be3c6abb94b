// DSL → { sql, parameters }, compiled without a database: a change in the generated SQL shows
// up here in review. Executed behaviour is tested in search.*.test.ts on both engines.
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely'
import { describe, expect, test } from 'vitest'
import type { Database } from '../db/database.ts'
import { ATTRIBUTES } from './attributes.ts'
import { parseQuery } from './parse.ts'
import { matching } from './search.repository.ts'

const db = new Kysely<Database>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (k) => new PostgresIntrospector(k),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
})
const tenant = { groupId: 7, apiKeyId: 1 }
const ctx = { now: new Date('2024-03-15T13:45:30Z'), formTypes: new Map([[12, 'number' as const]]) }

function compiled(...conditions: Record<string, unknown>[]) {
  const root = parseQuery({ $all: [{ $all: conditions.map(($condition) => ({ $condition })) }] }, ctx)
  const { sql, parameters } = matching(db, tenant, root).select('contact.id').compile()
  return {
    sql: sql
      .replace(/^select "contact"."id" from "contact" where "contact"."group_id" = \$1 and /, '')
      .replace(/ \/\* unprepared \*\/$/, ''),
    parameters: parameters.slice(1),
  }
}

test('a search statement is never prepared: its plan must follow its values', () => {
  const root = parseQuery({ $all: [] }, ctx)
  expect(matching(db, tenant, root).select('contact.id').compile().sql).toMatch(/\/\* unprepared \*\/$/)
})

describe('compiled SQL', () => {
  test('eql on an indexed text: the word expression of migration 0002 and a prefix tsquery', () => {
    expect(compiled({ attr: 'surname', ope: 'eql', value: 'Jean Pierre' })).toMatchInlineSnapshot(`
      {
        "parameters": [
          "Jean Pierre",
        ],
        "sql": "(((to_tsvector('simple'::regconfig, regexp_replace("contact"."surname_norm", '[[:space:][:punct:]]+', ' ', 'g')) @@ to_tsquery('simple'::regconfig, nullif(replace(strip(to_tsvector('simple'::regconfig, regexp_replace((lower(f_unaccent_dict('public.unaccent'::regdictionary, $2)) collate "C"), '[[:space:][:punct:]]+', ' ', 'g')))::text, ''' ''', ''':* & '''), '') || ':*'))))",
      }
    `)
  })

  test('contains: the stored normalised column, LIKE metacharacters escaped in the parameter', () => {
    expect(compiled({ attr: 'address.city', ope: 'contains', value: '50%_off' })).toMatchInlineSnapshot(`
      {
        "parameters": [
          "50\\%\\_off",
        ],
        "sql": "((("contact"."address_city_norm" like ('%' || (lower(f_unaccent_dict('public.unaccent'::regdictionary, $2)) collate "C") || '%'))))",
      }
    `)
  })

  test('eql:strictdata: exact, plus the implied folded equality that the norm btree serves', () => {
    expect(compiled({ attr: 'mail', ope: 'eql:strictdata', value: 'A@b.co' })).toMatchInlineSnapshot(`
      {
        "parameters": [
          "A@b.co",
          "A@b.co",
        ],
        "sql": "(((("contact"."mail" = $2 and "contact"."mail_norm" = (lower(f_unaccent_dict('public.unaccent'::regdictionary, $3)) collate "C")))))",
      }
    `)
  })

  test('a negation on a column: NOT coalesce(…, false), so no value matches', () => {
    expect(compiled({ attr: 'married_name', ope: 'not_start_with', value: 'du' })).toMatchInlineSnapshot(`
      {
        "parameters": [
          "du",
        ],
        "sql": "((not coalesce(((lower(f_unaccent_dict('public.unaccent'::regdictionary, "contact"."married_name")) collate "C") like ((lower(f_unaccent_dict('public.unaccent'::regdictionary, $2)) collate "C") || '%')), false)))",
      }
    `)
  })

  test('relations are EXISTS scoped to the space; all_of is one EXISTS per value', () => {
    expect(compiled({ attr: 'tags', ope: 'all_of', value: ['a', 'b'] })).toMatchInlineSnapshot(`
      {
        "parameters": [
          7,
          "a",
          7,
          "b",
        ],
        "sql": "(((exists (select 1 from contact_tag x join tag t on t.group_id = x.group_id and t.id = x.tag_id where x.group_id = $2 and x.contact_id = "contact"."id" and (lower(f_unaccent_dict('public.unaccent'::regdictionary, "t"."name")) collate "C") = (lower(f_unaccent_dict('public.unaccent'::regdictionary, $3)) collate "C")) and exists (select 1 from contact_tag x join tag t on t.group_id = x.group_id and t.id = x.tag_id where x.group_id = $4 and x.contact_id = "contact"."id" and (lower(f_unaccent_dict('public.unaccent'::regdictionary, "t"."name")) collate "C") = (lower(f_unaccent_dict('public.unaccent'::regdictionary, $5)) collate "C")))))",
      }
    `)
    expect(compiled({ attr: 'action_ids', ope: 'none_of', value: '1,2' })).toMatchInlineSnapshot(`
      {
        "parameters": [
          7,
          1,
          2,
        ],
        "sql": "((not (exists (select 1 from contact_action x where x.group_id = $2 and x.contact_id = "contact"."id" and ("x"."action_id" = $3::bigint or "x"."action_id" = $4::bigint)))))",
      }
    `)
  })

  test('dates: a day column compares days, timestamps compare instants', () => {
    expect(
      compiled({ attr: 'birthdate', ope: 'range', from: '1980-01-01', to: 'now/y' }),
    ).toMatchInlineSnapshot(`
      {
        "parameters": [
          "1980-01-01",
          "2025-01-01",
        ],
        "sql": "(((("contact"."birthdate" >= $2::date and "contact"."birthdate" < $3::date))))",
      }
    `)
    expect(compiled({ attr: 'UpdatedAt', ope: 'gte', value: 'now-1d/d' })).toMatchInlineSnapshot(`
      {
        "parameters": [
          "2024-03-14T00:00:00.000000Z",
        ],
        "sql": "((("contact"."updated_at" >= $2::timestamptz)))",
      }
    `)
  })

  test('forms: live answers of the form; numbers for numeric forms', () => {
    expect(compiled({ attr: 'custom_fields', form_id: 12, ope: 'gte', value: '18' })).toMatchInlineSnapshot(`
      {
        "parameters": [
          7,
          12,
          18,
        ],
        "sql": "(((exists (select 1 from form_data fd where fd.group_id = $2 and fd.contact_id = "contact"."id" and fd.form_id = $3 and fd.deleted_at is null and (case when fd.data ~ '^\\s*[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*$' then fd.data::double precision end) >= $4::bigint))))",
      }
    `)
  })

  test('an empty tree matches every contact of the space', () => {
    const { sql } = matching(db, tenant, parseQuery({ $at_least_one: [{ $all: [] }] }, ctx))
      .select('contact.id')
      .compile()
    expect(sql).toBe(
      'select "contact"."id" from "contact" where "contact"."group_id" = $1 and true /* unprepared */',
    )
  })
})

describe('only the registry reaches SQL', () => {
  const hostile = `x'); drop table contact; --`
  test.each(Object.keys(ATTRIBUTES).filter((a) => ATTRIBUTES[a]!.kind !== 'form'))(
    'a hostile value on %s stays a parameter',
    (attr) => {
      const type = ATTRIBUTES[attr]!
      const ope = type.kind !== 'form' && type.type === 'text' ? 'contains' : 'ext'
      const { sql, parameters } = compiled({ attr, ope, value: hostile })
      expect(sql).not.toContain('drop table')
      if (ope === 'contains') expect(parameters).toContain(hostile)
    },
  )
})

describe('relation tests under an OR of a page are probed per contact (offset 0), counts hash them', () => {
  const tag = { $condition: { attr: 'notes', ope: 'contains', value: 'x' } }
  const city = { $condition: { attr: 'address.city', ope: 'eql', value: 'Lyon' } }
  const statement = (query: unknown, limited: boolean) =>
    matching(db, tenant, parseQuery(query, ctx), { limited }).select('contact.id').compile().sql
  const fenced = (sql: string) => (sql.match(/ offset 0\)/g) ?? []).length

  test('under an OR between groups or within one, in a limited statement only', () => {
    const betweenGroups = { $at_least_one: [{ $all: [city, tag] }, { $all: [city] }] }
    const withinGroup = { $all: [{ $at_least_one: [tag, city] }] }
    expect(fenced(statement(betweenGroups, true))).toBe(1)
    expect(fenced(statement(withinGroup, true))).toBe(1)
    expect(fenced(statement(betweenGroups, false))).toBe(0)
    expect(fenced(statement(withinGroup, false))).toBe(0)
  })

  test('not when nothing is ORed: a lone branch, or AND all the way (PostgreSQL joins those)', () => {
    expect(fenced(statement({ $at_least_one: [{ $all: [city, tag] }] }, true))).toBe(0)
    expect(fenced(statement({ $all: [{ $all: [city, tag] }, { $at_least_one: [tag] }] }, true))).toBe(0)
  })
})
