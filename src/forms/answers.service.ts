// Form answers ("formdatas" and custom fields) as POST/PATCH write them. The payload is the
// contact's whole set of answers; per form type, as Qomon's docs describe them:
//   radio/select: one answer; an added entry replaces the existing one
//   checkbox:     many answers, one per value; new values are added
//   text/numeric/date: entries accumulate
// Answers missing from the payload are soft-deleted; unchanged ones keep their id, so a
// GET → PATCH round trip changes nothing.
import type { FormDataInput } from '../contacts/contacts.schema.ts'
import type { Db } from '../db/database.ts'
import { errors } from '../shared/errors.ts'
import type { Tenant } from '../shared/tenant.ts'
import { toDateOnly } from '../shared/time.ts'
import * as repo from './forms.repository.ts'

export const SINGLE_CHOICE = new Set(['radio', 'select'])
export const FREE_INPUT = new Set(['text', 'numeric', 'date'])

export interface AnswerEntry {
  input: FormDataInput
  /** JSON path of the entry, for error messages */
  location: string
}

export interface FormWithValues {
  id: number
  label: string
  type: string
  type_of_form: string
  refvalues: { id: number; form_id: number; label: string; value: string }[]
}

interface Desired {
  form: FormWithValues
  form_ref_id: number | null
  data: string
  date: string | null
  survey_id: number | null
}

export async function loadForms(db: Db, tenant: Tenant, ids: number[]): Promise<Map<number, FormWithValues>> {
  const unique = [...new Set(ids)]
  const forms = new Map<number, FormWithValues>()
  if (unique.length === 0) return forms
  for (const row of await repo.findFormsWithRefvalues(db, tenant, unique)) {
    const form = forms.get(row.id) ?? {
      id: row.id,
      label: row.label,
      type: row.type,
      type_of_form: row.type_of_form,
      refvalues: [],
    }
    forms.set(form.id, form)
    if (row.refvalue_id !== null)
      form.refvalues.push({
        id: row.refvalue_id,
        form_id: row.id,
        label: row.refvalue_label!,
        value: row.refvalue_value!,
      })
  }
  return forms
}

/** A free-input answer in its canonical text: numbers as numbers, dates as ISO instants. */
export function normaliseFreeValue(type: string, raw: string): string | null {
  const text = raw.trim()
  if (text === '') return null
  if (type === 'numeric') {
    const n = Number(text.replace(',', '.'))
    return Number.isFinite(n) ? String(n) : null
  }
  if (type === 'date') {
    if (/^\d{4}-\d\d-\d\d$/.test(text)) return toDateOnly(text) ? `${text}T00:00:00.000Z` : null
    const time = Date.parse(text)
    return /^\d{4}-\d\d-\d\d[T ]/.test(text) && Number.isFinite(time) ? new Date(time).toISOString() : null
  }
  return raw
}

function resolve(entry: AnswerEntry, forms: Map<number, FormWithValues>): Desired {
  const { input, location } = entry
  const form = forms.get(input.form_id)
  if (!form)
    throw errors.invalidField(
      `${location}.form_id`,
      `Form ${input.form_id} does not exist in this space`,
      input.form_id,
    )
  const date = input.date ? new Date(Date.parse(input.date)).toISOString() : null
  const survey_id = input.survey_id ?? null
  const byId =
    input.form_ref_id != null ? form.refvalues.find((rv) => rv.id === input.form_ref_id) : undefined
  if (input.form_ref_id != null && !byId) {
    throw errors.invalidField(
      `${location}.form_ref_id`,
      `form_ref_id ${input.form_ref_id} is not a value of form ${form.id}; its values are ${form.refvalues.map((rv) => rv.id).join(', ') || 'none'}`,
      input.form_ref_id,
    )
  }
  if (FREE_INPUT.has(form.type)) {
    const data = normaliseFreeValue(form.type, input.data ?? '')
    if (data === null) {
      throw errors.invalidField(
        `${location}.data`,
        `Form ${form.id} (${form.type}) needs a ${form.type} value in data`,
        input.data,
      )
    }
    return { form, form_ref_id: byId?.id ?? form.refvalues[0]?.id ?? null, data, date, survey_id }
  }
  const data = input.data?.trim()
  const refvalue =
    byId ?? form.refvalues.find((rv) => rv.value === data) ?? form.refvalues.find((rv) => rv.label === data)
  if (!refvalue) {
    throw errors.invalidField(
      `${location}.data`,
      `Form ${form.id} has no value ${JSON.stringify(input.data)}; send form_ref_id or one of: ${form.refvalues.map((rv) => rv.value).join(', ')}`,
      input.data,
    )
  }
  return { form, form_ref_id: refvalue.id, data: refvalue.value, date, survey_id }
}

const keyOf = (a: { form_id: number; form_ref_id: number | null; data: string }) =>
  `${a.form_id}|${a.form_ref_id}|${a.data}`
const desiredKey = (a: Desired) => keyOf({ form_id: a.form.id, form_ref_id: a.form_ref_id, data: a.data })

/** Applies the per-type multiplicity rules to the payload's answers. */
function applyRules(desired: Desired[], existingKeys: Set<string>): Desired[] {
  const singles = new Map<number, Desired[]>()
  const seenChoice = new Set<string>()
  const result: Desired[] = []
  for (const answer of desired) {
    if (SINGLE_CHOICE.has(answer.form.type)) {
      singles.set(answer.form.id, [...(singles.get(answer.form.id) ?? []), answer])
    } else if (answer.form.type !== 'checkbox' || !seenChoice.has(desiredKey(answer))) {
      seenChoice.add(desiredKey(answer))
      result.push(answer)
    }
  }
  for (const candidates of singles.values()) {
    // the entry the contact did not have yet replaces the one it had
    const fresh = candidates.filter((answer) => !existingKeys.has(desiredKey(answer)))
    result.push((fresh.length > 0 ? fresh : candidates).at(-1)!)
  }
  return result
}

