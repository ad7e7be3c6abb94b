import { type Static, Type } from 'typebox'
import { IdSchema, Nullable, Success } from '../http/envelope.ts'
import { UserSchema } from '../users/users.schema.ts'

const Email = Type.String({ format: 'email', minLength: 3, maxLength: 320 })

export const InvitationInputSchema = Type.Object({
  email: Email,
  role_id: Type.Optional(Nullable(IdSchema)),
  mobile_phone: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
})
export type InvitationInput = Static<typeof InvitationInputSchema>

export const InvitationsBodySchema = Type.Object({
  data: Type.Object({ invitations: Type.Array(InvitationInputSchema, { minItems: 1, maxItems: 1000 }) }),
})

export const InvitationSchema = Type.Object({
  id: Type.Integer(),
  group_id: Type.Integer(),
  email: Type.String(),
  mobile_phone: Nullable(Type.String()),
  role_id: Type.Integer(),
  role: Type.Object({ id: Type.Integer(), name: Type.String(), order: Type.Integer() }),
  created_at: Type.String(),
  last_sent: Nullable(Type.String()),
  user_id: Nullable(Type.Integer()),
  expires_at: Type.String(),
  accepted_at: Nullable(Type.String()),
  /** only when no SMTP server is configured, to the inviter, right after the invitation is made */
  accept_url: Type.Optional(Type.String()),
})
export type Invitation = Static<typeof InvitationSchema>

export const InvitationsCreatedResponseSchema = Type.Object({
  status: Type.Literal('success'),
  data: Type.Object({ msg: Type.String(), invitations: Type.Array(InvitationSchema) }),
})
export const InvitationsResponseSchema = Success(Type.Object({ invitations: Type.Array(InvitationSchema) }))
export const InvitationDeletedResponseSchema = Success(Type.Object({ message: Type.String() }))

export const TokenParamsSchema = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) })

export const InvitationPreviewResponseSchema = Success(
  Type.Object({
    invitation: Type.Object({
      email: Type.String(),
      group_id: Type.Integer(),
      space: Type.String(),
      role: Type.Object({ id: Type.Integer(), name: Type.String(), type: Type.String() }),
      expires_at: Type.String(),
      /** whether the e-mail already has a password: then accepting asks for it, not for names */
      has_password: Type.Boolean(),
    }),
  }),
)

export const AcceptBodySchema = Type.Object({
  data: Type.Object({
    password: Type.String({ minLength: 10, maxLength: 1000 }),
    firstname: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
    surname: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  }),
})
export type Accept = Static<typeof AcceptBodySchema>['data']
export const AcceptResponseSchema = Success(Type.Object({ user: UserSchema }))
