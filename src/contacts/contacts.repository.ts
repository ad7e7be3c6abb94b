import { sql } from 'kysely'
import type { ContactRow, ContactUpdate, Db, NewContact } from '../db/database.ts'
import type { Tenant } from '../shared/tenant.ts'
import { COORDINATE_TOLERANCE, type Coordinates, type CoordinatesRule } from './address.ts'

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
    // its author: the user who created it, when a user did (a session, or a key tied to a user)
    .values({ ...values, group_id: tenant.groupId, user_id: tenant.userId ?? null })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/**
 * A row of `findContactWithRelations`: which relation it carries (`rel`), then that relation's
 * columns, null in the others. A contact with no relation at all comes back as one row with `rel`
 * null.
 */
export interface RelationColumns {
  rel: 'tag' | 'action' | 'answer' | 'note' | null
  /** tag id, action id, answer id or note id */
  rel_id: number | null
  rel_name: string | null
  rel_color: string | null
  rel_appearance_count: number | null
  rel_form_id: number | null
  rel_form_ref_id: number | null
  rel_data: string | null
  rel_date: string | null
  rel_donedate: string | null
  rel_created_at: string | null
  rel_updated_at: string | null
  rel_deleted_at: string | null
  rel_type_of_form: string | null
  rel_type: string | null
  rel_pinned: boolean | null
  rel_only_super_admin: boolean | null
  rel_user_id: number | null
}

// Every branch of the union selects all of these, in this order; the ones it does not fill are
// typed nulls, so each column has one type and comes back through the drivers' usual parsers.
const RELATION_TYPES: Record<Exclude<keyof RelationColumns, 'rel'>, string> = {
  rel_id: 'bigint',
  rel_name: 'text',
  rel_color: 'text',
  rel_appearance_count: 'bigint',
  rel_form_id: 'bigint',
  rel_form_ref_id: 'bigint',
  rel_data: 'text',
  rel_date: 'timestamptz',
  rel_donedate: 'timestamptz',
  rel_created_at: 'timestamptz',
  rel_updated_at: 'timestamptz',
  rel_deleted_at: 'timestamptz',
  rel_type_of_form: 'text',
  rel_type: 'text',
  rel_pinned: 'boolean',
  rel_only_super_admin: 'boolean',
  rel_user_id: 'bigint',
}

/** The select list of one branch: `rel`, then every relation column, from `columns` or null. */
function selectList(
  rel: NonNullable<RelationColumns['rel']>,
  columns: Partial<Record<keyof typeof RELATION_TYPES, string>>,
) {
  const list = Object.entries(RELATION_TYPES).map(
    ([alias, type]) => `${columns[alias as keyof typeof RELATION_TYPES] ?? `null::${type}`} as ${alias}`,
  )
  return sql.raw([`'${rel}' as rel`, ...list].join(', '))
}

// Written out once, at load: assembling this statement with the builder on every call was a
// measurable share of a GET.
const TAG_LIST = selectList('tag', {
  rel_id: 't.id',
  rel_name: 't.name',
  rel_color: 't.color',
  rel_appearance_count: 't.appearance_count',
})
const ACTION_LIST = selectList('action', { rel_id: 'ca.action_id' })
const ANSWER_LIST = selectList('answer', {
  rel_id: 'fd.id',
  rel_form_id: 'fd.form_id',
  rel_form_ref_id: 'fd.form_ref_id',
  rel_data: 'fd.data',
  rel_date: 'fd.date',
  rel_donedate: 'fd.donedate',
  rel_created_at: 'fd.created_at',
  rel_updated_at: 'fd.updated_at',
  rel_deleted_at: 'fd.deleted_at',
  rel_type_of_form: 'f.type_of_form',
  rel_type: 'f.type',
})
const NOTE_LIST = selectList('note', {
  rel_id: 'n.id',
  rel_data: 'n.data',
  rel_pinned: 'n.pinned',
  rel_only_super_admin: 'n.only_super_admin',
  rel_user_id: 'n.user_id',
  rel_created_at: 'n.created_at',
  rel_updated_at: 'n.updated_at',
})
const CONTACT_LIST = sql.raw(contactColumns.map((column) => `c.${column}`).join(', '))

/**
 * Everything GET shows of a contact besides its row (tags, actions, live answers, notes) as one
 * `union all`, each relation read by its own index; in parentheses, to select from.
 */
function relations(tenant: Tenant, id: number) {
  const g = tenant.groupId
  return sql<RelationColumns>`(
    select ${TAG_LIST} from contact_tag ct
      join tag t on t.group_id = ct.group_id and t.id = ct.tag_id
      where ct.group_id = ${g} and ct.contact_id = ${id}
    union all
    select ${ACTION_LIST} from contact_action ca where ca.group_id = ${g} and ca.contact_id = ${id}
    union all
    select ${ANSWER_LIST} from form_data fd
      join form f on f.group_id = fd.group_id and f.id = fd.form_id
      where fd.group_id = ${g} and fd.contact_id = ${id} and fd.deleted_at is null
    union all
    select ${NOTE_LIST} from note n where n.group_id = ${g} and n.contact_id = ${id}
  )`
}

/** Each relation in its order: tags by name, the others by id. */
const RELATION_ORDER = sql.raw('r.rel, r.rel_name, r.rel_id')

/**
 * The contact and its relations in ONE statement; the contact's columns repeat on each of its
 * (few) relation rows, and a contact without any relation is one row with `rel` null. No row: no
 * such contact.
 */
