// The one place that knows how wire names map to columns (contact + address) and back.
import type { ContactRow, NoteRow } from '../db/database.ts'
import type { LiveAnswer } from '../forms/answers.service.ts'
import type { InteractionWithFiles } from '../interactions/interactions.service.ts'
import { headline } from '../notes/notes.service.ts'
import type { SearchContact, SearchInteraction } from '../search/search.schema.ts'
import { birthdateToWire, millis, toDateOnly } from '../shared/time.ts'
import type { ContactTag } from '../tags/tags.service.ts'
import type { AddressInput, Contact, ContactInput, FormData } from './contacts.schema.ts'

/** '' and null both mean "no value". */
const text = (value: string | null | undefined): string | null =>
  value === undefined || value === null || value === '' ? null : value

/** The address's text fields (wire name; column = `address_<name>`), shared with the search registry. */
export const ADDRESS_TEXT = [
  'housenumber',
  'street',
  'postalcode',
  'citycode',
  'city',
  'county',
  'state',
  'country',
  'addition',
  'infos',
  'building',
  'floor',
  'door',
  'pollingstation',
] as const

/** Fields that place the address on a map: when one changes, stored coordinates are stale. */
const ADDRESS_LOCATION = [
  'housenumber',
  'street',
  'postalcode',
  'citycode',
  'city',
  'county',
  'state',
  'country',
] as const

export type AddressColumns = { [K in (typeof ADDRESS_TEXT)[number] as `address_${K}`]: string | null }

export function toAddressColumns(address: AddressInput | null | undefined): AddressColumns {
  const a = address ?? {}
  // a literal rather than a loop over ADDRESS_TEXT: keys built at run time make a slow
  // dictionary object, and an import maps millions of these
  return {
    address_housenumber: text(a.housenumber ?? a.house_number),
    address_street: text(a.street),
    address_postalcode: text(a.postalcode ?? a.postal_code),
    address_citycode: text(a.citycode),
    address_city: text(a.city),
    address_county: text(a.county),
    address_state: text(a.state),
    address_country: text(a.country),
    address_addition: text(a.addition),
    address_infos: text(a.infos),
    address_building: text(a.building),
    address_floor: text(a.floor),
    address_door: text(a.door),
    address_pollingstation: text(a.pollingstation),
  }
}

/** The scalar columns of a contact as a full replace writes them (absent = cleared). */
export function toContactColumns(input: ContactInput) {
  return {
    firstname: text(input.firstname),
    surname: text(input.surname),
    married_name: text(input.married_name),
    gender: text(input.gender),
    birthdate: input.birthdate ? toDateOnly(input.birthdate) : null,
    age_category: input.age_category ?? 0,
    birthdept: text(input.birthdept ?? input.birth_dept),
    birthcity: text(input.birthcity ?? input.birth_city),
    birthcountry: text(input.birthcountry ?? input.birth_country),
    nationality: text(input.nationality),
    mail: text(input.mail?.trim()),
    phone: text(input.phone),
    mobile: text(input.mobile),
    phone_invalid: input.phone_invalid ?? null,
    mobile_invalid: input.mobile_invalid ?? null,
    black_list: input.black_list ?? false,
    user_contact_id: input.user_contact_id ?? null,
    nationbuilderid: input.nationbuilderid ?? null,
    external_id: text(input.external_id),
    ...toAddressColumns(input.address),
  }
}

export type Coordinates = Pick<
  ContactRow,
  'address_latitude' | 'address_longitude' | 'address_score' | 'address_invalid'
>

/** Two coordinates closer than this are the same point (floats echoed back by a client). */
export const COORDINATE_TOLERANCE = 5e-7

const sameCoordinate = (a: number | null, b: number | null) =>
  a !== null && b !== null && Math.abs(a - b) < COORDINATE_TOLERANCE

type LocationColumn = `address_${(typeof ADDRESS_LOCATION)[number]}`

/**
 * When a write keeps the stored coordinates: the given ones are the stored ones (echoed back),
 * or none are given and the fields that place the address did not change.
 */
export type KeepCoordinates =
  | { given: { latitude: number; longitude: number } }
  | { location: Record<LocationColumn, string | null> }

export interface CoordinatesRule {
  keep: KeepCoordinates
  otherwise: Coordinates
}

/**
 * The coordinates rule of a write onto a stored contact, as data: kept when `keep` holds of the
 * stored row, else `otherwise` (given ones with score 1, or none). `toCoordinates` applies it in
 * memory; PATCH has the database apply it to the row it updates (contacts.repository).
 */
export function coordinatesRule(address: AddressInput | null | undefined): CoordinatesRule {
  const lat = address?.latitude ?? null
  const lon = address?.longitude ?? null
  if (lat !== null && lon !== null) {
    return {
      keep: { given: { latitude: lat, longitude: lon } },
      otherwise: givenCoordinates(lat, lon),
    }
  }
  const next = toAddressColumns(address)
  const location = Object.fromEntries(
    ADDRESS_LOCATION.map((key) => [`address_${key}`, next[`address_${key}`]]),
  ) as Record<LocationColumn, string | null>
  return { keep: { location }, otherwise: NO_COORDINATES }
}

