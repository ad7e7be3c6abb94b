// The lookups of upsert's matching rules (docs/api.md, Upsert). Each returns the most recently
// updated contact that fits, or undefined. Names compare case- and accent-insensitively with
// surrounding spaces ignored: both sides go through the same SQL expression.
import { type RawBuilder, sql } from 'kysely'
import type { Db } from '../db/database.ts'
import type { Tenant } from '../shared/tenant.ts'

type Column = 'firstname' | 'surname' | 'address_city' | 'address_postalcode' | 'address_street'

// f_unaccent_dict: the expressions of the contact_match_names index (migration 0013)
const fold = (text: RawBuilder<unknown>): RawBuilder<string> =>
  sql`lower(f_unaccent_dict('public.unaccent'::regdictionary, btrim(${text})))`
const norm = (column: Column): RawBuilder<string> => fold(sql.ref(column))
const normValue = (value: string): RawBuilder<string> => fold(sql`${value}::text`)

function candidates(db: Db, tenant: Tenant) {
  return db
    .selectFrom('contact')
    .select('id')
    .where('group_id', '=', tenant.groupId)
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
}

/** Contact id first, then NationBuilder id. */
export async function byId(db: Db, tenant: Tenant, id: number): Promise<number | undefined> {
  const own = await candidates(db, tenant).where('id', '=', id).executeTakeFirst()
  if (own) return own.id
  return byNationbuilderId(db, tenant, id)
}

export async function byNationbuilderId(db: Db, tenant: Tenant, id: number): Promise<number | undefined> {
  return (await candidates(db, tenant).where('nationbuilderid', '=', id).executeTakeFirst())?.id
}

/** Same mail (trimmed, case-insensitive); firstname and surname must match when given. */
export async function byMail(
  db: Db,
  tenant: Tenant,
  mail: string,
  names: { firstname?: string | undefined; surname?: string | undefined },
): Promise<number | undefined> {
  let query = candidates(db, tenant).where(sql`lower(btrim(mail))`, '=', mail.trim().toLowerCase())
  if (names.firstname) query = query.where(norm('firstname'), '=', normValue(names.firstname))
  if (names.surname) query = query.where(norm('surname'), '=', normValue(names.surname))
  return (await query.executeTakeFirst())?.id
}

export interface IdentityKeys {
  surname: string
  firstname: string | undefined
  /** 'YYYY-MM-DD' */
  birthdate: string | undefined
  address: { city?: string | undefined; postalcode?: string | undefined; street?: string | undefined }
}

/**
 * Same surname and firstname; birthdates equal when both have one; when both have an address,
 * city or postal code equal, and the street too when no birthdates were compared.
 */
export async function byIdentity(db: Db, tenant: Tenant, keys: IdentityKeys): Promise<number | undefined> {
  const { city, postalcode, street } = keys.address
  const query = candidates(db, tenant)
    .where(norm('surname'), '=', normValue(keys.surname))
    .where(sql<boolean>`coalesce(${norm('firstname')}, '') = ${normValue(keys.firstname ?? '')}`)
    .$if(keys.birthdate !== undefined, (q) =>
      q.where((eb) => eb.or([eb('birthdate', 'is', null), eb('birthdate', '=', keys.birthdate!)])),
    )
    .$if(Boolean(city || postalcode || street), (q) => {
      const same = (column: Column, value: string | undefined) =>
        value ? sql<boolean>`${norm(column)} = ${normValue(value)}` : sql<boolean>`false`
      const birthdatesCompared =
        keys.birthdate !== undefined ? sql<boolean>`birthdate is not null` : sql<boolean>`false`
      return q.where(
        sql<boolean>`(coalesce(address_city, address_postalcode, address_street) is null
          or ((${same('address_city', city)} or ${same('address_postalcode', postalcode)})
              and (${birthdatesCompared} or ${same('address_street', street)})))`,
      )
    })
  return (await query.executeTakeFirst())?.id
}
