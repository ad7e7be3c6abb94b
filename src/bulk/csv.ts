// The CSV column mapping of imports and exports (docs in BENCHMARKS.md / README "Bulk"):
//   - a header is a wire name of the contact (`firstname`, `mail`, …) or `address.<key>`;
//   - `tags` and `action_ids` hold a `|`-separated list (`bénévole|donateur`, `3|7`);
//   - `formdatas`, `customfields`, `notes`, `interactions` hold a JSON array, as in NDJSON;
//   - an empty cell is an absent field; unknown headers are ignored, like unknown JSON keys.
// Export writes the same columns (plus the read-only id, group_id, CreatedAt, UpdatedAt,
// lastchange), so an exported file imports back.
import type { Contact } from '../contacts/contacts.schema.ts'

const NUMBERS = new Set([
  'age_category',
  'user_contact_id',
  'nationbuilderid',
  'address.latitude',
  'address.longitude',
])
const BOOLEANS = new Set(['phone_invalid', 'mobile_invalid', 'black_list'])
const JSON_LISTS = new Set(['formdatas', 'customfields', 'custom_fields', 'notes', 'interactions'])

/** Why a cell cannot be read; the importer turns it into a rejected row. */
export class CellError extends Error {}

function cell(header: string, raw: string): unknown {
  if (NUMBERS.has(header)) {
    const n = Number(raw.replace(',', '.'))
    if (!Number.isFinite(n)) throw new CellError(`${header}: "${raw}" is not a number`)
    return n
  }
  if (BOOLEANS.has(header)) {
    if (!['true', 'false', '1', '0'].includes(raw.toLowerCase()))
      throw new CellError(`${header}: "${raw}" is not true or false`)
    return ['true', '1'].includes(raw.toLowerCase())
  }
  if (header === 'tags') return raw.split('|').map((name) => ({ name: name.trim() }))
  if (header === 'action_ids' || header === 'actions_ids') return raw.split('|').map(Number)
  if (JSON_LISTS.has(header)) {
    try {
      return JSON.parse(raw)
    } catch {
      throw new CellError(`${header}: not a JSON array`)
    }
  }
  return raw
}

/** One CSV record (header → text) → a contact input object (unchecked; the schema checks it). */
export function fromCsvRecord(record: Record<string, string>): Record<string, unknown> {
  const contact: Record<string, unknown> = {}
  for (const [header, raw] of Object.entries(record)) {
    if (raw === '' || raw === undefined) continue
    const value = cell(header, raw)
    if (header.startsWith('address.')) {
      contact.address ??= {}
      ;(contact.address as Record<string, unknown>)[header.slice('address.'.length)] = value
    } else contact[header] = value
  }
  return contact
}

const SCALARS = [
  'id',
  'group_id',
  'CreatedAt',
  'UpdatedAt',
  'lastchange',
  'firstname',
  'surname',
  'married_name',
  'gender',
  'birthdate',
  'age_category',
  'birthdept',
  'birthcity',
  'birthcountry',
  'nationality',
  'mail',
  'phone',
  'mobile',
  'user_id',
  'user_contact_id',
  'black_list',
] as const
const ADDRESS = [
  'housenumber',
  'street',
  'postalcode',
  'citycode',
  'city',
  'state',
  'country',
  'addition',
  'infos',
  'building',
  'floor',
  'door',
  'pollingstation',
  'latitude',
  'longitude',
] as const

export const CSV_COLUMNS: string[] = [
  ...SCALARS,
  ...ADDRESS.map((k) => `address.${k}`),
  'tags',
  'action_ids',
  'formdatas',
  'customfields',
  'notes',
]

const text = (value: unknown) => (value === null || value === undefined ? '' : String(value))

/** A contact (write shape) → one CSV row in CSV_COLUMNS order. */
export function toCsvRow(c: Contact): string[] {
  return [
    ...SCALARS.map((k) => text(c[k])),
    ...ADDRESS.map((k) => text(c.address[k])),
    c.tags.map((t) => t.name).join('|'),
    c.action_ids.join('|'),
    c.formdatas.length ? JSON.stringify(c.formdatas) : '',
    c.customfields.length ? JSON.stringify(c.customfields) : '',
    c.notes.length ? JSON.stringify(c.notes) : '',
  ]
}
