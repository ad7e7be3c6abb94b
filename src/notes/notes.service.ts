import type { NoteInput } from '../contacts/contacts.schema.ts'
import type { Db, NoteRow } from '../db/database.ts'
import type { Tenant } from '../shared/tenant.ts'
import * as repo from './notes.repository.ts'

/** A note's text: `content` in the write shapes, `data` in the search shape; both accepted. */
export function noteText(note: NoteInput): string | undefined {
  return note.content ?? note.data ?? undefined
}

/**
 * PATCH/POST: the contact's notes become exactly these. A note with the id of one of the
 * contact's notes updates it; any other note is created (ids of other contacts are not honoured).
 */
export async function replaceForContact(
  db: Db,
  tenant: Tenant,
  contactId: number,
  input: NoteInput[],
): Promise<void> {
  const existing = new Map(
    (await repo.listForContacts(db, tenant, [contactId])).map((note) => [note.id, note] as const),
  )
  const keep: number[] = []
  const create: NoteInput[] = []
  for (const note of input) {
    const current = note.id != null ? existing.get(note.id) : undefined
    if (!current) {
      create.push(note)
      continue
    }
    keep.push(current.id)
    const data = noteText(note) ?? current.data
    const pinned = note.pinned ?? current.pinned
    if (data !== current.data || pinned !== current.pinned) {
      await repo.updateNote(db, tenant, contactId, current.id, { data, pinned })
    }
  }
  await repo.deleteNotesExcept(db, tenant, contactId, keep)
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
  if (rows.length > 0) await repo.insertNotes(db, rows)
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

/** The search shape's single note: the pinned one, else the latest, else null. */
export function headline(notes: NoteRow[] | undefined): NoteRow | null {
  if (!notes || notes.length === 0) return null
  const byRecency = [...notes].sort((a, b) =>
    a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : b.id - a.id,
  )
  return byRecency.find((note) => note.pinned) ?? byRecency[0]!
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
): Promise<void> {
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
}
