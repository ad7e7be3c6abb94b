// Wire shapes of POST /search and POST /kpi. The query tree itself is checked by parse.ts (it
// gives better paths and messages than a recursive schema); paging and sorting are checked here.
import { type Static, type TProperties, type TSchema, Type } from 'typebox'
import { AddressSchema, ContactSchema, FormDataSchema, TagSchema } from '../contacts/contacts.schema.ts'
import { Nullable, Success } from '../http/envelope.ts'
import { InteractionWireSchema } from '../interactions/interactions.schema.ts'
import { NoteWireSchema } from '../notes/notes.schema.ts'
import { SORT_NAMES } from './attributes.ts'

const QuerySchema = Type.Unknown({
  description:
    '{"$all"|"$at_least_one": [{"$all"|"$at_least_one": [{"$condition": {attr, ope, value, from, to, form_id, form_ref_ids}}]}]}; absent = every contact',
  examples: [
    {
      $all: [
        {
          $all: [
            { $condition: { attr: 'address.city', ope: 'eql', value: 'Paris' } },
            { $condition: { attr: 'birthdate', ope: 'range', from: '1950-01-01', to: '2000-12-31' } },
            { $condition: { attr: 'UpdatedAt', ope: 'gte', value: 'now-30d/d' } },
          ],
        },
        {
          $at_least_one: [
            { $condition: { attr: 'tags', ope: 'any_of', value: ['volunteer', 'donor'] } },
            { $condition: { attr: 'action_ids', ope: 'eql', value: 3 } },
            { $condition: { attr: 'form', form_id: 12, form_ref_ids: [34], ope: 'eql' } },
          ],
        },
      ],
    },
  ],
})

export const AdvancedSearchSchema = Type.Object(
  {
    query: Type.Optional(QuerySchema),
    page: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
    per_page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 1000 })),
    sort_attr: Type.Optional(Type.String({ enum: SORT_NAMES })),
    sort_asc: Type.Optional(Type.Boolean({ default: false })),
    include_interactions: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false },
)

export const SearchBodySchema = Type.Object({ data: Type.Object({ advanced_search: AdvancedSearchSchema }) })

/** /kpi takes the same body but ignores paging and sorting (docs/search.md). */
export const KpiBodySchema = Type.Object({
  data: Type.Object({
    advanced_search: Type.Object({ query: Type.Optional(QuerySchema) }, { additionalProperties: true }),
  }),
})

/**
 * `properties` without the keys of `omit`, the keys of `replace` swapped in where they stand
 * (the serialiser writes keys in this order) and its other keys added at the end.
 */
function reshape<P extends TProperties, O extends keyof P, R extends TProperties>(
  properties: P,
  omit: readonly O[],
  replace: R,
): Omit<P, O | keyof R> & R {
  const result: TProperties = {}
  for (const [key, schema] of Object.entries(properties)) {
    if (omit.includes(key as O)) continue
    result[key] = key in replace ? (replace[key] as TSchema) : schema
  }
  for (const [key, schema] of Object.entries(replace)) if (!(key in result)) result[key] = schema
  return result as Omit<P, O | keyof R> & R
}

/** A form answer as a search result shows it: the write shape's without four keys. */
const SearchAnswerSchema = Type.Object(
  reshape(FormDataSchema.properties, ['deleted_at', 'donedate', 'label', 'type_of_form'], {}),
)

/** Its own endpoints' shape; `SearchContact.interactions` carries the same. */
export const SearchInteractionSchema = InteractionWireSchema

/** The contact as Qomon's POST /search shows it, plus action_ids (docs/search.md). */
export const SearchContactSchema = Type.Object(
  reshape(ContactSchema.properties, ['nationality', 'user_id', 'user_contact_id', 'black_list'], {
    // the write shape's address, but with coordinates as numbers (as Qomon's search shows them)
    address: Type.Object(
      reshape(AddressSchema.properties, [], {
        latitude: Nullable(Type.Number()),
        longitude: Nullable(Type.Number()),
      }),
    ),
    tags: Type.Array(Type.Object(reshape(TagSchema.properties, ['appearance_count'], {}))),
    formdatas: Type.Array(SearchAnswerSchema),
    customfields: Type.Array(SearchAnswerSchema),
    // one note (the pinned one, else the latest), in the shape of the note endpoints
    notes: Nullable(NoteWireSchema),
    interactions: Type.Optional(Type.Array(SearchInteractionSchema)),
  }),
)

export const SearchResponseSchema = Success(Type.Object({ contacts: Type.Array(SearchContactSchema) }))
export const KpiResponseSchema = Success(Type.Object({ total: Type.Integer() }))

export type AdvancedSearch = Static<typeof AdvancedSearchSchema>
export type SearchContact = Static<typeof SearchContactSchema>
export type SearchInteraction = Static<typeof SearchInteractionSchema>
