// Shared schema atoms and the {status, data} success envelope.
import { type Static, type TSchema, Type } from 'typebox'

/**
 * `T | null` as a JSON-schema type list rather than anyOf: Ajv's type coercion would otherwise
 * turn a null into "" by coercing it against the first branch.
 */
export function Nullable<T extends TSchema>(schema: T) {
  const type = (schema as { type?: string | string[] }).type
  if (typeof type !== 'string') throw new Error('Nullable() needs a schema with a single type')
  return Type.Unsafe<Static<T> | null>({ ...schema, type: [type, 'null'] })
}

/** ids are bigint columns; JSON numbers past 2^53 cannot name one exactly */
export const IdSchema = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })
/**
 * An action id a contact names: an unknown one creates the action with that id. Kept to a
 * 4-byte integer, the ids the space's own allocation gives (actions.repository insertAction).
 */
export const ActionIdSchema = Type.Integer({ minimum: 0, maximum: 2_147_483_647 })
export const IdParamsSchema = Type.Object({
  id: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
})

export function Success<T extends TSchema>(data: T) {
  return Type.Object({ status: Type.Literal('success'), data })
}

export function success<T>(data: T): { status: 'success'; data: T } {
  return { status: 'success', data }
}

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.String(),
    errors: Type.Array(
      Type.Object({ location: Type.String(), message: Type.String(), value: Type.Optional(Type.Unknown()) }),
    ),
  },
  { $id: 'Problem', description: 'RFC 7807 problem body' },
)

export type Problem = Static<typeof ProblemSchema>
