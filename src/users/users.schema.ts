import { type Static, Type } from 'typebox'
import { IdSchema, Nullable, Success } from '../http/envelope.ts'
import { RoleTypeSchema } from '../roles/roles.schema.ts'

const Text = Nullable(Type.String({ maxLength: 10_000 }))

export const RoleDataSchema = Type.Object({
  color: Type.String(),
  id: Type.Integer(),
  mobile: Type.Boolean(),
  name: Type.String(),
  order: Type.Integer(),
  web: Type.Boolean(),
  type: RoleTypeSchema,
})

export const UserSchema = Type.Object({
  CreatedAt: Type.String(),
  UpdatedAt: Type.String(),
  address: Text,
  avatar: Text,
  birthdate: Nullable(Type.String()),
  city: Text,
  created: Type.String(),
  firstname: Text,
  group_id: Type.Array(Type.Integer()),
  id: Type.Integer(),
  locale: Text,
  location: Text,
  mail: Type.String(),
  phone: Text,
  postal: Text,
  postalcode: Text,
  role_data: RoleDataSchema,
  status: Text,
  surname: Text,
  two_factor_enable: Type.Boolean(),
})
export type User = Static<typeof UserSchema>

export const UsersQuerySchema = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
  sort: Type.Optional(Type.Boolean()),
})

export const UsersResponseSchema = Success(
  Type.Object({ count: Type.Integer(), users: Type.Array(UserSchema) }),
)
export const UserResponseSchema = Success(Type.Object({ user: UserSchema }))
export const OkResponseSchema = Success(Type.Literal('OK'))

const Email = Type.String({ format: 'email', minLength: 3, maxLength: 320 })

/** The profile fields PATCH /users/{id} writes; absent ones are left as they are. */
export const UserPatchSchema = Type.Object({
  mail: Type.Optional(Email),
  address: Type.Optional(Text),
  avatar: Type.Optional(Text),
  birthdate: Type.Optional(Nullable(Type.String({ format: 'date-or-datetime' }))),
  city: Type.Optional(Text),
  firstname: Type.Optional(Text),
  location: Type.Optional(Text),
  phone: Type.Optional(Text),
  postal: Type.Optional(Text),
  postalcode: Type.Optional(Text),
  surname: Type.Optional(Text),
  status: Type.Optional(Text),
  locale: Type.Optional(Text),
})
export type UserPatch = Static<typeof UserPatchSchema>
export const UserPatchBodySchema = Type.Object({ data: UserPatchSchema })

export const UserRoleBodySchema = Type.Object({
  data: Type.Object({
    role_id: IdSchema,
    user_id: IdSchema,
    /** a search query ({query: {...}} or the query itself); null removes the restriction */
    advanced_search: Type.Optional(Type.Unknown()),
    saved_filters_id: Type.Optional(Nullable(IdSchema)),
  }),
})
export type UserRole = Static<typeof UserRoleBodySchema>['data']

export const UserDeletedResponseSchema = Success(Type.Object({ id: Type.Integer() }))
