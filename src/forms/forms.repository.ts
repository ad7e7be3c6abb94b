import { type Insertable, sql } from 'kysely'
import { anyOf } from '../db/any.ts'
import type { Db, FormDataTable } from '../db/database.ts'
import type { Tenant } from '../shared/tenant.ts'

export const formColumns = ['id', 'label', 'type', 'type_of_form'] as const
export const formDataColumns = [
  'form_data.id',
  'form_data.group_id',
  'form_data.contact_id',
  'form_data.form_id',
  'form_data.form_ref_id',
  'form_data.data',
  'form_data.date',
  'form_data.donedate',
  'form_data.created_at',
  'form_data.updated_at',
  'form_data.deleted_at',
] as const

/** Forms with their refvalues (a form without any has one row, refvalue columns null), in order. */
export function findFormsWithRefvalues(db: Db, tenant: Tenant, ids: number[]) {
  return db
    .selectFrom('form as f')
    .leftJoin('refvalue as rv', (join) =>
      join.onRef('rv.group_id', '=', 'f.group_id').onRef('rv.form_id', '=', 'f.id'),
    )
    .select([
      'f.id',
      'f.label',
      'f.type',
      'f.type_of_form',
      'rv.id as refvalue_id',
      'rv.label as refvalue_label',
      'rv.value as refvalue_value',
    ])
    .where('f.group_id', '=', tenant.groupId)
    .where('f.id', '=', anyOf(ids))
    .orderBy('f.id')
    .orderBy('rv.position')
    .orderBy('rv.id')
    .execute()
}

/** Live answers of the contacts, with the family of their form (formdatas vs customfields). */
export function liveAnswersOf(db: Db, tenant: Tenant, contactIds: number[]) {
  return db
    .selectFrom('form_data')
    .innerJoin('form', (join) =>
      join.onRef('form.group_id', '=', 'form_data.group_id').onRef('form.id', '=', 'form_data.form_id'),
    )
    .select([...formDataColumns, 'form.type_of_form', 'form.type'])
    .where('form_data.group_id', '=', tenant.groupId)
    .where('form_data.contact_id', '=', anyOf(contactIds))
    .where('form_data.deleted_at', 'is', null)
    .orderBy('form_data.contact_id')
    .orderBy('form_data.id')
    .execute()
}

/**
 * Rows per INSERT: 5,000 rows of 7 columns stay under the 65,535 bind parameters a statement may
 * have (a contact may be sent with 10,000 formdatas and 10,000 custom fields).
 */
const ANSWERS_PER_INSERT = 5000

export async function insertAnswers(db: Db, rows: Insertable<FormDataTable>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += ANSWERS_PER_INSERT)
    await db
      .insertInto('form_data')
      .values(rows.slice(i, i + ANSWERS_PER_INSERT))
      .execute()
}

export function updateAnswerDate(db: Db, tenant: Tenant, id: number, date: string) {
  return db
    .updateTable('form_data')
    .set({ date, updated_at: new Date() })
    .where('group_id', '=', tenant.groupId)
    .where('id', '=', id)
    .execute()
}

/** softDeleteAnswers then insertAnswers, in one statement when the rows fit in one. */
export async function softDeleteAndInsertAnswers(
  db: Db,
  tenant: Tenant,
  ids: number[],
  rows: Insertable<FormDataTable>[],
): Promise<void> {
  if (rows.length > ANSWERS_PER_INSERT) {
    await softDeleteAnswers(db, tenant, ids)
    return insertAnswers(db, rows)
  }
  await db
    .with('stale', (qb) =>
      qb
        .updateTable('form_data')
        .set({ deleted_at: new Date() })
        .where('group_id', '=', tenant.groupId)
        .where('id', '=', anyOf(ids)),
    )
    .insertInto('form_data')
    .values(rows)
    .execute()
}