const givenCoordinates = (latitude: number, longitude: number): Coordinates => ({
  address_latitude: latitude,
  address_longitude: longitude,
  address_score: 1,
  address_invalid: null,
})

const NO_COORDINATES: Coordinates = {
  address_latitude: null,
  address_longitude: null,
  address_score: null,
  address_invalid: null,
}

function keeps(keep: KeepCoordinates, row: ContactRow): boolean {
  if ('given' in keep) {
    return (
      sameCoordinate(keep.given.latitude, row.address_latitude) &&
      sameCoordinate(keep.given.longitude, row.address_longitude)
    )
  }
  return Object.entries(keep.location).every(([column, value]) => row[column as LocationColumn] === value)
}

/**
 * Coordinates given by the client are stored with score 1 (unless they are the stored ones,
 * echoed back); not given and the address unchanged → kept; address moved → cleared.
 */
export function toCoordinates(address: AddressInput | null | undefined, previous?: ContactRow): Coordinates {
  const lat = address?.latitude ?? null
  const lon = address?.longitude ?? null
  // a new contact (an import maps millions): no stored row to compare with
  if (!previous) {
    return lat !== null && lon !== null ? givenCoordinates(lat, lon) : NO_COORDINATES
  }
  const rule = coordinatesRule(address)
  return keeps(rule.keep, previous) ? pickCoordinates(previous) : rule.otherwise
}

const pickCoordinates = (row: ContactRow): Coordinates => ({
  address_latitude: row.address_latitude,
  address_longitude: row.address_longitude,
  address_score: row.address_score,
  address_invalid: row.address_invalid,
})

/** The action ids of the input, whichever spelling was used. */
export function actionIdsOf(input: ContactInput): number[] {
  return input.action_ids ?? input.actions_ids ?? []
}

export interface ContactRelations {
  tags: ContactTag[]
  actionIds: number[]
  formdatas: LiveAnswer[]
  customfields: LiveAnswer[]
  notes: NoteRow[]
}

export function answerToWire(row: LiveAnswer): FormData {
  return {
    form_id: row.form_id,
    form_ref_id: row.form_ref_id,
    data: row.data,
    id: row.id,
    created_at: millis(row.created_at),
    updated_at: millis(row.updated_at),
    deleted_at: millis(row.deleted_at),
    date: millis(row.date ?? row.created_at),
    donedate: millis(row.donedate),
    label: null,
    type_of_form: null,
    group_id: row.group_id,
    contact_id: row.contact_id,
  }
}

const fixed6 = (value: number | null) => (value === null ? null : value.toFixed(6))

/** The write shape of seed 003 (POST, GET, PATCH /contacts). */
export function toContact(row: ContactRow, relations: ContactRelations): Contact {
  const latitude = fixed6(row.address_latitude)
  const longitude = fixed6(row.address_longitude)
  return {
    id: row.id,
    group_id: row.group_id,
    CreatedAt: row.created_at,
    UpdatedAt: row.updated_at,
    lastchange: millis(row.lastchange),
    firstname: row.firstname,
    surname: row.surname,
    married_name: row.married_name,
    gender: row.gender,
    birthdate: birthdateToWire(row.birthdate),
    age_category: row.age_category,
    birthdept: row.birthdept,
    birthcity: row.birthcity,
    birthcountry: row.birthcountry,
    nationality: row.nationality,
    mail: row.mail,
    phone: row.phone,
    mobile: row.mobile,
    address: {
      housenumber: row.address_housenumber,
      street: row.address_street,
      postalcode: row.address_postalcode,
      citycode: row.address_citycode,
      city: row.address_city,
      state: row.address_state,
      country: row.address_country,
      addition: row.address_addition,
      infos: row.address_infos,
      building: row.address_building,
      floor: row.address_floor,
      door: row.address_door,
      pollingstation: row.address_pollingstation,
      id: row.address_id,
      score: row.address_score,
      latitude,
      longitude,
      location: latitude !== null && longitude !== null ? `${latitude},${longitude}` : null,
      invalid: row.address_invalid,
    },
    tags: relations.tags.map((t) => ({ name: t.name, appearance_count: t.appearance_count, color: t.color })),
    actions_ids: relations.actionIds,
    action_ids: relations.actionIds,
    user_id: row.user_id,
    user_contact_id: row.user_contact_id,
    formdatas: relations.formdatas.map(answerToWire),
    customfields: relations.customfields.map(answerToWire),
    black_list: row.black_list,
    notes: relations.notes.map((n) => ({ content: n.data, id: n.id, pinned: n.pinned })),
  }
}

