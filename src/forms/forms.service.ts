// Form definitions: the advanced fields (consents, surveys, level of support, custom fields,
// presence, tasks) that give meaning to form answers.
import type { Db } from '../db/database.ts'
import { inTransaction } from '../db/transaction.ts'
import { errors } from '../shared/errors.ts'
import type { Tenant } from '../shared/tenant.ts'
import { type FormWithValues, FREE_INPUT, loadForms } from './answers.service.ts'
import { type CleanRefvalue, cleanLabel, cleanRefvalues } from './forms.input.ts'
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
  refvalues?: { label?: string | null; value?: string | null }[] | null
}

const BODY = 'body.data.form'

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === '23505'
}

function labelTaken(family: string, label: string, location: string) {
  return errors.conflict(
    `A ${family ? `${family} ` : ''}form labelled ${JSON.stringify(label)} already exists in this space: labels are unique per space and type_of_form`,
    [
      {
        location: `${location}.label`,
        message: 'label already used by another form of this type_of_form',
        value: label,
      },
    ],
  )
}

/** Labels are unique per space and family, compared case-insensitively (upsert finds forms by label). */
async function assertLabelFree(
  db: Db,
  tenant: Tenant,
  family: string,
  label: string,
  location: string,
  self?: number,
) {
  const clash = (await repo.findFormsByLabel(db, tenant, label, family)).find((f) => f.id !== self)
  if (clash) throw labelTaken(family, label, location)
}

async function insertOne(db: Db, tenant: Tenant, input: FormWrite, location: string): Promise<number> {
  const label = cleanLabel(input.label, location)
  const values = FREE_INPUT.has(input.type)
    ? [{ label, value: label }]
    : cleanRefvalues(input.type, input.refvalues, location)
  await assertLabelFree(db, tenant, input.type_of_form, label, location)
  const form = await repo.insertForm(db, tenant, {
    type_of_form: input.type_of_form,
    type: input.type,
    label,
  })
  await repo.insertRefvalues(db, tenant, form.id, values)
  return form.id
}

/** Runs `work` in a transaction; a label taken meanwhile by a concurrent write is a 409 too. */
async function writing<T>(
  db: Db,
  work: (trx: Db) => Promise<T>,
  family: string,
  label: string,
  location: string,
) {
  try {
    return await inTransaction(db, work)
  } catch (error) {
    if (isUniqueViolation(error)) throw labelTaken(family, label, location)
    throw error
  }
}

/**
 * Creates a form; a free-input form (text, numeric, date) gets its one refvalue automatically
 * (label and value = the form's label). Choice forms need at least one refvalue.
 */
export async function create(
  db: Db,
  tenant: Tenant,
  input: FormWrite,
  location = BODY,
): Promise<FormWithValues> {
  return writing(
    db,
    async (trx) => (await findById(trx, tenant, await insertOne(trx, tenant, input, location)))!,
    input.type_of_form,
    input.label,
    location,
  )
}

/** Creates several forms at once (command line): all or nothing. `location(i)` names each in errors. */
export async function createMany(
  db: Db,
  tenant: Tenant,
  inputs: FormWrite[],
  location: (index: number) => string,
): Promise<FormWithValues[]> {
  return inTransaction(db, async (trx) => {
    const ids: number[] = []
    for (const [i, input] of inputs.entries()) ids.push(await insertOne(trx, tenant, input, location(i)))
    const forms = await loadForms(trx, tenant, ids)
    return ids.map((id) => forms.get(id)!)
  })
}

export interface FormReplace {
  label: string
  type?: string | null
  type_of_form?: string | null
  refvalues?: { label?: string | null; value?: string | null }[] | null
}

/**
 * PATCH: replaces label and refvalues. Refvalues are matched by `value`: a kept value keeps its id
 * (its label and position may change), a new value is added, a value no longer listed is deleted
 * and the live answers pointing at it are soft-deleted (they stay in the database as history, as
 * a replaced radio answer does). A free-input form keeps its one refvalue, renamed with the form.
 * `type` and `type_of_form` cannot change (answers depend on them): sending them back unchanged is fine.
 */
export async function update(
  db: Db,
  tenant: Tenant,
  id: number,
  input: FormReplace,
  location = BODY,
): Promise<FormWithValues> {
  return writing(
    db,
    async (trx) => {
      // Two PATCHes of one form would otherwise update its refvalues in the orders of their
      // bodies and deadlock; with the form's row locked first they run one after the other.
      if (!(await repo.lockForm(trx, tenant, id))) throw errors.notFound('Form', id)
      const form = await findById(trx, tenant, id)
      if (!form) throw errors.notFound('Form', id)
      for (const key of ['type', 'type_of_form'] as const) {
        if (input[key] != null && input[key] !== form[key]) {
          throw errors.invalidField(
            `${location}.${key}`,
            `The ${key} of a form cannot change (it is ${JSON.stringify(form[key])}): create a new form instead`,
            input[key],
          )
        }
      }
      const label = cleanLabel(input.label, location)
      await assertLabelFree(trx, tenant, form.type_of_form, label, location, id)
      if (label !== form.label) await repo.updateForm(trx, tenant, id, label)
      const wanted = FREE_INPUT.has(form.type)
        ? [{ label, value: label }]
        : cleanRefvalues(form.type, input.refvalues, location)
      await replaceRefvalues(trx, tenant, form, wanted)
      return (await findById(trx, tenant, id))!
    },
    input.type_of_form ?? '',
    input.label,
    location,
  )
}

async function replaceRefvalues(db: Db, tenant: Tenant, form: FormWithValues, wanted: CleanRefvalue[]) {
  const current = FREE_INPUT.has(form.type)
    ? new Map(form.refvalues.slice(0, 1).map((rv) => [wanted[0]!.value, rv]))
    : new Map(form.refvalues.map((rv) => [rv.value, rv]))
  const kept = new Set<number>()
  const added: (CleanRefvalue & { position: number })[] = []
  for (const [position, rv] of wanted.entries()) {
    const match = current.get(rv.value)
    if (!match) {
      added.push({ ...rv, position })
      continue
    }
    kept.add(match.id)
    await repo.updateRefvalue(db, tenant, match.id, { ...rv, position })
  }
  const removed = form.refvalues.filter((rv) => !kept.has(rv.id)).map((rv) => rv.id)
  if (removed.length > 0) {
    await repo.softDeleteAnswersOfRefvalues(db, tenant, form.id, removed)
    await repo.deleteRefvalues(db, tenant, form.id, removed)
  }
  if (added.length > 0) await repo.insertRefvalues(db, tenant, form.id, added)
}

/** Deletes the form, its refvalues and every answer to it (contacts lose those answers). */
export async function remove(db: Db, tenant: Tenant, id: number): Promise<{ id: number }> {
  if (!(await repo.deleteForm(db, tenant, id))) throw errors.notFound('Form', id)
  return { id }
}

/** GET /forms/{type} and /v1/forms/type/{type}: an unknown family is a 422 listing the known ones. */
export function assertFamily(family: string, location: string): FormFamily {
  if ((FORM_FAMILIES as readonly string[]).includes(family)) return family as FormFamily
  throw errors.invalidField(
    location,
    `Unknown form type ${JSON.stringify(family)}: use one of ${FORM_FAMILIES.join(', ')}`,
    family,
  )
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
