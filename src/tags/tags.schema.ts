import { type Static, Type } from 'typebox'
import { IdSchema, Success } from '../http/envelope.ts'

/** A tag as GET /v1/tags lists it: the contact's tag shape plus its id. */
export const SpaceTagSchema = Type.Object({
  id: IdSchema,
  name: Type.String(),
  color: Type.String(),
  appearance_count: Type.Integer({ minimum: 0, description: 'contacts of the space carrying the tag' }),
})

export const TagsResponseSchema = Success(Type.Object({ tags: Type.Array(SpaceTagSchema) }))

export type SpaceTag = Static<typeof SpaceTagSchema>
