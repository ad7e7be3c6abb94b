// Wire shapes of the contact, exactly as the public API spells them. Input is tolerant (every
// spelling Qomon's docs show, read-only keys of the responses accepted and ignored, so that
// what GET returns can be PATCHed back); output is the contact as Qomon answers it, field for field.
import { type Static, Type } from 'typebox'
import { ActionIdSchema, IdSchema, Nullable, Success } from '../http/envelope.ts'

const Text = Nullable(Type.String({ maxLength: 10_000 }))
const OptionalText = Type.Optional(Text)
const OptionalId = Type.Optional(Nullable(IdSchema))
const OptionalBool = Type.Optional(Nullable(Type.Boolean()))
/** Dates: 'YYYY-MM-DD' or an ISO 8601 date-time ('' = none). */
const DateText = Nullable(Type.String({ format: 'date-or-datetime' }))

export const AddressInputSchema = Type.Object(
  {
    housenumber: OptionalText,
    house_number: OptionalText,
    street: OptionalText,
    postalcode: OptionalText,
    postal_code: OptionalText,
    citycode: OptionalText,
    city: OptionalText,
    county: OptionalText,
    state: OptionalText,
    country: OptionalText,
    addition: OptionalText,
    infos: OptionalText,
    building: OptionalText,
    floor: OptionalText,
    door: OptionalText,
    pollingstation: OptionalText,
    latitude: Type.Optional(Nullable(Type.Number({ minimum: -90, maximum: 90 }))),
    longitude: Type.Optional(Nullable(Type.Number({ minimum: -180, maximum: 180 }))),
  },
  { additionalProperties: true, description: 'id, location, score and invalid are read-only and ignored' },
)

export const TagInputSchema = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200 }), color: OptionalText },
  { additionalProperties: true },
)

export const FormDataInputSchema = Type.Object(
  {
    form_id: IdSchema,
    form_ref_id: OptionalId,
    data: Type.Optional(Nullable(Type.String({ maxLength: 10_000 }))),
    date: Type.Optional(DateText),
    survey_id: OptionalId,
    deleted_at: Type.Optional(
      Nullable(Type.String({ description: 'an entry sent with deleted_at set is ignored' })),
    ),
  },
  { additionalProperties: true },
)

export const NoteInputSchema = Type.Object(
  {
    id: OptionalId,
    content: OptionalText,
    data: OptionalText,
    pinned: OptionalBool,
    only_super_admin: OptionalBool,
  },
  { additionalProperties: true },
)

/** A contact needs one of these to be told apart from the others (a blank one does not count). */
export const IDENTITY_FIELDS = ['firstname', 'surname', 'mail', 'phone', 'mobile'] as const

/** True when one of the identity fields holds more than blanks. */
export function identifiable(contact: { [K in (typeof IDENTITY_FIELDS)[number]]?: string | null }): boolean {
  return IDENTITY_FIELDS.some((field) => (contact[field] ?? '').trim() !== '')
}

/**
 * The most tags and notes a contact holds: what PATCH accepts. Every other write (upserts, the
 * notes routes) keeps to it too, so a contact as GET returns it can always be PATCHed back.
 */
export const MAX_TAGS_PER_CONTACT = 1000
export const MAX_NOTES_PER_CONTACT = 1000
/** Live form answers in each of the lists GET shows them in (formdatas, custom_fields). */
export const MAX_ANSWERS_PER_CONTACT = 10_000

const nullableList = <T extends Parameters<typeof Type.Array>[0]>(
  item: T,
  maxItems = MAX_ANSWERS_PER_CONTACT,
) => Type.Optional(Nullable(Type.Array(item, { maxItems })))

