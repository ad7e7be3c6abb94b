// The registry of searchable attributes: the security boundary of the search language. Only the
// columns named here can reach SQL; an attr that is not a key of ATTRIBUTES is a 422.
import { ADDRESS_TEXT } from '../contacts/address.ts'

/** How values of an attribute are compared. */
export type ValueType = 'text' | 'number' | 'boolean' | 'date' | 'timestamp'

/**
 * A column of the contact row. `norm` names its stored lower(f_unaccent()) copy, if any;
 * `dictionary`, the table of the space's distinct values of that copy (with their words), which
 * its text tests look up first.
 */
export interface ColumnAttribute {
  kind: 'column'
  type: ValueType
  column: string
  norm?: string
  dictionary?: 'contact_city'
  /**
   * Every value the column can hold besides null (a check constraint of the schema): a text
   * test is then decided once over these values instead of once per contact (compile.ts).
   */
  vocabulary?: readonly string[]
}

/** A value held in another table, one or many per contact: searched with EXISTS. */
export interface RelationAttribute {
  kind: 'relation'
  type: ValueType
  relation: 'tags' | 'actions' | 'notes' | 'interactions'
  column: string
}

/** Form answers (`form`, `custom_fields`): the form's own type decides how `data` compares. */
export interface FormAttribute {
  kind: 'form'
}

export type Attribute = ColumnAttribute | RelationAttribute | FormAttribute

/** Columns with a dictionary of their distinct values (migration 0010). */
const DICTIONARIES: Record<string, ColumnAttribute['dictionary']> = { address_city: 'contact_city' }

const col = (type: ValueType, column: string, norm?: string): ColumnAttribute => ({
  kind: 'column',
  type,
  column,
  ...(norm ? { norm } : {}),
  ...(DICTIONARIES[column] ? { dictionary: DICTIONARIES[column] } : {}),
})
const text = (column: string, indexed = false) => col('text', column, indexed ? `${column}_norm` : undefined)
const rel = (
  type: ValueType,
  relation: RelationAttribute['relation'],
  column: string,
): RelationAttribute => ({
  kind: 'relation',
  type,
  relation,
  column,
})

/** Address fields with a stored normalised copy (migration 0002). */
const ADDRESS_INDEXED = new Set(['street', 'postalcode', 'city'])

export const ATTRIBUTES: Record<string, Attribute> = {
  id: col('number', 'id'),
  firstname: text('firstname', true),
  surname: text('surname', true),
  married_name: text('married_name'),
  // migration 0001: check (gender in ('F', 'M', 'O'))
  gender: { ...text('gender'), vocabulary: ['F', 'M', 'O'] },
  birthdate: col('date', 'birthdate'),
  age_category: col('number', 'age_category'),
  birthdept: text('birthdept'),
  birthcity: text('birthcity'),
  birthcountry: text('birthcountry'),
  nationality: text('nationality'),
  mail: text('mail', true),
  phone: text('phone', true),
  mobile: text('mobile', true),
  phone_invalid: col('boolean', 'phone_invalid'),
  mobile_invalid: col('boolean', 'mobile_invalid'),
  black_list: col('boolean', 'black_list'),
  user_id: col('number', 'user_id'),
  user_contact_id: col('number', 'user_contact_id'),
  nationbuilderid: col('number', 'nationbuilderid'),
  external_id: text('external_id'),
  CreatedAt: col('timestamp', 'created_at'),
  UpdatedAt: col('timestamp', 'updated_at'),
  lastchange: col('timestamp', 'lastchange'),
  ...Object.fromEntries(
    ADDRESS_TEXT.map((key) => [`address.${key}`, text(`address_${key}`, ADDRESS_INDEXED.has(key))]),
  ),
  'address.id': col('number', 'address_id'),
  'address.latitude': col('number', 'address_latitude'),
  'address.longitude': col('number', 'address_longitude'),
  'address.score': col('number', 'address_score'),
  'address.invalid': col('boolean', 'address_invalid'),
  tags: rel('text', 'tags', 'name'),
  action_ids: rel('number', 'actions', 'action_id'),
  actions_ids: rel('number', 'actions', 'action_id'),
  notes: rel('text', 'notes', 'data'),
  'interactions.type': rel('text', 'interactions', 'type'),
  'interactions.sub_type': rel('text', 'interactions', 'sub_type'),
  'interactions.created_at': rel('timestamp', 'interactions', 'created_at'),
  form: { kind: 'form' },
  custom_fields: { kind: 'form' },
}

export const ATTRIBUTE_NAMES = Object.keys(ATTRIBUTES)

/** `sort_attr` → the column (or normalised text) the page is ordered by, always then by id. */
export const SORTS: Record<string, ColumnAttribute> = {
  id: col('number', 'id'),
  surname: text('surname', true),
  firstname: text('firstname', true),
  birthdate: col('date', 'birthdate'),
  gender: text('gender'),
  lastchange: col('timestamp', 'lastchange'),
  mail: text('mail', true),
  married_name: text('married_name'),
  city: text('address_city', true),
  CreatedAt: col('timestamp', 'created_at'),
  UpdatedAt: col('timestamp', 'updated_at'),
}

export const SORT_NAMES = Object.keys(SORTS)
