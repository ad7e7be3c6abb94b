// Interactions (letters, calls, visits…) with their files' metadata: the shape of Qomon's search result.
import { type Static, Type } from 'typebox'
import { IdSchema, Nullable, Success } from '../http/envelope.ts'

export const INTERACTION_TYPES = [
  'letter',
  'email',
  'call',
  'sms',
  'meeting',
  'door_to_door',
  'event',
  'other',
]
export const INTERACTION_SUB_TYPES = ['incoming', 'outgoing']

const Text = Nullable(Type.String())

export const FileWireSchema = Type.Object({
  id: IdSchema,
  created: Type.String(),
  owner_id: Nullable(Type.Integer()),
  group_id: IdSchema,
  subject: Text,
  url: Text,
  folder: Text,
  mime: Text,
  name: Text,
  is_interaction: Type.Boolean(),
})

export const InteractionWireSchema = Type.Object({
  id: IdSchema,
  created_at: Type.String(),
  updated_at: Type.String(),
  type: Type.String(),
  sub_type: Text,
  title: Text,
  comments: Text,
  contact_id: IdSchema,
  group_id: IdSchema,
  user_id: Nullable(Type.Integer()),
  only_super_admin: Type.Boolean(),
  files: Type.Array(FileWireSchema),
})

const InText = (maxLength: number) => Type.Optional(Nullable(Type.String({ maxLength })))

/** File metadata only: the bytes live wherever `url` points. `id` keeps an existing file on PATCH. */
export const FileWriteSchema = Type.Object(
  {
    id: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }))),
    name: InText(1000),
    mime: InText(255),
    url: InText(10_000),
    folder: InText(1000),
    subject: InText(10_000),
  },
  { additionalProperties: true, description: 'created, owner_id, group_id, is_interaction are read-only' },
)

export const InteractionWriteSchema = Type.Object(
  {
    type: Type.Optional(Type.String({ enum: INTERACTION_TYPES })),
    // null listed in the enum too: Ajv checks enum even when the type list allows null
    sub_type: Type.Optional(Nullable(Type.String({ enum: [...INTERACTION_SUB_TYPES, null] as string[] }))),
    title: InText(10_000),
    comments: InText(100_000),
    only_super_admin: Type.Optional(Nullable(Type.Boolean())),
    created_at: Type.Optional(
      Type.String({
        format: 'date-time',
        description: 'when it happened (default: now); for importing history',
      }),
    ),
    files: Type.Optional(Nullable(Type.Array(FileWriteSchema, { maxItems: 100 }))),
  },
  { additionalProperties: true, description: 'id, updated_at, contact_id, group_id, user_id are read-only' },
)

export const InteractionBodySchema = Type.Object({
  data: Type.Object({ interaction: InteractionWriteSchema }),
})
const Id = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })
export const ContactParamsSchema = Type.Object({ id: Id })
export const InteractionParamsSchema = Type.Object({ id: Id, interactionId: Id })

export const InteractionResponseSchema = Success(Type.Object({ interaction: InteractionWireSchema }))
export const InteractionsResponseSchema = Success(
  Type.Object({ interactions: Type.Array(InteractionWireSchema) }),
)
export const InteractionDeletedResponseSchema = Success(Type.Object({ id: IdSchema }))

export type InteractionWire = Static<typeof InteractionWireSchema>
export type InteractionWrite = Static<typeof InteractionWriteSchema>
export type FileWrite = Static<typeof FileWriteSchema>
