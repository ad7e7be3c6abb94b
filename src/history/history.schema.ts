// GET /v1/contacts/{id}/history (our addition): shapes in docs/api.md.
import { type Static, Type } from 'typebox'
import { IdSchema, Nullable, Success } from '../http/envelope.ts'

export const ChangeSchema = Type.Object({
  field: Type.String({ description: 'the field as the API names it: surname, address.city, tags, notes…' }),
  before: Type.Unknown(),
  after: Type.Unknown(),
})

export const HistoryEntrySchema = Type.Object({
  id: IdSchema,
  contact_id: IdSchema,
  at: Type.String({ description: 'when the change was committed (UTC)' }),
  action: Type.Union([Type.Literal('created'), Type.Literal('updated'), Type.Literal('erased')]),
  author: Type.Object({
    api_key_id: Nullable(Type.Integer({ description: 'the API key that made the change' })),
    user_id: Nullable(Type.Integer({ description: 'the user it acted for' })),
  }),
  channel: Type.String({ description: 'api, upsert, import, console or cli' }),
  route: Nullable(Type.String({ description: 'the route of the request, e.g. PATCH /contacts/{id}' })),
  changes: Type.Array(ChangeSchema, { description: 'empty on an erasure and on an import line' }),
})

export const HistoryQuerySchema = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
})

export const HistoryParamsSchema = Type.Object({ id: IdSchema })
export const HistoryResponseSchema = Success(Type.Object({ history: Type.Array(HistoryEntrySchema) }))

export type HistoryEntry = Static<typeof HistoryEntrySchema>
