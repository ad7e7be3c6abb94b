import type { ContactUpdate, Db, NewContact } from '../db/database.ts'
import type { Tenant } from '../shared/tenant.ts'

export const contactColumns = [
  'group_id',
  'id',
  'created_at',
  'updated_at',
  'lastchange',
  'firstname',
  'surname',
  'married_name',
  'gender',
  'birthdate',
  'age_category',
  'birthdept',
  'birthcity',
  'birthcountry',
  'nationality',
  'mail',
  'phone',
  'mobile',
  'phone_invalid',
  'mobile_invalid',
  'black_list',
  'user_id',
  'user_contact_id',
  'nationbuilderid',
  'external_id',
  'address_id',
  'address_housenumber',
  'address_street',
  'address_postalcode',
  'address_citycode',
  'address_city',
  'address_county',
  'address_state',
  'address_country',
  'address_addition',
  'address_infos',
  'address_building',
  'address_floor',
  'address_door',
  'address_pollingstation',
  'address_latitude',
  'address_longitude',
  'address_score',
  'address_invalid',
] as const

export async function insertContact(
  db: Db,
  tenant: Tenant,
  values: Omit<NewContact, 'group_id'>,
): Promise<number> {
  const row = await db
    .insertInto('contact')
    .values({ ...values, group_id: tenant.groupId })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export function findContact(db: Db, tenant: Tenant, id: number) {
  return db
    .selectFrom('contact')
    .select(contactColumns)
    .where('group_id', '=', tenant.groupId)
    .where('id', '=', id)
    .executeTakeFirst()
}

/** The row, locked for the rest of the transaction (PATCH reads then writes it). */
export function findContactForUpdate(db: Db, tenant: Tenant, id: number) {
  return db
    .selectFrom('contact')
    .select(contactColumns)
    .where('group_id', '=', tenant.groupId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()
}

export function findContacts(db: Db, tenant: Tenant, ids: number[]) {
  return db
    .selectFrom('contact')
    .select(contactColumns)
    .where('group_id', '=', tenant.groupId)
    .where('id', 'in', ids)
    .execute()
}

export async function updateContact(
  db: Db,
  tenant: Tenant,
  id: number,
  values: ContactUpdate,
): Promise<void> {
  await db
    .updateTable('contact')
    .set({ ...values, updated_at: new Date() })
    .where('group_id', '=', tenant.groupId)
    .where('id', '=', id)
    .execute()
}

/** Deletes the contact; tags links, answers, notes, interactions and files go with it (FK cascade). */
export async function deleteContact(db: Db, tenant: Tenant, id: number): Promise<boolean> {
  const row = await db
    .deleteFrom('contact')
    .where('group_id', '=', tenant.groupId)
    .where('id', '=', id)
    .returning('id')
    .executeTakeFirst()
  return row !== undefined
}
