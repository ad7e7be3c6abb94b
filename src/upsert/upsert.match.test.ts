// Matching rules of docs/api.md (Upsert), each and in order, through the HTTP API and the worker.
import { CompiledQuery, sql } from 'kysely'
import { describe, expect, test } from 'vitest'
import { createContact } from '../../test/fixtures.ts'
import { getContact, upsert, useWorkerApp } from '../../test/upsert.ts'
import { byIdentity, byMail } from './match.repository.ts'

const u = useWorkerApp()

const run = (data: unknown) => upsert(u.app, u.space.key, data)
const read = (id: number) => getContact(u.app, u.space.key, id)

describe('matching, in order', () => {
  test('by id (contact id), and an unknown id is rejected, not created', async () => {
    const c = await createContact(u.space, { firstname: 'Jean', surname: 'Valjean', mail: 'jv@example.com' })
    expect(await run({ id: c.id, phone: '0102' })).toMatchObject({
      status: 'done',
      rule: 'id',
      contact_id: c.id,
    })
    const unknown = await run({ id: c.id + 100_000, surname: 'Nobody' })
    expect(unknown).toMatchObject({ status: 'rejected', contact_id: null, rule: null })
    expect(unknown.reason).toMatch(/unknown id/)
  })

  test('by id matching a NationBuilder id, and by the nationbuilderid field', async () => {
    const c = await createContact(u.space, { nationbuilderid: 777 })
    expect(await run({ id: 777, phone: '1' })).toMatchObject({ rule: 'id', contact_id: c.id })
    expect(await run({ nationbuilderid: 777, phone: '2' })).toMatchObject({ rule: 'id', contact_id: c.id })
    expect((await read(c.id)).phone).toBe('2')
  })

  test('id comes before mail', async () => {
    const a = await createContact(u.space, { mail: 'a@example.com' })
    await createContact(u.space, { mail: 'b@example.com' })
    expect(await run({ id: a.id, mail: 'b@example.com' })).toMatchObject({ rule: 'id', contact_id: a.id })
  })

  test('by mail, trimmed and case-insensitive; names must match when given', async () => {
    const c = await createContact(u.space, { firstname: 'Émile', surname: 'Zola', mail: 'emile@example.com' })
    expect(await run({ mail: '  EMILE@Example.com ' })).toMatchObject({ rule: 'mail', contact_id: c.id })
    expect(await run({ mail: 'emile@example.com', firstname: ' emile ', surname: 'ZOLA' })).toMatchObject({
      rule: 'mail',
      contact_id: c.id,
    })
    expect(await run({ mail: 'emile@example.com', firstname: '', surname: 'zola' })).toMatchObject({
      rule: 'mail',
      contact_id: c.id,
    })
    const other = await run({ mail: 'emile@example.com', firstname: 'Paul' })
    expect(other).toMatchObject({ rule: 'created' })
    expect(other.contact_id).not.toBe(c.id)
  })

  test('mail comes before names + birthdate + address', async () => {
    const byNames = await createContact(u.space, { firstname: 'Anna', surname: 'Karenine', mail: null })
    const byMail = await createContact(u.space, {
      firstname: 'Anna',
      surname: 'Karenine',
      mail: 'ak@example.com',
    })
    expect(byNames.id).not.toBe(byMail.id)
    const r = await run({ firstname: 'Anna', surname: 'Karenine', mail: 'ak@example.com' })
    expect(r).toMatchObject({ rule: 'mail', contact_id: byMail.id })
  })

  test('by surname + firstname (accents, case, spaces ignored) + birthdate', async () => {
    const c = await createContact(u.space, {
      firstname: 'Héloïse',
      surname: 'Dupré',
      mail: null,
      birthdate: '1980-05-01',
    })
    expect(await run({ firstname: ' HELOISE', surname: 'dupre ', birthdate: '1980-05-01' })).toMatchObject({
      rule: 'names_birthdate_address',
      contact_id: c.id,
    })
    // a birthdate on one side only is not compared
    expect(await run({ firstname: 'Heloise', surname: 'Dupre' })).toMatchObject({ contact_id: c.id })
    const other = await run({ firstname: 'Heloise', surname: 'Dupre', birthdate: '1981-05-01' })
    expect(other).toMatchObject({ rule: 'created' })
  })

  test('when both have an address: city or postal code, and the street when no birthdates were compared', async () => {
    const c = await createContact(u.space, {
      firstname: 'Marc',
      surname: 'Bloch',
      mail: null,
      address: { street: 'Rue A', city: 'Lyon', postalcode: '69001' },
    })
    const sameCity = { firstname: 'Marc', surname: 'Bloch', address: { city: 'LYON', street: 'rue a' } }
    expect(await run(sameCity)).toMatchObject({ rule: 'names_birthdate_address', contact_id: c.id })
    const samePostcodeOtherStreet = {
      firstname: 'Marc',
      surname: 'Bloch',
      address: { postalcode: '69001', street: 'Rue B' },
    }
    expect(await run(samePostcodeOtherStreet)).toMatchObject({ rule: 'created' })
  })

  test('with birthdates compared, the street need not match; another city does not match', async () => {
    const c = await createContact(u.space, {
      firstname: 'Rosa',
      surname: 'Parks',
      mail: null,
      birthdate: '1913-02-04',
      address: { street: 'Rue A', city: 'Paris' },
    })
    const base = { firstname: 'Rosa', surname: 'Parks', birthdate: '1913-02-04' }
    expect(await run({ ...base, address: { city: 'Paris', street: 'Rue Z' } })).toMatchObject({
      contact_id: c.id,
    })
    expect(await run({ ...base, address: { city: 'Nantes' } })).toMatchObject({ rule: 'created' })
  })

  test('several matches → the most recently updated', async () => {
    const older = await createContact(u.space, { mail: 'twin@example.com', firstname: 'A' })
    const newer = await createContact(u.space, { mail: 'twin@example.com', firstname: 'B' })
    expect(await run({ mail: 'twin@example.com', phone: '1' })).toMatchObject({ contact_id: newer.id })
    await run({ id: older.id, phone: '2' }) // now the older one is the most recently updated
    expect(await run({ mail: 'twin@example.com', phone: '3' })).toMatchObject({ contact_id: older.id })
  })

  test('no match and nothing to identify a new contact → rejected', async () => {
    const r = await run({ nationality: 'FR' })
    expect(r).toMatchObject({ status: 'rejected' })
    expect(r.reason).toMatch(/firstname, surname, mail, phone, mobile/)
  })
})

