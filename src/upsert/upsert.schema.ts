// Wire shapes of POST /contacts/upsert and of its receipt. The request envelope is checked by the
// route (422); the record under `data` is checked by `UpsertRecordSchema` when it is accepted, and
// a bad record ends as a `rejected` receipt with the reason (Qomon answers 202 and drops it).
import { type Static, Type } from 'typebox'
import { ActionIdSchema, IdSchema, Nullable, Success } from '../http/envelope.ts'

const Text = Type.Optional(Nullable(Type.String({ maxLength: 10_000 })))
const Int = Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })))
const Bool = Type.Optional(Nullable(Type.Boolean()))
/** Address numbers come as strings or numbers in Qomon's docs; coordinates too (GET gives strings). */
const TextOrNumber = Type.Optional(
  Type.Unsafe<string | number | null>({ type: ['string', 'number', 'null'] }),
)
/** Keys of the response shapes that upsert cannot write: accepted and ignored. */
const Ignored = Type.Optional(Type.Unknown())

export const UpsertAddressSchema = Type.Object(
  {
    housenumber: TextOrNumber,
    house_number: TextOrNumber,
    street: Text,
    postalcode: TextOrNumber,
    postal_code: TextOrNumber,
    citycode: TextOrNumber,
    city: Text,
    county: Text,
    state: Text,
    country: Text,
    addition: Text,
    infos: Text,
    building: Text,
    floor: TextOrNumber,
    door: Text,
    pollingstation: Text,
    latitude: TextOrNumber,
    longitude: TextOrNumber,
    id: Ignored,
    location: Ignored,
    score: Ignored,
    invalid: Ignored,
  },
  { additionalProperties: false },
)

const TagSchema = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200 }), color: Text, appearance_count: Ignored },
  { additionalProperties: false },
)

/** `{content, id, pinned}` (upsert and write shape) or the search shape's note (`data`). */
const NoteSchema = Type.Object(
  {
    id: Int,
    content: Text,
    data: Text,
    pinned: Bool,
    only_super_admin: Bool,
    created_at: Ignored,
    updated_at: Ignored,
    contact_id: Ignored,
    group_id: Ignored,
    user_id: Ignored,
  },
  { additionalProperties: false },
)

/** An advanced-field answer: the form by `id` or `label`, the refvalue by `value` or label. */
export const FormAnswerSchema = Type.Object(
  {
    id: Int,
    label: Text,
    value: Type.Unsafe<string | number | boolean>({ type: ['string', 'number', 'boolean'] }),
    // Qomon ignores the date a client sends with an answer (it stamps the time of the write),
    // and real clients send one: accepted, whatever its form, and ignored
    date: Type.Optional(Type.Unknown({ description: 'ignored: the answer is dated by the write' })),
  },
  { additionalProperties: false },
)

const Answers = Type.Optional(Nullable(Type.Array(FormAnswerSchema, { maxItems: 1000 })))
const Ids = Type.Optional(Nullable(Type.Array(ActionIdSchema, { maxItems: 1000 })))

/** The advanced-field keys of an upsert and the form family (`type_of_form`) each one writes. */
export const ADVANCED_FIELDS = {
  consents: 'consent',
  status: 'level_of_support',
  forms: 'survey',
  custom_fields: 'custom_fields',
  actions: 'tasks',
  name_presences: 'presence_status',
  presence_status: 'presence_status',
} as const

export const UpsertRecordSchema = Type.Object(
  {
    id: Int,
    nationbuilderid: Int,
    firstname: Text,
    surname: Text,
    married_name: Text,
    gender: Type.Optional(
      Type.Unsafe<string | null>({ type: ['string', 'null'], enum: ['F', 'M', 'O', '', null] }),
    ),
    birthdate: Type.Optional(Nullable(Type.String({ format: 'upsert-date' }))),
    age_category: Int,
    birthdept: Text,
    birth_dept: Text,
    birthcity: Text,
    birth_city: Text,
    birthcountry: Text,
    birth_country: Text,
    nationality: Text,
    mail: Type.Optional(Nullable(Type.String({ format: 'upsert-email', maxLength: 320 }))),
    phone: Text,
    mobile: Text,
    phone_invalid: Bool,
    mobile_invalid: Bool,
    black_list: Bool,
    user_contact_id: Int,
    external_id: Text,
    address: Type.Optional(Nullable(UpsertAddressSchema)),
    tags: Type.Optional(Nullable(Type.Array(TagSchema, { maxItems: 1000 }))),
    notes: Type.Optional(Type.Union([Type.Array(NoteSchema, { maxItems: 1000 }), NoteSchema, Type.Null()])),
    action_ids: Ids,
    actions_ids: Ids,
    consents: Answers,
    status: Answers,
    forms: Answers,
    custom_fields: Answers,
    actions: Answers,
    name_presences: Answers,
    presence_status: Answers,
    CreatedAt: Ignored,
    UpdatedAt: Ignored,
    lastchange: Ignored,
    group_id: Ignored,
    user_id: Ignored,
    formdatas: Ignored,
    customfields: Ignored,
    interactions: Ignored,
  },
  { additionalProperties: false },
)

export type UpsertRecord = Static<typeof UpsertRecordSchema>
export type UpsertAddress = Static<typeof UpsertAddressSchema>
export type FormAnswer = Static<typeof FormAnswerSchema>

export const UpsertBodySchema = Type.Object({
  kind: Type.Literal('contact', { description: 'only "contact" is known' }),
  data: Type.Object({}, { additionalProperties: true, description: 'the contact, directly under data' }),
})

export const UPSERT_STATUSES = ['queued', 'done', 'rejected'] as const
export const UPSERT_RULES = ['id', 'mail', 'names_birthdate_address', 'created'] as const

export const ReceiptSchema = Type.Object({
  id: IdSchema,
  status: Type.String({ enum: [...UPSERT_STATUSES] }),
  contact_id: Nullable(Type.Integer()),
  rule: Nullable(Type.String({ enum: [...UPSERT_RULES] })),
  reason: Nullable(Type.String()),
})

export type Receipt = Static<typeof ReceiptSchema>

export const AcceptedResponseSchema = Success(Type.Object({ upsert_id: IdSchema }))
export const ReceiptResponseSchema = Success(Type.Object({ upsert: ReceiptSchema }))
