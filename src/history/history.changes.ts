// What changed between two states of a contact, field by field, named as the API names them
// (`surname`, `address.city`, `tags`, …). Lists (tags, actions, answers, notes) are one field each,
// compared whole: their before and after are the lists themselves, in a compact form.
import type { ContactRelations } from '../contacts/contacts.mapping.ts'
import type { ContactRow } from '../db/database.ts'

export interface Change {
  field: string
  before: unknown
  after: unknown
}

/** A contact as a write finds or leaves it: its row and its relations. */
export interface ContactState {
  row: ContactRow
  relations: ContactRelations
}

/** Bookkeeping columns: they change on every write or never, and say nothing of the person. */
const SKIPPED = new Set(['group_id', 'id', 'created_at', 'updated_at', 'lastchange', 'address_id'])

const fieldName = (column: string) => (column.startsWith('address_') ? `address.${column.slice(8)}` : column)

const answersOf = (list: ContactRelations['formdatas']) =>
  list.map((a) => ({ id: a.id, form_id: a.form_id, form_ref_id: a.form_ref_id, data: a.data }))

/** Every field of a state, by its name, in a form that compares with JSON.stringify. */
function fieldsOf({ row, relations }: ContactState): Map<string, unknown> {
  const fields = new Map<string, unknown>()
  for (const [column, value] of Object.entries(row))
    if (!SKIPPED.has(column)) fields.set(fieldName(column), value)
  fields.set(
    'tags',
    relations.tags.map((t) => t.name),
  )
  fields.set('action_ids', relations.actionIds)
  fields.set('formdatas', answersOf(relations.formdatas))
  fields.set('customfields', answersOf(relations.customfields))
  fields.set(
    'notes',
    relations.notes.map((n) => ({ id: n.id, content: n.data, pinned: n.pinned })),
  )
  return fields
}

const isEmpty = (value: unknown) => value === null || (Array.isArray(value) && value.length === 0)

/**
 * The fields whose value differs between `before` and `after`. A creation (`before` null) lists
 * the fields it filled; `after` null is not used (an erasure keeps no values).
 */
export function changesBetween(before: ContactState | null, after: ContactState): Change[] {
  const old = before ? fieldsOf(before) : null
  const changes: Change[] = []
  for (const [field, value] of fieldsOf(after)) {
    if (!old) {
      if (!isEmpty(value)) changes.push({ field, before: null, after: value })
      continue
    }
    const previous = old.get(field) ?? null
    if (JSON.stringify(previous) !== JSON.stringify(value))
      changes.push({ field, before: previous, after: value })
  }
  return changes
}
