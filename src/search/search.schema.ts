// Wire shapes of POST /search and POST /kpi. The query tree itself is checked by parse.ts (it
// gives better paths and messages than a recursive schema); paging and sorting are checked here.
import { type Static, Type } from 'typebox'
import { AddressSchema } from '../contacts/contacts.schema.ts'
import { IdSchema, Nullable, Success } from '../http/envelope.ts'
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

/** /kpi takes the same body but ignores paging and sorting (decisions.md (14)). */
export const KpiBodySchema = Type.Object({
  data: Type.Object({
    advanced_search: Type.Object({ query: Type.Optional(QuerySchema) }, { additionalProperties: true }),
  }),
})

const Text = Nullable(Type.String())
const Timestamp = Type.String()

const SearchAnswerSchema = Type.Object({
  form_id: IdSchema,
  form_ref_id: Nullable(Type.Integer()),
  data: Type.String(),
  id: IdSchema,
  created_at: Timestamp,
  updated_at: Timestamp,
  date: Timestamp,
  group_id: IdSchema,
  contact_id: IdSchema,
})

const SearchNoteSchema = Type.Object({
  id: IdSchema,
  created_at: Timestamp,
  updated_at: Timestamp,
  data: Type.String(),
  contact_id: IdSchema,
  group_id: IdSchema,
  user_id: Nullable(Type.Integer()),
  pinned: Type.Boolean(),
})

const FileSchema = Type.Object({
  id: IdSchema,
  created: Timestamp,
  owner_id: Nullable(Type.Integer()),
  group_id: IdSchema,
  subject: Text,
  url: Text,
  folder: Text,
  mime: Text,
  name: Text,
  is_interaction: Type.Boolean(),
})

export const SearchInteractionSchema = Type.Object({
  id: IdSchema,
  created_at: Timestamp,
  updated_at: Timestamp,
  type: Type.String(),
  sub_type: Text,
  title: Text,
  comments: Text,
  contact_id: IdSchema,
  group_id: IdSchema,
  user_id: Nullable(Type.Integer()),
  only_super_admin: Type.Boolean(),
  files: Type.Array(FileSchema),
})

/** The search shape of seed 000, plus action_ids (decisions.md). */
export const SearchContactSchema = Type.Object({
  id: IdSchema,
  group_id: IdSchema,
  CreatedAt: Timestamp,
  UpdatedAt: Timestamp,
  lastchange: Timestamp,
  firstname: Text,
  surname: Text,
  married_name: Text,
  gender: Text,
  birthdate: Text,
  age_category: Type.Integer(),
  birthdept: Text,
  birthcity: Text,
  birthcountry: Text,
  mail: Text,
  phone: Text,
  mobile: Text,
  // the write shape's address, but with coordinates as numbers (seed 000)
  address: Type.Object({
    ...AddressSchema.properties,
    latitude: Nullable(Type.Number()),
    longitude: Nullable(Type.Number()),
  }),
  tags: Type.Array(Type.Object({ name: Type.String(), color: Type.String() })),
  actions_ids: Type.Array(IdSchema),
  action_ids: Type.Array(IdSchema),
  formdatas: Type.Array(SearchAnswerSchema),
  customfields: Type.Array(SearchAnswerSchema),
  notes: Nullable(SearchNoteSchema),
  interactions: Type.Optional(Type.Array(SearchInteractionSchema)),
})

export const SearchResponseSchema = Success(Type.Object({ contacts: Type.Array(SearchContactSchema) }))
export const KpiResponseSchema = Success(Type.Object({ total: Type.Integer() }))

export type AdvancedSearch = Static<typeof AdvancedSearchSchema>
export type SearchContact = Static<typeof SearchContactSchema>
export type SearchInteraction = Static<typeof SearchInteractionSchema>
