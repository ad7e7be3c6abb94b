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

/** The row's fields (the contact's own columns and its address), by their API names. */
function rowFields(row: ContactRow): Map<string, unknown> {
  const fields = new Map<string, unknown>()
  for (const [column, value] of Object.entries(row))
    if (!SKIPPED.has(column)) fields.set(fieldName(column), value)
  return fields
}

/**
 * The lists, by their API names, in the compact form a line shows them in and in the order the
 * database lists them (tags by name, the others by id): history.repository builds the same
 * objects in SQL and compares them as jsonb.
 */
export function listFields(relations: ContactRelations): Record<string, unknown> {
  return {
    tags: relations.tags.map((t) => t.name),
    action_ids: relations.actionIds,
    formdatas: answersOf(relations.formdatas),
    customfields: answersOf(relations.customfields),
    notes: relations.notes.map((n) => ({ id: n.id, content: n.data, pinned: n.pinned })),
  }
}

const isEmpty = (value: unknown) => value === null || (Array.isArray(value) && value.length === 0)

function compare(old: Map<string, unknown> | null, now: Map<string, unknown>): Change[] {
  const changes: Change[] = []
  for (const [field, value] of now) {
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

/** The fields of the row (not the lists) that differ; `before` null: the ones a creation filled. */
export function rowChanges(before: ContactRow | null, after: ContactRow): Change[] {
  return compare(before ? rowFields(before) : null, rowFields(after))
}

/**
 * The fields whose value differs between `before` and `after`. A creation (`before` null) lists
 * the fields it filled; an erasure keeps no values, so `after` is always a state.
 */
export function changesBetween(before: ContactState | null, after: ContactState): Change[] {
  const lists = (state: ContactState) => new Map(Object.entries(listFields(state.relations)))
  return [
    ...rowChanges(before?.row ?? null, after.row),
    ...compare(before ? lists(before) : null, lists(after)),
  ]
}