export async function findContactWithRelations(
  db: Db,
  tenant: Tenant,
  id: number,
): Promise<(ContactRow & RelationColumns)[]> {
  const { rows } = await sql<ContactRow & RelationColumns>`
    select ${CONTACT_LIST}, r.* from contact c left join ${relations(tenant, id)} r on true
    where c.group_id = ${tenant.groupId} and c.id = ${id}
    order by ${RELATION_ORDER}`.execute(db)
  return rows
}

/** The contact's relations alone (the caller has its row), in one statement. */
export async function findRelations(db: Db, tenant: Tenant, id: number): Promise<RelationColumns[]> {
  const { rows } = await sql<RelationColumns>`
    select r.* from ${relations(tenant, id)} r order by ${RELATION_ORDER}`.execute(db)
  return rows
}

/**
 * The coordinates columns of an update that applies `rule` to the row it updates (the right-hand
 * side of SET reads the stored row): the stored ones where `rule.keep` holds of it, else
 * `rule.otherwise`.
 */
function coordinatesSet({ keep, otherwise }: CoordinatesRule) {
  const near = (column: string, value: number) =>
    sql`abs(${sql.ref(column)} - ${value}::float8) < ${COORDINATE_TOLERANCE}::float8`
  const kept =
    'given' in keep
      ? sql`${near('address_latitude', keep.given.latitude)} and ${near('address_longitude', keep.given.longitude)}`
      : sql`(${sql.join(Object.keys(keep.location).map((c) => sql.ref(c)))}) is not distinct from (${sql.join(
          Object.values(keep.location).map((v) => sql`${v}::text`),
        )})`
  const choose = <K extends keyof Coordinates>(column: K, type: string) =>
    sql<
      Coordinates[K]
    >`case when ${kept} then ${sql.ref(column)} else ${otherwise[column]}::${sql.raw(type)} end`
  return {
    address_latitude: choose('address_latitude', 'float8'),
    address_longitude: choose('address_longitude', 'float8'),
    address_score: choose('address_score', 'float8'),
    address_invalid: choose('address_invalid', 'boolean'),
  }
}

/**
 * updateContact with a coordinates rule (address.ts `coordinatesRule`), returning the updated row and, in
 * the same statement, the contact's relations. The caller has locked the row in an earlier
 * statement: this one's snapshot is then taken after the lock, so the relations are as they are
 * now (a statement that waits for the lock itself reads with the snapshot it began with).
 */
export async function updateContactWithRelations(
  db: Db,
  tenant: Tenant,
  id: number,
  values: ContactUpdate,
  coordinates: CoordinatesRule,
): Promise<(ContactRow & RelationColumns)[]> {
  return db
    .with('c', (qb) =>
      qb
        .updateTable('contact')
        .set({ ...values, ...coordinatesSet(coordinates), updated_at: new Date() })
        .where('group_id', '=', tenant.groupId)
        .where('id', '=', id)
        .returning(contactColumns),
    )
    .selectFrom('c')
    .leftJoin(relations(tenant, id).as('r'), (join) => join.onTrue())
    .selectAll('c')
    .selectAll('r')
    .orderBy(RELATION_ORDER)
    .execute()
}

/** The row, locked for the rest of the transaction (upsert reads then writes it). */
export function findContactForUpdate(db: Db, tenant: Tenant, id: number) {
  return db
    .selectFrom('contact')
    .select(contactColumns)
    .where('group_id', '=', tenant.groupId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()
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
/** Deletes the contact; gives the values that identified the person, undefined when there was no row. */
export function deleteContact(db: Db, tenant: Tenant, id: number) {
  return db
    .deleteFrom('contact')
    .where('group_id', '=', tenant.groupId)
    .where('id', '=', id)
    .returning(['id', 'nationbuilderid', 'mail', 'surname', 'firstname', 'phone', 'mobile'])
    .executeTakeFirst()
}

/**
 * Notes and interactions are reached through their contact: 404 when it is not in the space.
 * With `lock`, the row is also locked for the rest of the transaction (PATCH).
 */
export async function contactExists(
  db: Db,
  tenant: Tenant,
  contactId: number,
  { lock = false }: { lock?: boolean } = {},
): Promise<boolean> {
  const row = await db
    .selectFrom('contact')
    .select('id')
    .where('group_id', '=', tenant.groupId)
    .where('id', '=', contactId)
    .$if(lock, (q) => q.forUpdate())
    .executeTakeFirst()
  return row !== undefined
}

/**
 * A write to a contact's notes or interactions is a write of the contact: its `UpdatedAt` moves
 * (docs/api.md, Notes), `lastchange` does not. False when the contact is not in the space.
 */
export async function touchContact(db: Db, tenant: Tenant, contactId: number): Promise<boolean> {
  const row = await db
    .updateTable('contact')
    .set({ updated_at: new Date() })
    .where('group_id', '=', tenant.groupId)
    .where('id', '=', contactId)
    .returning('id')
    .executeTakeFirst()
  return row !== undefined
}

/** How many rows of one of its lists (notes, tags) a contact has: for the caps of contacts.schema.ts. */
export async function countOfContact(
  db: Db,
  tenant: Tenant,
  table: 'note' | 'contact_tag',
  contactId: number,
): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('group_id', '=', tenant.groupId)
    .where('contact_id', '=', contactId)
    .executeTakeFirstOrThrow()
  return Number(row.count)
}