export async function softDeleteAnswers(db: Db, tenant: Tenant, ids: number[]): Promise<void> {
  await db
    .updateTable('form_data')
    .set({ deleted_at: new Date() })
    .where('group_id', '=', tenant.groupId)
    .where('id', '=', anyOf(ids))
    .execute()
}

export function insertForm(
  db: Db,
  tenant: Tenant,
  form: { type_of_form: string; type: string; label: string },
) {
  return db
    .insertInto('form')
    .values({ ...form, group_id: tenant.groupId })
    .returning(formColumns)
    .executeTakeFirstOrThrow()
}

export function insertRefvalues(
  db: Db,
  tenant: Tenant,
  formId: number,
  values: { label: string; value: string; position?: number }[],
) {
  return db
    .insertInto('refvalue')
    .values(
      values.map((v, i) => ({
        label: v.label,
        value: v.value,
        position: v.position ?? i,
        group_id: tenant.groupId,
        form_id: formId,
      })),
    )
    .execute()
}

/** Locks the form's row until the transaction ends: its writers then run one after the other. */
export function lockForm(db: Db, tenant: Tenant, id: number) {
  return db
    .selectFrom('form')
    .select('id')
    .where('group_id', '=', tenant.groupId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()
}

export function updateForm(db: Db, tenant: Tenant, id: number, label: string) {
  return db
    .updateTable('form')
    .set({ label, updated_at: new Date() })
    .where('group_id', '=', tenant.groupId)
    .where('id', '=', id)
    .execute()
}

/** Deletes the form; its refvalues and every answer to it go with it (FK cascade). */
export async function deleteForm(db: Db, tenant: Tenant, id: number): Promise<boolean> {
  const row = await db
    .deleteFrom('form')
    .where('group_id', '=', tenant.groupId)
    .where('id', '=', id)
    .returning('id')
    .executeTakeFirst()
  return row !== undefined
}

export function updateRefvalue(
  db: Db,
  tenant: Tenant,
  id: number,
  values: { label: string; value: string; position: number },
) {
  return db
    .updateTable('refvalue')
    .set(values)
    .where('group_id', '=', tenant.groupId)
    .where('id', '=', id)
    .execute()
}

export function deleteRefvalues(db: Db, tenant: Tenant, formId: number, ids: number[]) {
  return db
    .deleteFrom('refvalue')
    .where('group_id', '=', tenant.groupId)
    .where('form_id', '=', formId)
    .where('id', 'in', ids)
    .execute()
}

/** Soft-deletes the live answers that point at these refvalues; returns how many. */
export async function softDeleteAnswersOfRefvalues(
  db: Db,
  tenant: Tenant,
  formId: number,
  refvalueIds: number[],
): Promise<number> {
  const rows = await db
    .updateTable('form_data')
    .set({ deleted_at: new Date(), updated_at: new Date() })
    .where('group_id', '=', tenant.groupId)
    .where('form_id', '=', formId)
    .where('form_ref_id', 'in', refvalueIds)
    .where('deleted_at', 'is', null)
    .returning('id')
    .execute()
  return rows.length
}

/** Forms of the space, optionally of one family, by id (the order of creation). */
export function listForms(db: Db, tenant: Tenant, family?: string) {
  let query = db.selectFrom('form').select(formColumns).where('group_id', '=', tenant.groupId)
  if (family) query = query.where('type_of_form', '=', family)
  return query.orderBy('id').execute()
}

/** Forms whose label is `label`, compared case- and space-insensitively (exact match sorts first). */
export function findFormsByLabel(db: Db, tenant: Tenant, label: string, family?: string) {
  let query = db
    .selectFrom('form')
    .select(formColumns)
    .where('group_id', '=', tenant.groupId)
    .where(sql<string>`lower(trim(label))`, '=', label.trim().toLowerCase())
  if (family) query = query.where('type_of_form', '=', family)
  return query.orderBy(sql`label = ${label}`, 'desc').orderBy('id').execute()
}
