// A note's row and its wire shape.
import type { NoteRow } from '../db/database.ts'
import { millis } from '../shared/time.ts'
import type { NoteWire } from './notes.schema.ts'

/** The search shape's single note: the pinned one, else the latest, else null. */
export function headline(notes: NoteRow[] | undefined): NoteRow | null {
  if (!notes || notes.length === 0) return null
  const byRecency = [...notes].sort((a, b) =>
    a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : b.id - a.id,
  )
  return byRecency.find((note) => note.pinned) ?? byRecency[0]!
}

/** The search seed's note shape, also the answer of the note endpoints. */
export function noteToWire(row: NoteRow): NoteWire {
  return {
    id: row.id,
    created_at: millis(row.created_at),
    updated_at: millis(row.updated_at),
    data: row.data,
    contact_id: row.contact_id,
    group_id: row.group_id,
    user_id: row.user_id,
    pinned: row.pinned,
  }
}