/** Column ← the input keys that write it (every spelling), for merges that touch only what is sent. */
const CHANGE_KEYS: [keyof ReturnType<typeof toContactColumns>, string[]][] = [
  ['firstname', ['firstname']],
  ['surname', ['surname']],
  ['married_name', ['married_name']],
  ['gender', ['gender']],
  ['birthdate', ['birthdate']],
  ['age_category', ['age_category']],
  ['birthdept', ['birthdept', 'birth_dept']],
  ['birthcity', ['birthcity', 'birth_city']],
  ['birthcountry', ['birthcountry', 'birth_country']],
  ['nationality', ['nationality']],
  ['mail', ['mail']],
  ['phone', ['phone']],
  ['mobile', ['mobile']],
  ['phone_invalid', ['phone_invalid']],
  ['mobile_invalid', ['mobile_invalid']],
  ['black_list', ['black_list']],
  ['user_contact_id', ['user_contact_id']],
  ['nationbuilderid', ['nationbuilderid']],
  ['external_id', ['external_id']],
]
const ADDRESS_CHANGE_KEYS: Record<string, string[]> = {
  housenumber: ['housenumber', 'house_number'],
  postalcode: ['postalcode', 'postal_code'],
}

/** A key is "sent" when present and not "": absent or "" leaves the stored value, null clears it. */
const sent = (source: Record<string, unknown>, keys: string[]) =>
  keys.some((key) => source[key] !== undefined && source[key] !== '')

/**
 * Upsert's merge (decisions.md (4)): the columns of the fields the input sends, as a full write
 * would set them (null clears). Coordinates follow `toCoordinates` on the merged address.
 */
export function toContactChanges(input: ContactInput, previous?: ContactRow): Partial<ContactRow> {
  const full = toContactColumns(input)
  const changes: Record<string, unknown> = {}
  for (const [column, keys] of CHANGE_KEYS) if (sent(input, keys)) changes[column] = full[column]
  const address = input.address
  if (address === null) Object.assign(changes, toAddressColumns(null))
  else if (address) {
    for (const key of ADDRESS_TEXT) {
      if (sent(address, ADDRESS_CHANGE_KEYS[key] ?? [key])) changes[`address_${key}`] = full[`address_${key}`]
    }
  }
  const merged = { ...previous, ...changes } as ContactRow
  const mergedAddress: AddressInput = {
    latitude: address?.latitude ?? null,
    longitude: address?.longitude ?? null,
  }
  for (const key of ADDRESS_TEXT) mergedAddress[key] = merged[`address_${key}`] ?? null
  return { ...changes, ...toCoordinates(mergedAddress, previous) }
}

/** A coordinate of the search shape: a number, or null. */
const searchCoordinate = (value: number | null) => (value === null ? null : Number(value.toFixed(6)))

/** The search shape of seed 000 (POST /search): numbers for coordinates, one note, fewer answer keys. */
export function toSearchContact(
  row: ContactRow,
  relations: ContactRelations,
  interactions?: InteractionWithFiles[],
): SearchContact {
  const written = toContact(row, relations)
  const {
    nationality: _n,
    user_id: _u,
    user_contact_id: _uc,
    black_list: _b,
    notes: _notes,
    ...rest
  } = written
  const latitude = searchCoordinate(row.address_latitude)
  const longitude = searchCoordinate(row.address_longitude)
  const note = headline(relations.notes)
  const contact: SearchContact = {
    ...rest,
    address: { ...written.address, latitude, longitude },
    tags: relations.tags.map((t) => ({ name: t.name, color: t.color })),
    formdatas: relations.formdatas.map(searchAnswerToWire),
    customfields: relations.customfields.map(searchAnswerToWire),
    notes: note && {
      id: note.id,
      created_at: millis(note.created_at),
      updated_at: millis(note.updated_at),
      data: note.data,
      contact_id: note.contact_id,
      group_id: note.group_id,
      user_id: note.user_id,
      pinned: note.pinned,
    },
  }
  if (interactions) contact.interactions = interactions.map(interactionToWire)
  return contact
}

function searchAnswerToWire(row: LiveAnswer): SearchContact['formdatas'][number] {
  const { deleted_at: _d, donedate: _dd, label: _l, type_of_form: _t, ...rest } = answerToWire(row)
  return rest
}

function interactionToWire(i: InteractionWithFiles): SearchInteraction {
  return {
    id: i.id,
    created_at: millis(i.created_at),
    updated_at: millis(i.updated_at),
    type: i.type,
    sub_type: i.sub_type,
    title: i.title,
    comments: i.comments,
    contact_id: i.contact_id,
    group_id: i.group_id,
    user_id: i.user_id,
    only_super_admin: i.only_super_admin,
    files: i.files.map((f) => ({
      id: f.id,
      created: millis(f.created),
      owner_id: f.owner_id,
      group_id: f.group_id,
      subject: f.subject,
      url: f.url,
      folder: f.folder,
      mime: f.mime,
      name: f.name,
      is_interaction: f.is_interaction,
    })),
  }
}
