// Upsert's merge: a matched contact takes only the fields the input sends.
import { ADDRESS_TEXT, toAddressColumns, toCoordinates } from '../contacts/address.ts'
import { toContactColumns } from '../contacts/contacts.mapping.ts'
import type { AddressInput, ContactInput } from '../contacts/contacts.schema.ts'
import type { ContactRow } from '../db/database.ts'

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
 * Upsert's merge (docs/api.md, Upsert): the columns of the fields the input sends, as a full write
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