export const ContactInputSchema = Type.Object(
  {
    firstname: OptionalText,
    surname: OptionalText,
    married_name: OptionalText,
    gender: Type.Optional(Nullable(Type.String({ enum: ['F', 'M', 'O', '', null as unknown as string] }))),
    birthdate: Type.Optional(DateText),
    age_category: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 2_147_483_647 }))),
    birthdept: OptionalText,
    birth_dept: OptionalText,
    birthcity: OptionalText,
    birth_city: OptionalText,
    birthcountry: OptionalText,
    birth_country: OptionalText,
    nationality: OptionalText,
    mail: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 320 }))),
    phone: OptionalText,
    mobile: OptionalText,
    phone_invalid: OptionalBool,
    mobile_invalid: OptionalBool,
    black_list: OptionalBool,
    user_contact_id: OptionalId,
    nationbuilderid: OptionalId,
    external_id: OptionalText,
    address: Type.Optional(Nullable(AddressInputSchema)),
    tags: nullableList(TagInputSchema, MAX_TAGS_PER_CONTACT),
    action_ids: nullableList(ActionIdSchema, 1000),
    actions_ids: nullableList(ActionIdSchema, 1000),
    formdatas: nullableList(FormDataInputSchema),
    custom_fields: nullableList(FormDataInputSchema),
    customfields: nullableList(FormDataInputSchema),
    notes: nullableList(NoteInputSchema, MAX_NOTES_PER_CONTACT),
  },
  {
    additionalProperties: true,
    description:
      'Read-only keys of the response (id, group_id, CreatedAt, UpdatedAt, lastchange, user_id, …) are accepted and ignored.',
  },
)

export const ContactBodySchema = Type.Object({ data: Type.Object({ contact: ContactInputSchema }) })

export const AddressSchema = Type.Object({
  housenumber: Text,
  street: Text,
  postalcode: Text,
  citycode: Text,
  city: Text,
  state: Text,
  country: Text,
  addition: Text,
  infos: Text,
  building: Text,
  floor: Text,
  door: Text,
  pollingstation: Text,
  id: IdSchema,
  score: Nullable(Type.Number()),
  latitude: Text,
  longitude: Text,
  location: Text,
  invalid: Nullable(Type.Boolean()),
})

export const TagSchema = Type.Object({
  name: Type.String(),
  appearance_count: Type.Integer(),
  color: Type.String(),
})

export const FormDataSchema = Type.Object({
  form_id: IdSchema,
  form_ref_id: Nullable(Type.Integer()),
  data: Type.String(),
  id: IdSchema,
  created_at: Type.String(),
  updated_at: Type.String(),
  deleted_at: Text,
  date: Type.String(),
  donedate: Text,
  label: Text,
  type_of_form: Text,
  group_id: IdSchema,
  contact_id: IdSchema,
})

export const NoteSchema = Type.Object({ content: Type.String(), id: IdSchema, pinned: Type.Boolean() })

export const ContactSchema = Type.Object({
  id: IdSchema,
  group_id: IdSchema,
  CreatedAt: Type.String(),
  UpdatedAt: Type.String(),
  lastchange: Type.String(),
  firstname: Text,
  surname: Text,
  married_name: Text,
  gender: Text,
  birthdate: Text,
  age_category: Type.Integer(),
  birthdept: Text,
  birthcity: Text,
  birthcountry: Text,
  nationality: Text,
  mail: Text,
  phone: Text,
  mobile: Text,
  address: AddressSchema,
  tags: Type.Array(TagSchema),
  actions_ids: Type.Array(IdSchema),
  action_ids: Type.Array(IdSchema),
  user_id: Nullable(Type.Integer()),
  user_contact_id: Nullable(Type.Integer()),
  formdatas: Type.Array(FormDataSchema),
  customfields: Type.Array(FormDataSchema),
  black_list: Type.Boolean(),
  notes: Type.Array(NoteSchema),
})

export const ContactResponseSchema = Success(Type.Object({ contact: ContactSchema }))
export const DeletedResponseSchema = Success(Type.Object({ id: IdSchema }))

export type ContactInput = Static<typeof ContactInputSchema>
export type AddressInput = Static<typeof AddressInputSchema>
export type FormDataInput = Static<typeof FormDataInputSchema>
export type NoteInput = Static<typeof NoteInputSchema>
export type TagInput = Static<typeof TagInputSchema>
export type Contact = Static<typeof ContactSchema>
export type Address = Static<typeof AddressSchema>
export type FormData = Static<typeof FormDataSchema>
export type Tag = Static<typeof TagSchema>
