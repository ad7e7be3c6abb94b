// The contact as POST /search shows it: the contact's wire shape with numbers for coordinates,
// one note and fewer answer keys.
import { answerToWire, type ContactRelations, toContact } from '../contacts/contacts.mapping.ts'
import type { ContactRow } from '../db/database.ts'
import type { LiveAnswer } from '../forms/answers.service.ts'
import { type InteractionWithFiles, interactionToWire } from '../interactions/interactions.mapping.ts'
import { headline } from '../notes/notes.mapping.ts'
import { millis } from '../shared/time.ts'
import type { SearchContact } from './search.schema.ts'

/** A coordinate of the search shape: a number, or null. */
const searchCoordinate = (value: number | null) => (value === null ? null : Number(value.toFixed(6)))

/** The contact as Qomon's POST /search shows it: numbers for coordinates, one note, fewer answer keys. */
export function toSearchContact(
  row: ContactRow,
  relations: ContactRelations,
  interactions?: InteractionWithFiles[],
): SearchContact {
  const written = toContact(row, relations)
  const {
    nationality: _n,
    user_id: _u,
    user_contact_id: _uc,
    black_list: _b,
    notes: _notes,
    ...rest
  } = written
  const latitude = searchCoordinate(row.address_latitude)
  const longitude = searchCoordinate(row.address_longitude)
  const note = headline(relations.notes)
  const contact: SearchContact = {
    ...rest,
    address: { ...written.address, latitude, longitude },
    tags: relations.tags.map((t) => ({ name: t.name, color: t.color })),
    formdatas: relations.formdatas.map(searchAnswerToWire),
    customfields: relations.customfields.map(searchAnswerToWire),
    notes: note && {
      id: note.id,
      created_at: millis(note.created_at),
      updated_at: millis(note.updated_at),
      data: note.data,
      contact_id: note.contact_id,
      group_id: note.group_id,
      user_id: note.user_id,
      pinned: note.pinned,
    },
  }
  if (interactions) contact.interactions = interactions.map(interactionToWire)
  return contact
}

function searchAnswerToWire(row: LiveAnswer): SearchContact['formdatas'][number] {
  const { deleted_at: _d, donedate: _dd, label: _l, type_of_form: _t, ...rest } = answerToWire(row)
  return rest
}
