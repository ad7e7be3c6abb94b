import { type Static, Type } from 'typebox'
import { IdSchema, Nullable, Success } from '../http/envelope.ts'
import { UserSchema } from '../users/users.schema.ts'

const Text = Nullable(Type.String({ maxLength: 10_000 }))
/** numbers are taken too: validation turns them into text, as a contact's address does */
const NumberOrText = Nullable(Type.String({ maxLength: 100 }))
const Coordinate = Nullable(Type.Number({ minimum: -180, maximum: 180 }))

export const TeamAddressInputSchema = Type.Object({
  addition: Type.Optional(Text),
  building: Type.Optional(Text),
  city: Type.Optional(Text),
  country: Type.Optional(Text),
  county: Type.Optional(Text),
  door: Type.Optional(Text),
  floor: Type.Optional(NumberOrText),
  house_number: Type.Optional(NumberOrText),
  housenumber: Type.Optional(NumberOrText),
  infos: Type.Optional(Text),
  postalcode: Type.Optional(NumberOrText),
  postal_code: Type.Optional(NumberOrText),
  state: Type.Optional(Text),
  street: Type.Optional(Text),
  pollingstation: Type.Optional(Text),
  latitude: Type.Optional(Coordinate),
  longitude: Type.Optional(Coordinate),
})
export type TeamAddressInput = Static<typeof TeamAddressInputSchema>

const Ref = Type.Object({ id: IdSchema })

export const TeamInputSchema = Type.Object({
  id: Type.Optional(IdSchema),
  name: Type.String({ minLength: 1, maxLength: 1000 }),
  description: Type.Optional(Text),
  hide_users: Type.Optional(Type.Boolean()),
  private: Type.Optional(Type.Boolean()),
  address: Type.Optional(Nullable(TeamAddressInputSchema)),
  leaders: Type.Optional(Nullable(Type.Array(Ref, { maxItems: 10_000 }))),
  users: Type.Optional(Nullable(Type.Array(Ref, { maxItems: 10_000 }))),
})
export type TeamInput = Static<typeof TeamInputSchema>
export const TeamBodySchema = Type.Object({ data: Type.Object({ team: TeamInputSchema }) })

export const TeamAddressSchema = Type.Object({
  addition: Text,
  building: Text,
  city: Text,
  country: Text,
  county: Text,
  door: Text,
  floor: Text,
  housenumber: Text,
  id: Type.Integer(),
  infos: Text,
  latitude: Nullable(Type.Number()),
  location: Text,
  longitude: Nullable(Type.Number()),
  pollingstation: Text,
  postalcode: Text,
  score: Nullable(Type.Number()),
  state: Text,
  street: Text,
})

export const TeamSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  description: Text,
  hide_users: Type.Boolean(),
  private: Type.Boolean(),
  created_at: Type.String(),
  updated_at: Type.String(),
  address: TeamAddressSchema,
  leaders: Type.Array(UserSchema),
  users: Type.Array(UserSchema),
})
export type Team = Static<typeof TeamSchema>

export const TeamResponseSchema = Success(Type.Object({ team: TeamSchema }))
export const TeamsResponseSchema = Success(Type.Object({ teams: Type.Array(TeamSchema) }))
export const PublicTeamsResponseSchema = Type.Array(TeamSchema)
export const TeamDeletedResponseSchema = Success(Type.Object({ id: Type.Integer() }))
