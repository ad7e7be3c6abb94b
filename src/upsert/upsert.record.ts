// The upsert record: its check (what a rejected receipt says) and its translation to the
// contact input the contacts mapping understands.
import { Compile } from 'typebox/compile'
import type { ContactInput, NoteInput } from '../contacts/contacts.schema.ts'
import { useFormatsInTypeBox } from '../shared/formats.ts'
import {
  ADVANCED_FIELDS,
  type FormAnswer,
  type UpsertAddress,
  type UpsertRecord,
  UpsertRecordSchema,
} from './upsert.schema.ts'

useFormatsInTypeBox()
const validator = Compile(UpsertRecordSchema)

function toPath(pointer: string): string {
  return `data${pointer
    .split('/')
    .slice(1)
    .map((key) => (/^\d+$/.test(key) ? `[${key}]` : `.${key}`))
    .join('')}`
}

/** Why the record cannot be applied, one line per problem; null when its shape is right. */
export function checkRecord(data: unknown): string | null {
  if (validator.Check(data)) return null
  const byPath = new Map<string, string>()
  for (const error of validator.Errors(data)) {
    if (error.keyword === 'additionalProperties' || error.keyword === 'anyOf') continue
    const path = toPath(error.instancePath)
    if (byPath.has(path)) continue
    const unknown = error.keyword === 'boolean' && error.schemaPath.endsWith('additionalProperties')
    byPath.set(path, unknown ? `unknown key ${path}` : `${path} ${error.message}`)
  }
  if (byPath.size === 0) byPath.set('data', 'data does not have the shape of a contact')
  return [...byPath.values()].join('; ')
}

const text = (value: string | number | null | undefined): string | null | undefined =>
  typeof value === 'number' ? String(value) : value

const coordinate = (value: string | number | null | undefined): number | null | undefined => {
  if (value === undefined || value === null || value === '') return value === '' ? undefined : value
  const n = Number(value)
  return Number.isFinite(n) ? n : undefined
}

function toAddressInput(address: UpsertAddress): NonNullable<ContactInput['address']> {
  const { id: _id, location: _l, score: _s, invalid: _i, latitude, longitude, ...rest } = address
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(rest)) out[key] = text(value as string | number | null)
  return { ...out, latitude: coordinate(latitude), longitude: coordinate(longitude) }
}

function toNotes(notes: UpsertRecord['notes']): NoteInput[] | undefined {
  if (notes === undefined || notes === null) return undefined
  return (Array.isArray(notes) ? notes : [notes]).map((note) => ({
    id: note.id ?? null,
    content: note.content ?? note.data ?? null,
    pinned: note.pinned ?? null,
    only_super_admin: note.only_super_admin ?? null,
  }))
}

/** The record as a contact input: the same keys, address numbers as text, coordinates as numbers. */
export function toContactInput(record: UpsertRecord): ContactInput {
  const {
    id: _id,
    address,
    notes,
    consents: _c,
    status: _st,
    forms: _f,
    custom_fields: _cf,
    actions: _a,
    name_presences: _np,
    presence_status: _ps,
    CreatedAt: _ca,
    UpdatedAt: _ua,
    lastchange: _lc,
    group_id: _g,
    user_id: _u,
    formdatas: _fd,
    customfields: _cfs,
    interactions: _in,
    ...scalars
  } = record
  const input: ContactInput = { ...scalars }
  if (address !== undefined) input.address = address === null ? null : toAddressInput(address)
  const noteList = toNotes(notes)
  if (noteList) input.notes = noteList
  return input
}

export interface AdvancedAnswer {
  family: string
  answer: FormAnswer
  /** where it sits in the record, for the rejection reason */
  path: string
}

export function advancedAnswers(record: UpsertRecord): AdvancedAnswer[] {
  const list: AdvancedAnswer[] = []
  for (const [key, family] of Object.entries(ADVANCED_FIELDS)) {
    const answers = record[key as keyof typeof ADVANCED_FIELDS] ?? []
    for (const [i, answer] of answers.entries()) list.push({ family, answer, path: `data.${key}[${i}]` })
  }
  return list
}