/**
 * Validates every entry first (nothing is written if one is wrong), then applies them. `existing`
 * is the contact's live answers by id, read under its row lock.
 */
export async function replaceForContact(
  db: Db,
  tenant: Tenant,
  contactId: number,
  entries: AnswerEntry[],
  existing: LiveAnswer[],
): Promise<void> {
  const live = entries.filter((entry) => !entry.input.deleted_at)
  const forms = await loadForms(
    db,
    tenant,
    live.map((entry) => entry.input.form_id),
  )
  const resolved = live.map((entry) => resolve(entry, forms))
  const desired = applyRules(resolved, new Set(existing.map(keyOf)))

  const unused = new Map<string, typeof existing>()
  for (const row of existing) unused.set(keyOf(row), [...(unused.get(keyOf(row)) ?? []), row])
  const inserts: Desired[] = []
  for (const answer of desired) {
    const match = unused.get(desiredKey(answer))?.shift()
    if (!match) inserts.push(answer)
    else if (answer.date && answer.date.slice(0, 23) !== match.date?.slice(0, 23)) {
      await repo.updateAnswerDate(db, tenant, match.id, answer.date)
    }
  }
  const stale = [...unused.values()].flat().map((row) => row.id)
  const now = new Date().toISOString()
  const rows = inserts.map((a) => ({
    group_id: tenant.groupId,
    contact_id: contactId,
    form_id: a.form.id,
    form_ref_id: a.form_ref_id,
    data: a.data,
    date: a.date ?? now,
    survey_id: a.survey_id,
  }))
  if (stale.length > 0 && rows.length > 0) await repo.softDeleteAndInsertAnswers(db, tenant, stale, rows)
  else if (stale.length > 0) await repo.softDeleteAnswers(db, tenant, stale)
  else if (rows.length > 0) await repo.insertAnswers(db, rows)
}

export type LiveAnswer = Awaited<ReturnType<typeof repo.liveAnswersOf>>[number]

/** Live answers per contact, split into formdatas and custom fields by their form's family. */
export async function listForContacts(
  db: Db,
  tenant: Tenant,
  contactIds: number[],
): Promise<Map<number, { formdatas: LiveAnswer[]; customfields: LiveAnswer[] }>> {
  const byContact = new Map<number, { formdatas: LiveAnswer[]; customfields: LiveAnswer[] }>()
  if (contactIds.length === 0) return byContact
  for (const row of await repo.liveAnswersOf(db, tenant, contactIds)) {
    const entry = byContact.get(row.contact_id) ?? { formdatas: [], customfields: [] }
    ;(row.type_of_form === 'custom_fields' ? entry.customfields : entry.formdatas).push(row)
    byContact.set(row.contact_id, entry)
  }
  return byContact
}

/** An answer an upsert adds: its form, the refvalue it names and its text (already resolved). */
export interface AddedAnswer {
  form: FormWithValues
  form_ref_id: number | null
  data: string
}

/**
 * Upsert: adds answers to the contact's live ones, by form type: radio/select replaces the
 * form's answer, checkbox adds a value it lacks, text/numeric/date appends an answer unless
 * the same one is already live (so replaying a sync does not pile up copies). Returns how many
 * live answers the contact then has in each list GET shows them in (formdatas, or custom_fields
 * for the custom fields family); undefined when nothing was added.
 */
export async function addForContact(
  db: Db,
  tenant: Tenant,
  contactId: number,
  added: AddedAnswer[],
): Promise<{ formdatas: number; custom_fields: number } | undefined> {
  if (added.length === 0) return undefined
  const existing = await repo.liveAnswersOf(db, tenant, [contactId])
  const live = new Set(existing.map(keyOf))
  const single = new Map<number, AddedAnswer>()
  const inserts: AddedAnswer[] = []
  for (const answer of added) {
    const key = keyOf({ form_id: answer.form.id, form_ref_id: answer.form_ref_id, data: answer.data })
    if (SINGLE_CHOICE.has(answer.form.type)) single.set(answer.form.id, answer)
    else if (!live.has(key)) {
      live.add(key)
      inserts.push(answer)
    }
  }
  const stale: number[] = []
  for (const answer of single.values()) {
    const current = existing.filter((row) => row.form_id === answer.form.id)
    const same = current.find((row) => row.form_ref_id === answer.form_ref_id && row.data === answer.data)
    stale.push(...current.filter((row) => row !== same).map((row) => row.id))
    if (!same) inserts.push(answer)
  }
  if (stale.length > 0) await repo.softDeleteAnswers(db, tenant, stale)
  if (inserts.length > 0) {
    const now = new Date().toISOString()
    await repo.insertAnswers(
      db,
      inserts.map((a) => ({
        group_id: tenant.groupId,
        contact_id: contactId,
        form_id: a.form.id,
        form_ref_id: a.form_ref_id,
        data: a.data,
        date: now,
        survey_id: null,
      })),
    )
  }
  const gone = new Set(stale)
  const families = [
    ...existing.filter((row) => !gone.has(row.id)).map((row) => row.type_of_form),
    ...inserts.map((answer) => answer.form.type_of_form),
  ]
  const custom = families.filter((family) => family === 'custom_fields').length
  return { formdatas: families.length - custom, custom_fields: custom }
}
