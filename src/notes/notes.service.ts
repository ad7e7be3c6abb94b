import { countOf, requireContact, touchContactOf } from '../contacts/contacts.parent.ts'
import { MAX_NOTES_PER_CONTACT, type NoteInput } from '../contacts/contacts.schema.ts'
import type { Db, NoteRow } from '../db/database.ts'
import { inTransaction } from '../db/transaction.ts'
import * as history from '../history/history.service.ts'
import { errors } from '../shared/errors.ts'
import type { Tenant } from '../shared/tenant.ts'
import { noteToWire } from './notes.mapping.ts'
import * as repo from './notes.repository.ts'
import type { NoteWire, NoteWrite } from './notes.schema.ts'

/** A note's text: `content` in the write shapes, `data` in the search shape; both accepted. */
export function noteText(note: NoteInput): string | undefined {
  return note.content ?? note.data ?? undefined
}

/**
 * PATCH/POST: the contact's notes become exactly these. A note with the id of one of the
 * contact's notes updates it; any other note is created (ids of other contacts are not honoured).
 * `current` is the contact's notes, read under its row lock.
 */
export async function replaceForContact(
  db: Db,
  tenant: Tenant,
  contactId: number,
  input: NoteInput[],
  current: NoteRow[],
): Promise<void> {
  const existing = new Map(current.map((note) => [note.id, note] as const))
  const keep: number[] = []
  const create: NoteInput[] = []
  for (const note of input) {
    const match = note.id != null ? existing.get(note.id) : undefined
    if (!match) {
      create.push(note)
      continue
    }
    keep.push(match.id)
    const data = noteText(note) ?? match.data
    const pinned = note.pinned ?? match.pinned
    if (data !== match.data || pinned !== match.pinned) {
      await repo.updateNote(db, tenant, contactId, match.id, { data, pinned })
    }
  }
  const removes = current.some((note) => !keep.includes(note.id))
  const rows = create
    .map((note) => ({ note, data: noteText(note) }))
    .filter(({ data }) => data !== undefined && data !== '')
    .map(({ note, data }) => ({
      group_id: tenant.groupId,
      contact_id: contactId,
      data: data!,
      pinned: note.pinned ?? false,
      only_super_admin: note.only_super_admin ?? false,
    }))
  if (removes && rows.length > 0) await repo.deleteNotesExceptAndInsert(db, tenant, contactId, keep, rows)
  else if (removes) await repo.deleteNotesExcept(db, tenant, contactId, keep)
  else if (rows.length > 0) await repo.insertNotes(db, rows)
}

export async function listForContacts(
  db: Db,
  tenant: Tenant,
  contactIds: number[],
): Promise<Map<number, NoteRow[]>> {
  const byContact = new Map<number, NoteRow[]>()
  if (contactIds.length === 0) return byContact
  for (const row of await repo.listForContacts(db, tenant, contactIds)) {
    const list = byContact.get(row.contact_id) ?? []
    list.push(row)
    byContact.set(row.contact_id, list)
  }
  return byContact
}

/**
 * Upsert: a note with the id of one of the contact's notes updates it (what it sends); any other
 * note is appended. Notes not sent are kept.
 */
export async function mergeForContact(
  db: Db,
  tenant: Tenant,
  contactId: number,
  input: NoteInput[],
): Promise<number> {
  const existing = new Map(
    (await repo.listForContacts(db, tenant, [contactId])).map((note) => [note.id, note] as const),
  )
  const rows = []
  for (const note of input) {
    const current = note.id != null ? existing.get(note.id) : undefined
    const data = noteText(note)
    if (current) {
      const next = { data: data || current.data, pinned: note.pinned ?? current.pinned }
      if (next.data !== current.data || next.pinned !== current.pinned) {
        await repo.updateNote(db, tenant, contactId, current.id, next)
      }
    } else if (data) {
      rows.push({
        group_id: tenant.groupId,
        contact_id: contactId,
        data,
        pinned: note.pinned ?? false,
        only_super_admin: note.only_super_admin ?? false,
      })
    }
  }
  if (rows.length > 0) await repo.insertNotes(db, rows)
  return existing.size + rows.length
}

