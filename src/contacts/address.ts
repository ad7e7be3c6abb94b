// The address a contact carries: its text columns and the rule for its coordinates.
import type { ContactRow } from '../db/database.ts'
import type { AddressInput } from './contacts.schema.ts'

/** '' and null both mean "no value". */
export const text = (value: string | null | undefined): string | null =>
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
