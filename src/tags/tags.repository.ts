import type { Db } from '../db/database.ts'
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

export async function setContactTags(
  db: Db,
  tenant: Tenant,
  contactId: number,
  tagIds: number[],
): Promise<void> {
  let remove = db
    .deleteFrom('contact_tag')
    .where('group_id', '=', tenant.groupId)
    .where('contact_id', '=', contactId)
  if (tagIds.length > 0) remove = remove.where('tag_id', 'not in', tagIds)
  await remove.execute()
  if (tagIds.length === 0) return
  await db
    .insertInto('contact_tag')
    .values(tagIds.map((tagId) => ({ group_id: tenant.groupId, tag_id: tagId, contact_id: contactId })))
    .onConflict((oc) => oc.doNothing())
    .execute()
}

export function addContactTags(db: Db, tenant: Tenant, contactId: number, tagIds: number[]) {
  return db
    .insertInto('contact_tag')
    .values(tagIds.map((tagId) => ({ group_id: tenant.groupId, tag_id: tagId, contact_id: contactId })))
    .onConflict((oc) => oc.doNothing())
    .execute()
}

/** Tags of each contact, with appearance_count (kept by triggers, migration 0006). */
export function listForContacts(db: Db, tenant: Tenant, contactIds: number[]) {
  return db
    .selectFrom('contact_tag as ct')
    .innerJoin('tag as t', (join) =>
      join.onRef('t.group_id', '=', 'ct.group_id').onRef('t.id', '=', 'ct.tag_id'),
    )
    .select(['ct.contact_id', 't.id', 't.name', 't.color', 't.appearance_count'])
    .where('ct.group_id', '=', tenant.groupId)
    .where('ct.contact_id', 'in', contactIds)
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

/** Locks, in id order, the tags the contact carries now and the tags it is about to carry. */
export async function lockTagsInOrder(
  db: Db,
  tenant: Tenant,
  contactId: number,
  tagIds: number[],
): Promise<void> {
  await db
    .selectFrom('tag')
    .select('id')
    .where('group_id', '=', tenant.groupId)
    .where((eb) =>
      eb.or([
        ...(tagIds.length > 0 ? [eb('id', 'in', tagIds)] : []),
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
    .execute()
}