// ---- Our note endpoints: /contacts/{id}/notes (docs/api.md, Notes) ----

const BODY = 'body.data.note'

/** The text of a write, or undefined when it has none; '' and blanks are refused. */
function writtenText(input: NoteWrite): string | undefined {
  const key = input.content != null ? 'content' : input.data != null ? 'data' : undefined
  if (!key) return undefined
  const text = input[key]!
  if (text.trim() === '')
    throw errors.invalidField(`${BODY}.${key}`, `A note's ${key} must not be empty`, text)
  return text
}

/** A contact's notes, oldest first (the order of the contact's `notes` list). */
export async function list(db: Db, tenant: Tenant, contactId: number): Promise<NoteWire[]> {
  await requireContact(db, tenant, contactId)
  return (await repo.listForContacts(db, tenant, [contactId])).map(noteToWire)
}

export async function create(db: Db, tenant: Tenant, contactId: number, input: NoteWrite): Promise<NoteWire> {
  const data = writtenText(input)
  if (data === undefined)
    throw errors.invalidField(`${BODY}.content`, 'A note needs its text in content (or data)')
  return inTransaction(db, async (trx) => {
    // the touch locks the contact's row: two creations cannot both pass the count
    await touchContactOf(trx, tenant, contactId)
    if ((await countOf(trx, tenant, 'note', contactId)) >= MAX_NOTES_PER_CONTACT)
      throw errors.conflict(
        `Contact ${contactId} already has ${MAX_NOTES_PER_CONTACT} notes, the most a contact holds (what a PATCH of the contact accepts): delete one first`,
      )
    const row = await repo.insertNote(trx, {
      group_id: tenant.groupId,
      contact_id: contactId,
      data,
      pinned: input.pinned ?? false,
      only_super_admin: input.only_super_admin ?? false,
      user_id: tenant.userId ?? null,
    })
    await history.changed(trx, tenant, contactId, { field: 'notes', before: null, after: noteState(row) })
    return noteToWire(row)
  })
}

/** A note as the contact's history shows it (the `notes` field holds a list of these). */
const noteState = (row: NoteRow) => ({ id: row.id, content: row.data, pinned: row.pinned })

/** PATCH a note: the keys sent (text, pinned, only_super_admin) change, the others are kept. */
export async function update(
  db: Db,
  tenant: Tenant,
  contactId: number,
  id: number,
  input: NoteWrite,
): Promise<NoteWire> {
  const data = writtenText(input)
  const values = {
    ...(data !== undefined && { data }),
    ...(input.pinned != null && { pinned: input.pinned }),
    ...(input.only_super_admin != null && { only_super_admin: input.only_super_admin }),
  }
  return inTransaction(db, async (trx) => {
    await touchContactOf(trx, tenant, contactId)
    const before = await repo.findNote(trx, tenant, contactId, id)
    const row = await repo.updateNote(trx, tenant, contactId, id, values)
    if (!before || !row) throw errors.notFound('Note', id)
    await history.changed(trx, tenant, contactId, {
      field: 'notes',
      before: noteState(before),
      after: noteState(row),
    })
    return noteToWire(row)
  })
}

export async function remove(db: Db, tenant: Tenant, contactId: number, id: number): Promise<{ id: number }> {
  return inTransaction(db, async (trx) => {
    await touchContactOf(trx, tenant, contactId)
    const before = await repo.deleteNote(trx, tenant, contactId, id)
    if (!before) throw errors.notFound('Note', id)
    await history.changed(trx, tenant, contactId, { field: 'notes', before: noteState(before), after: null })
    return { id }
  })
}
