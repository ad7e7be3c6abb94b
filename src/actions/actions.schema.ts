// Actions (door-to-door, calls, events…): GET /actions and our POST /v1/actions. Qomon's shape is
// not public; ours is documented in docs/api.md.
import { type Static, Type } from 'typebox'
import { IdSchema, Success } from '../http/envelope.ts'

export const ACTION_TYPES_SUGGESTED = ['door_to_door', 'call', 'event', 'petition', 'meeting', 'other']

export const ActionSchema = Type.Object({
  id: IdSchema,
  name: Type.String(),
  type: Type.String(),
  created_at: Type.String(),
  updated_at: Type.String(),
  contacts_count: Type.Integer({
    minimum: 0,
    description: 'contacts attached (their action_ids holds this id)',
  }),
})

export const ActionInputSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 500 }),
    type: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: `free text, default "other"; e.g. ${ACTION_TYPES_SUGGESTED.join(', ')}`,
      }),
    ),
  },
  { additionalProperties: true },
)

export const ActionBodySchema = Type.Object({ data: Type.Object({ action: ActionInputSchema }) })
export const ActionResponseSchema = Success(Type.Object({ action: ActionSchema }))
export const ActionsResponseSchema = Success(Type.Object({ actions: Type.Array(ActionSchema) }))

export type Action = Static<typeof ActionSchema>
export type ActionInput = Static<typeof ActionInputSchema>
