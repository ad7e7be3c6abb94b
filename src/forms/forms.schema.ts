// Wire shapes of form definitions: `{id, label, type, type_of_form, refvalues:[…]}` as Qomon's
// clients read them, and our additions' write bodies (docs/api.md, Forms).
import { type Static, Type } from 'typebox'
import { IdSchema, Success } from '../http/envelope.ts'
import { FORM_FAMILIES, FORM_TYPES } from './forms.service.ts'

export const RefvalueSchema = Type.Object({
  id: IdSchema,
  form_id: IdSchema,
  label: Type.String(),
  value: Type.String(),
})

export const FormSchema = Type.Object({
  id: IdSchema,
  label: Type.String(),
  type: Type.String(),
  type_of_form: Type.String(),
  refvalues: Type.Array(RefvalueSchema),
})

const Label = Type.String({ minLength: 1, maxLength: 500 })

export const RefvalueInputSchema = Type.Object(
  {
    label: Type.Optional(Label),
    value: Type.Optional(Label),
  },
  {
    additionalProperties: true,
    description: 'label or value (or both); the missing one is the other. id and form_id are ignored.',
  },
)

export const FamilySchema = Type.String({ enum: [...FORM_FAMILIES] })
export const FormTypeSchema = Type.String({ enum: [...FORM_TYPES] })

export const FormInputSchema = Type.Object(
  {
    type_of_form: FamilySchema,
    type: FormTypeSchema,
    label: Label,
    refvalues: Type.Optional(Type.Array(RefvalueInputSchema, { maxItems: 1000 })),
  },
  { additionalProperties: true, description: 'id is read-only and ignored' },
)

/** PATCH: label and refvalues are replaced; type and type_of_form may be sent back unchanged. */
export const FormPatchSchema = Type.Object(
  {
    label: Label,
    type_of_form: Type.Optional(FamilySchema),
    type: Type.Optional(FormTypeSchema),
    refvalues: Type.Optional(Type.Array(RefvalueInputSchema, { maxItems: 1000 })),
  },
  { additionalProperties: true },
)

export const FormBodySchema = Type.Object({ data: Type.Object({ form: FormInputSchema }) })
export const FormPatchBodySchema = Type.Object({ data: Type.Object({ form: FormPatchSchema }) })
export const FamilyParamsSchema = Type.Object({ type: FamilySchema })
export const IdOrTypeParamsSchema = Type.Object({
  idOrType: Type.String({ maxLength: 100, description: 'a form id, or (deprecated) a type_of_form' }),
})

export const FormResponseSchema = Success(Type.Object({ form: FormSchema }))
export const FormsResponseSchema = Success(Type.Object({ forms: Type.Array(FormSchema) }))
/** GET /forms/{id} answers {form}; the deprecated GET /forms/{type} answers {forms}. */
export const FormOrFormsResponseSchema = Success(
  Type.Object({ form: Type.Optional(FormSchema), forms: Type.Optional(Type.Array(FormSchema)) }),
)
export const FormDeletedResponseSchema = Success(Type.Object({ id: IdSchema }))

export type Form = Static<typeof FormSchema>
export type FormInput = Static<typeof FormInputSchema>
export type FormPatch = Static<typeof FormPatchSchema>
export type RefvalueInput = Static<typeof RefvalueInputSchema>
