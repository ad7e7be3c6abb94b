import type { Insertable } from 'kysely'
import { anyOf } from '../db/any.ts'
import type { Db, NoteTable } from '../db/database.ts'
import type { Tenant } from '../shared/tenant.ts'

export const noteColumns = [
  'id',
  'contact_id',
  'group_id',
  'data',
  'pinned',
  'only_super_admin',
  'user_id',
  'created_at',
  'updated_at',
] as const

export function listForContacts(db: Db, tenant: Tenant, contactIds: number[]) {
  return db
    .selectFrom('note')
    .select(noteColumns)
    .where('group_id', '=', tenant.groupId)
    .where('contact_id', '=', anyOf(contactIds))
    .orderBy('contact_id')
    .orderBy('id')
    .execute()
}

export function insertNotes(db: Db, notes: Insertable<NoteTable>[]) {
  return db.insertInto('note').values(notes).execute()
}

export function updateNote(
  db: Db,
  tenant: Tenant,
  contactId: number,
  id: number,
  values: { data?: string; pinned?: boolean; only_super_admin?: boolean },
) {
  return db
    .updateTable('note')
    .set({ ...values, updated_at: new Date() })
    .where('group_id', '=', tenant.groupId)
    .where('contact_id', '=', contactId)
    .where('id', '=', id)
    .returning(noteColumns)
    .executeTakeFirst()
}

export function deleteNotesExcept(db: Db, tenant: Tenant, contactId: number, keep: number[]) {
  let query = db.deleteFrom('note').where('group_id', '=', tenant.groupId).where('contact_id', '=', contactId)
  if (keep.length > 0) query = query.where('id', 'not in', keep)
  return query.execute()
}

/** deleteNotesExcept then insertNotes, in one statement. */
export function deleteNotesExceptAndInsert(
  db: Db,
  tenant: Tenant,
  contactId: number,
  keep: number[],
  notes: Insertable<NoteTable>[],
) {
  return db
    .with('removed', (qb) => {
      const query = qb
        .deleteFrom('note')
        .where('group_id', '=', tenant.groupId)
        .where('contact_id', '=', contactId)
      return keep.length > 0 ? query.where('id', 'not in', keep) : query
    })
    .insertInto('note')
    .values(notes)
    .execute()
}

export function insertNote(db: Db, note: Insertable<NoteTable>) {
  return db.insertInto('note').values(note).returning(noteColumns).executeTakeFirstOrThrow()
}

/** The deleted note, undefined when there was none. */
export function deleteNote(db: Db, tenant: Tenant, contactId: number, id: number) {
  return db
    .deleteFrom('note')
    .where('group_id', '=', tenant.groupId)
    .where('contact_id', '=', contactId)
    .where('id', '=', id)
    .returning(noteColumns)
    .executeTakeFirst()
}

export function findNote(db: Db, tenant: Tenant, contactId: number, id: number) {
  return db
    .selectFrom('note')
    .select(noteColumns)
    .where('group_id', '=', tenant.groupId)
    .where('contact_id', '=', contactId)
    .where('id', '=', id)
    .executeTakeFirst()
}
