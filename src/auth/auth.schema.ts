import { Type } from 'typebox'
import { IdSchema, Nullable, Success } from '../http/envelope.ts'
import { PERMISSIONS } from '../shared/permissions.ts'
import { UserSchema } from '../users/users.schema.ts'

export const LogInBodySchema = Type.Object({
  mail: Type.String({ minLength: 1, maxLength: 320 }),
  password: Type.String({ minLength: 1, maxLength: 1000 }),
  group_id: Type.Optional(IdSchema),
})

export const LogInResponseSchema = Success(Type.Object({ user: UserSchema }))

export const MeResponseSchema = Success(
  Type.Object({
    /** null for an API key without user */
    user: Nullable(UserSchema),
    group_id: Type.Integer(),
    role: Nullable(Type.String()),
    permissions: Type.Array(Type.String(), { description: `some of: ${PERMISSIONS.join(', ')}` }),
    /** the contacts this user may see (a search query), or null: all of them */
    advanced_search: Type.Unknown(),
  }),
)

export const LoggedOutResponseSchema = Success(Type.Literal('OK'))
