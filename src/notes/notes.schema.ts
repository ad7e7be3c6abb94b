// A contact's notes as our note endpoints speak them: the note shape of the search seed.
import { type Static, Type } from 'typebox'
import { IdSchema, Nullable, Success } from '../http/envelope.ts'

export const NoteWireSchema = Type.Object({
  id: IdSchema,
  created_at: Type.String(),
  updated_at: Type.String(),
  data: Type.String(),
  contact_id: IdSchema,
  group_id: IdSchema,
  user_id: Nullable(Type.Integer()),
  pinned: Type.Boolean(),
})

const NoteText = Type.String({ maxLength: 100_000 })

/** `content` (write shapes) or `data` (search shape); read-only keys of the answer are ignored. */
export const NoteWriteSchema = Type.Object(
  {
    content: Type.Optional(Nullable(NoteText)),
    data: Type.Optional(Nullable(NoteText)),
    pinned: Type.Optional(Nullable(Type.Boolean())),
    only_super_admin: Type.Optional(Nullable(Type.Boolean())),
  },
  { additionalProperties: true },
)

export const NoteBodySchema = Type.Object({ data: Type.Object({ note: NoteWriteSchema }) })
export const ContactParamsSchema = Type.Object({
  id: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
})
export const NoteParamsSchema = Type.Object({
  id: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
  noteId: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
})

export const NoteResponseSchema = Success(Type.Object({ note: NoteWireSchema }))
export const NotesResponseSchema = Success(Type.Object({ notes: Type.Array(NoteWireSchema) }))
export const NoteDeletedResponseSchema = Success(Type.Object({ id: IdSchema }))

export type NoteWire = Static<typeof NoteWireSchema>
export type NoteWrite = Static<typeof NoteWriteSchema>
