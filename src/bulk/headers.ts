// CSV headers → the contact's wire names. A header is matched case-, accent- and
// punctuation-insensitively ("Code postal", "code_postal" and "CODE-POSTAL" are one header)
// against the documented names (`firstname`, `address.city`, …), the API's other spellings
// (`postal_code`, `birth_city`, …), the address keys without their prefix (`city`), and the
// common French and English column names of spreadsheets and other CRMs (docs/import.md).
import { AddressInputSchema, ContactInputSchema } from '../contacts/contacts.schema.ts'
import { CSV_COLUMNS } from './csv.ts'

/** "Code Postal", "code_postal", "CODE-POSTAL" → "code postal" */
export function foldHeader(header: string): string {
  return header
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
}

/** Common spellings by wire name (documented names and their folds are added below). */
const SPELLINGS: Record<string, string[]> = {
  firstname: ['prénom', 'prenom', 'first name', 'given name', 'forename'],
  surname: ['nom', 'nom de famille', 'last name', 'family name'],
  married_name: ["nom d'usage", 'nom marital', 'married name'],
  gender: ['genre', 'sexe', 'sex'],
  birthdate: ['date de naissance', 'naissance', 'birth date', 'date of birth', 'dob'],
  birthcity: ['ville de naissance', 'lieu de naissance', 'birthplace', 'place of birth'],
  birthdept: ['département de naissance', 'birth department'],
  birthcountry: ['pays de naissance'],
  nationality: ['nationalité'],
  mail: ['email', 'e-mail', 'courriel', 'adresse email', 'adresse e-mail', 'adresse mail', 'email address'],
  phone: ['téléphone', 'tel', 'tél', 'téléphone fixe', 'fixe', 'telephone', 'phone number', 'landline'],
  mobile: ['portable', 'téléphone portable', 'tel portable', 'mobile phone', 'cell', 'cellphone', 'gsm'],
  black_list: ['liste noire', 'blacklist', 'black list'],
  tags: ['étiquettes', 'étiquette', 'tag', 'labels'],
  'address.housenumber': ['numéro', 'numéro de rue', 'n°', 'house number', 'street number'],
  'address.street': ['rue', 'voie', 'adresse', 'address', 'street address', 'address line 1'],
  'address.postalcode': [
    'code postal',
    'cp',
    'postal code',
    'postcode',
    'post code',
    'zip',
    'zip code',
    'zipcode',
  ],
  'address.citycode': ['code insee', 'code commune', 'insee', 'city code'],
  'address.city': ['ville', 'commune', 'localité', 'town'],
  'address.state': ['région', 'province'],
  'address.country': ['pays'],
  'address.addition': ["complément d'adresse", 'complément', 'address line 2'],
  'address.building': ['bâtiment'],
  'address.floor': ['étage'],
  'address.door': ['porte', 'appartement'],
  'address.pollingstation': ['bureau de vote', 'polling station'],
  'address.latitude': ['lat'],
  'address.longitude': ['lon', 'lng', 'long'],
}

/** What the API accepts besides the export's columns (other spellings of the same fields). */
const ADDRESS_KEYS = Object.keys(AddressInputSchema.properties)
const INPUT_KEYS = Object.keys(ContactInputSchema.properties).filter((k) => k !== 'address')

function buildTable(): Map<string, string> {
  const table = new Map<string, string>()
  const add = (spelling: string, name: string) => table.set(foldHeader(spelling), name)
  for (const name of [...CSV_COLUMNS, ...INPUT_KEYS, 'interactions']) add(name, name)
  for (const key of ADDRESS_KEYS) {
    add(`address.${key}`, `address.${key}`)
    add(key, `address.${key}`)
  }
  for (const [name, spellings] of Object.entries(SPELLINGS)) for (const s of spellings) add(s, name)
  return table
}
const TABLE = buildTable()

export interface HeaderMapping {
  /** the wire name of each column, or undefined for a column that is skipped */
  columns: (string | undefined)[]
  /** headers that name no field, as written in the file */
  unknown: string[]
  /** headers naming a field an earlier column already gives (the later one is skipped) */
  repeated: string[]
}

export function mapHeaders(headers: string[]): HeaderMapping {
  const seen = new Set<string>()
  const unknown: string[] = []
  const repeated: string[] = []
  const columns = headers.map((header) => {
    const name = TABLE.get(foldHeader(header))
    if (name === undefined) {
      if (header.trim() !== '') unknown.push(header)
      return undefined
    }
    if (seen.has(name)) {
      repeated.push(header)
      return undefined
    }
    seen.add(name)
    return name
  })
  return { columns, unknown, repeated }
}
