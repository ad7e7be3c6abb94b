import { sql } from 'kysely'
import { anyOf } from '../db/any.ts'
import type { Db } from '../db/database.ts'
import { addLinks, setLinks } from '../db/links.ts'
import type { Tenant } from '../shared/tenant.ts'

export function findTagsByName(db: Db, tenant: Tenant, names: string[]) {
  return db
    .selectFrom('tag')
    .select(['id', 'name', 'color'])
    .where('group_id', '=', tenant.groupId)
    .where('name', 'in', names)
    .execute()
}

export function insertTags(db: Db, tenant: Tenant, tags: { name: string; color: string }[]) {
  return db
    .insertInto('tag')
    .values(tags.map((t) => ({ group_id: tenant.groupId, name: t.name, color: t.color })))
    .onConflict((oc) => oc.columns(['group_id', 'name']).doNothing())
    .execute()
}

export function updateTagColor(db: Db, tenant: Tenant, id: number, color: string) {
  return db
    .updateTable('tag')
    .set({ color })
    .where('group_id', '=', tenant.groupId)
    .where('id', '=', id)
    .execute()
}

/** The contact's tag links become exactly `tagIds` (one statement). */
export const setContactTags = (db: Db, tenant: Tenant, contactId: number, tagIds: number[]) =>
  setLinks(db, tenant, 'contact_tag', contactId, tagIds)

/** Upsert: these tags are added to the contact's. */
export const addContactTags = (db: Db, tenant: Tenant, contactId: number, tagIds: number[]) =>
  addLinks(db, tenant, 'contact_tag', contactId, tagIds)

/** Tags of each contact, with appearance_count (kept by triggers, migration 0006). */
export function listForContacts(db: Db, tenant: Tenant, contactIds: number[]) {
  return db
    .selectFrom('contact_tag as ct')
    .innerJoin('tag as t', (join) =>
      join.onRef('t.group_id', '=', 'ct.group_id').onRef('t.id', '=', 'ct.tag_id'),
    )
    .select(['ct.contact_id', 't.id', 't.name', 't.color', 't.appearance_count'])
    .where('ct.group_id', '=', tenant.groupId)
    .where('ct.contact_id', '=', anyOf(contactIds))
    .orderBy('ct.contact_id')
    .orderBy('t.name')
    .execute()
}

/** Every tag of the space with its appearance_count (kept by triggers, migration 0006), by name. */
export function listTags(db: Db, tenant: Tenant) {
  return db
    .selectFrom('tag')
    .select(['id', 'name', 'color', 'appearance_count'])
    .where('group_id', '=', tenant.groupId)
    .orderBy('name')
    .orderBy('id')
    .execute()
}

/**
 * Locks, in id order, the tags the contact carries now and the wanted tags, creating the wanted
 * tags that do not exist yet; returns the wanted ones and the carried ones. The creation comes
 * first (`union all` runs its branches in order), so the statement never waits on another
 * transaction's new tag while it holds tag locks. A tag another transaction committed after this
 * statement began is neither created nor returned: the caller looks for it again.
 */
export function lockTagsCreatingMissing(
  db: Db,
  tenant: Tenant,
  contactId: number,
  wanted: { name: string; color: string }[],
) {
  const names = wanted.map((t) => t.name)
  const locked = db
    .selectFrom('tag')
    .select(['id', 'name', 'color'])
    .where('group_id', '=', tenant.groupId)
    .where((eb) =>
      eb.or([
        ...(names.length > 0 ? [eb('name', 'in', names)] : []),
        eb(
          'id',
          'in',
          eb
            .selectFrom('contact_tag')
            .select('tag_id')
            .where('group_id', '=', tenant.groupId)
            .where('contact_id', '=', contactId),
        ),
      ]),
    )
    .orderBy('id')
    .forUpdate()
  if (wanted.length === 0) return locked.execute()
  const values = sql<{ name: string; color: string }>`(values ${sql.join(
    wanted.map((t) => sql`(${t.name}::text, ${t.color}::text)`),
  )})`.as<'w'>(sql`w(name, color)`)
  return db
    .with('created', (qb) =>
      qb
        .insertInto('tag')
        .columns(['group_id', 'name', 'color'])
        .expression(
          qb
            .selectFrom(values)
            .select((eb) => [eb.val(tenant.groupId).as('group_id'), 'w.name', 'w.color'])
            .where(({ not, exists, selectFrom }) =>
              not(
                exists(
                  selectFrom('tag')
                    .select('tag.id')
                    .where('tag.group_id', '=', tenant.groupId)
                    .whereRef('tag.name', '=', 'w.name'),
                ),
              ),
            ),
        )
        .onConflict((oc) => oc.columns(['group_id', 'name']).doNothing())
        .returning(['id', 'name', 'color']),
    )
    .selectFrom('created')
    .select(['id', 'name', 'color'])
    .unionAll(db.selectFrom(locked.as('locked')).select(['id', 'name', 'color']))
    .execute()
}

/** The named tags, locked in id order. */
export function lockTagsByName(db: Db, tenant: Tenant, names: string[]) {
  return db
    .selectFrom('tag')
    .select(['id', 'name', 'color'])
    .where('group_id', '=', tenant.groupId)
    .where('name', 'in', names)
    .orderBy('id')
    .forUpdate()
    .execute()
}
