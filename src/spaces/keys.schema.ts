// API keys over HTTP (our addition; Qomon manages them in its UI): GET/POST /v1/keys,
// DELETE /v1/keys/{id}. Shapes in docs/api.md.
import { type Static, Type } from 'typebox'
import { IdSchema, Nullable, Success } from '../http/envelope.ts'

export const ScopeSchema = Type.Union([Type.Literal('read'), Type.Literal('write'), Type.Literal('full')], {
  description: 'read: no writes; write: every write but key management; full: everything',
})

const keyFields = {
  id: IdSchema,
  name: Nullable(Type.String()),
  prefix: Type.String({ description: 'the first characters of the key, to recognise it' }),
  scope: ScopeSchema,
  user_id: Nullable(
    Type.Integer({ description: 'the user the key acts as: their role and contacts bind it' }),
  ),
  created_at: Type.String(),
  revoked_at: Nullable(Type.String()),
}

export const ApiKeySchema = Type.Object(keyFields)
export const NewApiKeySchema = Type.Object({
  ...keyFields,
  key: Type.String({ description: 'the key itself: shown in this answer only' }),
})

export const ApiKeyInputSchema = Type.Object(
  {
    name: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    scope: Type.Optional(ScopeSchema),
    user_id: Type.Optional(Nullable(IdSchema)),
  },
  { additionalProperties: false },
)

export const ApiKeyBodySchema = Type.Object({
  data: Type.Object({ key: ApiKeyInputSchema }, { additionalProperties: false }),
})
export const ApiKeysResponseSchema = Success(Type.Object({ keys: Type.Array(ApiKeySchema) }))
export const NewApiKeyResponseSchema = Success(Type.Object({ key: NewApiKeySchema }))
export const ApiKeyRevokedResponseSchema = Success(Type.Object({ id: IdSchema }))

export type ApiKey = Static<typeof ApiKeySchema>
export type ApiKeyInput = Static<typeof ApiKeyInputSchema>
