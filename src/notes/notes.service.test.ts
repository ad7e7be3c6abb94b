import { describe, expect, test } from 'vitest'
import type { NoteRow } from '../db/database.ts'
import { headline } from './notes.mapping.ts'

const note = (id: number, created_at: string, pinned = false): NoteRow => ({
  id,
  created_at,
  updated_at: created_at,
  pinned,
  data: `note ${id}`,
  contact_id: 1,
  group_id: 1,
  user_id: null,
  only_super_admin: false,
})

describe('headline(): the search shape notes object', () => {
  test('the pinned note, else the latest, else null', () => {
    expect(headline([])).toBeNull()
    expect(headline(undefined)).toBeNull()
    const old = note(1, '2024-01-01T00:00:00.000000Z')
    const recent = note(2, '2024-06-01T00:00:00.000000Z')
    expect(headline([old, recent])?.id).toBe(2)
    expect(headline([note(1, old.created_at, true), recent])?.id).toBe(1)
    // several pinned: the latest pinned one
    expect(
      headline([
        note(1, old.created_at, true),
        note(2, recent.created_at, true),
        note(3, '2025-01-01T00:00:00.000000Z'),
      ])?.id,
    ).toBe(2)
    // same instant: the higher id is the later one
    expect(headline([note(5, old.created_at), note(6, old.created_at)])?.id).toBe(6)
  })
})
