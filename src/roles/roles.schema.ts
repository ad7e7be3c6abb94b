import { type Static, Type } from 'typebox'
import { Success } from '../http/envelope.ts'

export const RoleTypeSchema = Type.Union([
  Type.Literal('superadmin'),
  Type.Literal('admin'),
  Type.Literal('manager'),
  Type.Literal('user'),
  Type.Literal('custom'),
])

export const RoleSchema = Type.Object({
  color: Type.String(),
  id: Type.Integer(),
  mobile: Type.Boolean(),
  name: Type.String(),
  order: Type.Integer(),
  web: Type.Boolean(),
  type: RoleTypeSchema,
})
export type Role = Static<typeof RoleSchema>

export const RolesResponseSchema = Success(
  Type.Object({ count: Type.Integer(), roles: Type.Array(RoleSchema) }),
)
