// One import row: checked with the API's own schema and rules, then turned into the columns and
// relation rows the writer inserts. A row that fails gives a reason instead (never a throw).
import { Compile } from 'typebox/compile'
import { toCoordinates } from '../contacts/address.ts'
import { toContactColumns } from '../contacts/contacts.mapping.ts'
import {
  type ContactInput,
  ContactInputSchema,
  type FormDataInput,
  IDENTITY_FIELDS,
  identifiable,
} from '../contacts/contacts.schema.ts'
import {
  type FormWithValues,
  FREE_INPUT,
  normaliseFreeValue,
  SINGLE_CHOICE,
} from '../forms/answers.service.ts'
import { INTERACTION_TYPES } from '../interactions/interactions.schema.ts'
import { useFormatsInTypeBox } from '../shared/formats.ts'

useFormatsInTypeBox()
const validator = Compile(ContactInputSchema)

const INTERACTION_TYPE_SET = new Set(INTERACTION_TYPES)

export interface PreparedAnswer {
  form_id: number
  form_ref_id: number | null
  data: string
  date: string | null
  survey_id: number | null
}

export interface PreparedRow {
  line: number
  columns: ReturnType<typeof toContactColumns> & ReturnType<typeof toCoordinates>
  tags: { name: string; color: string | null }[]
  actionIds: number[]
  answers: PreparedAnswer[]
  notes: { data: string; pinned: boolean; only_super_admin: boolean }[]
  interactions: { type: string; sub_type: string | null; title: string | null; comments: string | null }[]
}

export interface Rejected {
  line: number
  reason: string
}

export interface SpaceContext {
  forms: Map<number, FormWithValues>
}

const pathOf = (pointer: string) => pointer.replace(/^\//, '').replace(/\//g, '.') || '(row)'

function answer(entry: FormDataInput, where: string, forms: SpaceContext['forms']): PreparedAnswer | string {
  const form = forms.get(entry.form_id)
  if (!form) return `${where}.form_id: form ${entry.form_id} does not exist in this space`
  const byId =
    entry.form_ref_id != null ? form.refvalues.find((rv) => rv.id === entry.form_ref_id) : undefined
  if (entry.form_ref_id != null && !byId)
    return `${where}.form_ref_id: ${entry.form_ref_id} is not a value of form ${form.id}`
  const base = {
    form_id: form.id,
    date: entry.date ? new Date(Date.parse(entry.date)).toISOString() : null,
    survey_id: entry.survey_id ?? null,
  }
  if (FREE_INPUT.has(form.type)) {
    const data = normaliseFreeValue(form.type, entry.data ?? '')
    if (data === null) return `${where}.data: form ${form.id} (${form.type}) needs a ${form.type} value`
    return { ...base, form_ref_id: byId?.id ?? form.refvalues[0]?.id ?? null, data }
  }
  const data = entry.data?.trim()
  const rv =
    byId ?? form.refvalues.find((r) => r.value === data) ?? form.refvalues.find((r) => r.label === data)
  if (!rv) return `${where}.data: form ${form.id} has no value ${JSON.stringify(entry.data)}`
  return { ...base, form_ref_id: rv.id, data: rv.value }
}

/** Same multiplicity as the API: one answer per single-choice form (the last), checkbox values once. */
function dedupe(answers: PreparedAnswer[], forms: SpaceContext['forms']): PreparedAnswer[] {
  const seen = new Map<string, PreparedAnswer>()
  for (const [i, a] of answers.entries()) {
    const type = forms.get(a.form_id)!.type
    const key = SINGLE_CHOICE.has(type)
      ? `one:${a.form_id}`
      : type === 'checkbox'
        ? `box:${a.form_id}|${a.form_ref_id}`
        : `free:${i}`
    seen.set(key, a)
  }
  return [...seen.values()]
}

export function prepareRow(value: unknown, line: number, space: SpaceContext): PreparedRow | Rejected {
  if (!validator.Check(value)) {
    const first =
      [...validator.Errors(value)].find((e) => e.keyword !== 'anyOf') ?? [...validator.Errors(value)][0]
    return {
      line,
      reason: first ? `${pathOf(first.instancePath)}: ${first.message}` : 'not a contact object',
    }
  }
  const input = value as ContactInput & { interactions?: unknown }
  if (!identifiable(input))
    return { line, reason: `a contact needs at least one of ${IDENTITY_FIELDS.join(', ')}` }
  const answers: PreparedAnswer[] = []
  const entries = [
    ...(input.formdatas ?? []).map((e, i) => [e, `formdatas[${i}]`] as const),
    ...(input.custom_fields ?? input.customfields ?? []).map((e, i) => [e, `customfields[${i}]`] as const),
  ]
  for (const [entry, where] of entries) {
    if (entry.deleted_at) continue
    const prepared = answer(entry, where, space.forms)
    if (typeof prepared === 'string') return { line, reason: prepared }
    answers.push(prepared)
  }
  const actionIds = [...new Set(input.action_ids ?? input.actions_ids ?? [])]
  const interactions: PreparedRow['interactions'] = []
  const rawInteractions = input.interactions ?? []
  if (!Array.isArray(rawInteractions)) return { line, reason: 'interactions: must be an array' }
  for (const [i, it] of rawInteractions.entries()) {
    if (!it || typeof it !== 'object' || !INTERACTION_TYPE_SET.has(it.type))
      return { line, reason: `interactions[${i}].type: one of ${INTERACTION_TYPES.join(', ')}` }
    if (it.sub_type != null && it.sub_type !== 'incoming' && it.sub_type !== 'outgoing')
      return { line, reason: `interactions[${i}].sub_type: incoming, outgoing or null` }
    interactions.push({
      type: it.type,
      sub_type: it.sub_type ?? null,
      title: it.title ?? null,
      comments: it.comments ?? null,
    })
  }
  const tags = new Map<string, string | null>()
  for (const tag of input.tags ?? []) if (tag.name.trim()) tags.set(tag.name.trim(), tag.color || null)
  return {
    line,
    columns: { ...toContactColumns(input), ...toCoordinates(input.address) },
    tags: [...tags].map(([name, color]) => ({ name, color })),
    actionIds,
    answers: dedupe(answers, space.forms),
    notes: (input.notes ?? [])
      .map((n) => ({
        data: n.content ?? n.data ?? '',
        pinned: n.pinned ?? false,
        only_super_admin: n.only_super_admin ?? false,
      }))
      .filter((n) => n.data !== ''),
    interactions,
  }
}