describe('indexes', () => {
  /** The statements a lookup sends, and the plan of each. */
  async function plansOf(lookup: (db: typeof u.t.conn.db) => Promise<unknown>): Promise<string[]> {
    const { db } = u.t.conn
    const seen: CompiledQuery[] = []
    const spy = db.withPlugin({
      transformQuery: ({ node, queryId }) => {
        seen.push(db.getExecutor().compileQuery(node, queryId))
        return node
      },
      transformResult: async ({ result }) => result,
    })
    await lookup(spy)
    const plans = []
    for (const { sql: text, parameters } of seen) {
      const plan = await db.executeQuery(CompiledQuery.raw(`explain ${text}`, [...parameters]))
      plans.push(JSON.stringify(plan.rows))
    }
    return plans
  }

  test('the identity lookup folds both names with the expressions of the contact_match_names index', async () => {
    const plans = await plansOf((db) =>
      byIdentity(db, u.space.tenant, {
        surname: ' Élodie ',
        firstname: 'Marie',
        birthdate: undefined,
        address: {},
      }),
    )
    expect(plans).toHaveLength(1)
    const index = await sql<{
      def: string
    }>`select pg_get_indexdef('contact_match_names'::regclass) as def`.execute(u.t.conn.db)
    // "… (group_id, lower(f_unaccent_dict(…, btrim(surname))), COALESCE(lower(…), '')) WHERE …"
    const [, surname, firstname] =
      /\(group_id, (lower\(.+\)), (COALESCE\(.+\))\) WHERE/.exec(index.rows[0]!.def) ?? []
    expect(surname).toContain('btrim(surname)')
    expect(firstname).toContain('btrim(firstname)')
    expect(plans[0]).toContain(`${surname} = 'elodie'`)
    expect(plans[0]).toContain(`${firstname} = 'marie'`)
  })

  test('on a large space, a match by mail or by names reads its index, not the whole space', async () => {
    const { db } = u.t.conn
    // 5,000 contacts sharing a surname, as a common one does at 1M contacts
    await sql`insert into contact (group_id, surname, firstname, mail)
      select ${u.space.groupId}, 'Nicolas', 'f' || i, 'n' || i || '@example.com' from generate_series(1, 5000) i`.execute(
      db,
    )
    await sql`analyze contact`.execute(db)
    const [byMailPlan] = await plansOf((spy) =>
      byMail(spy, u.space.tenant, 'N4321@example.com', { surname: 'nicolas' }),
    )
    expect(byMailPlan).toContain('contact_match_mail')
    const [byNamesPlan] = await plansOf((spy) =>
      byIdentity(spy, u.space.tenant, {
        surname: 'Nicolas',
        firstname: 'F4321',
        birthdate: undefined,
        address: {},
      }),
    )
    expect(byNamesPlan).toContain('contact_match_names')
    expect(await byMail(db, u.space.tenant, 'N4321@example.com', { surname: 'nicolas' })).toBeDefined()
  })
})
