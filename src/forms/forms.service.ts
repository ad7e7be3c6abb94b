// Form definitions: the advanced fields (consents, surveys, level of support, custom fields,
// presence, tasks) that give meaning to form answers.
import type { Db } from '../db/database.ts'
import type { Tenant } from '../shared/tenant.ts'
import { type FormWithValues, FREE_INPUT, loadForms } from './answers.service.ts'
import * as repo from './forms.repository.ts'

export type { FormWithValues }
export type Refvalue = FormWithValues['refvalues'][number]

/** The families of forms (`type_of_form`), i.e. the `{type}` of `GET /v1/forms/type/{type}`. */
export const FORM_FAMILIES = [
  'consent',
  'survey',
  'level_of_support',
  'custom_fields',
  'presence_status',
  'tasks',
] as const
/** Input kinds (`type`). */
export const FORM_TYPES = ['radio', 'checkbox', 'select', 'text', 'numeric', 'date'] as const

export type FormFamily = (typeof FORM_FAMILIES)[number]
export type FormType = (typeof FORM_TYPES)[number]

export interface FormWrite {
  type_of_form: string
  type: string
  label: string
  refvalues?: { label: string; value: string }[]
}

/** Creates a form; a free-input form (text, numeric, date) gets its one refvalue automatically. */
export async function create(db: Db, tenant: Tenant, input: FormWrite): Promise<FormWithValues> {
  return db.transaction().execute(async (trx) => {
    const form = await repo.insertForm(trx, tenant, {
      type_of_form: input.type_of_form,
      type: input.type,
      label: input.label,
    })
    const values = FREE_INPUT.has(input.type)
      ? [{ label: input.label, value: input.label }]
      : (input.refvalues ?? [])
    if (values.length > 0) await repo.insertRefvalues(trx, tenant, form.id, values)
    return (await loadForms(trx, tenant, [form.id])).get(form.id)!
  })
}

/** One form with its refvalues, or undefined. */
export async function findById(db: Db, tenant: Tenant, id: number): Promise<FormWithValues | undefined> {
  return (await loadForms(db, tenant, [id])).get(id)
}

/** The forms of a family (every form when `family` is absent), each with its refvalues. */
export async function listByFamily(db: Db, tenant: Tenant, family?: string): Promise<FormWithValues[]> {
  const rows = await repo.listForms(db, tenant, family)
  const forms = await loadForms(
    db,
    tenant,
    rows.map((r) => r.id),
  )
  return rows.map((r) => forms.get(r.id)!)
}

/**
 * The form an upsert's advanced field names: by `id` (a form id, not a refvalue id) when given,
 * else by `label` (exact first, then case- and surrounding-space-insensitive when that is
 * unambiguous). `family` (a `type_of_form`) restricts the search; a form of another family is
 * not found. Undefined when nothing matches.
 */
export async function findByIdOrLabel(
  db: Db,
  tenant: Tenant,
  family: string | null | undefined,
  ref: { id?: number | null; label?: string | null },
): Promise<FormWithValues | undefined> {
  let id: number | undefined
  if (ref.id != null) id = ref.id
  else if (ref.label != null && ref.label.trim() !== '') {
    const rows = await repo.findFormsByLabel(db, tenant, ref.label, family ?? undefined)
    const exact = rows.filter((r) => r.label === ref.label)
    const pick = exact.length === 1 ? exact[0] : rows.length === 1 ? rows[0] : undefined
    id = pick?.id
  }
  if (id === undefined) return undefined
  const form = await findById(db, tenant, id)
  return form && (!family || form.type_of_form === family) ? form : undefined
}

/**
 * The refvalue of a choice form that `text` names: by `value` (the slug, e.g. `consent_email`),
 * else by `label` (the display text), else either compared case-insensitively when that is
 * unambiguous. Undefined when none matches. (For free-input forms the answer is the text itself
 * and the form's first refvalue is its `form_ref_id`.)
 */
export function findRefvalue(form: FormWithValues, text: string): Refvalue | undefined {
  const byValue = form.refvalues.find((rv) => rv.value === text)
  if (byValue) return byValue
  const byLabel = form.refvalues.find((rv) => rv.label === text)
  if (byLabel) return byLabel
  const folded = text.trim().toLowerCase()
  const loose = form.refvalues.filter(
    (rv) => rv.value.toLowerCase() === folded || rv.label.trim().toLowerCase() === folded,
  )
  return loose.length === 1 ? loose[0] : undefined
}
