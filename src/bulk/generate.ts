// Deterministic realistic French contacts, in the input shape of POST /contacts, for imports and
// the benchmark. Same seed and same forms → the same contacts, line for line.
import type { ContactInput, FormDataInput } from '../contacts/contacts.schema.ts'
import type { Db } from '../db/database.ts'
import * as forms from '../forms/forms.service.ts'
import type { Tenant } from '../shared/tenant.ts'
import * as v from './vocabulary.ts'

/** mulberry32: a tiny 32-bit PRNG, good enough for test data and identical on every platform. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The forms the generated answers refer to (ids of the space they were created in). */
export interface BenchForms {
  support: { id: number; refIds: number[] }
  presence: { id: number; refIds: number[] }
  profession: { id: number }
}

const FORM_DEFS = [
  {
    type_of_form: 'level_of_support',
    type: 'radio',
    label: 'Niveau de soutien',
    refvalues: ['Très favorable', 'Favorable', 'Indécis', 'Défavorable', 'Très défavorable'].map(
      (label, i) => ({
        label,
        value: String(i + 1),
      }),
    ),
  },
  {
    type_of_form: 'presence_status',
    type: 'radio',
    label: 'Présence',
    refvalues: [
      { label: 'Présent', value: 'present' },
      { label: 'Absent', value: 'absent' },
      { label: 'Déménagé', value: 'moved' },
    ],
  },
  { type_of_form: 'custom_fields', type: 'text', label: 'Profession' },
]

/** Finds the generator's forms in the space, creating those that are missing (idempotent). */
export async function ensureForms(db: Db, tenant: Tenant): Promise<BenchForms> {
  const existing = await forms.listByFamily(db, tenant)
  const found = []
  for (const def of FORM_DEFS) {
    const form =
      existing.find((f) => f.type_of_form === def.type_of_form && f.label === def.label) ??
      (await forms.create(db, tenant, def))
    found.push(form)
  }
  const [support, presence, profession] = found as [
    forms.FormWithValues,
    forms.FormWithValues,
    forms.FormWithValues,
  ]
  return {
    support: { id: support.id, refIds: support.refvalues.map((r) => r.id) },
    presence: { id: presence.id, refIds: presence.refvalues.map((r) => r.id) },
    profession: { id: profession.id },
  }
}

const ascii = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]+/g, '')

const CITY_WEIGHTS = v.CITIES.reduce((sum, c) => sum + c[4], 0)

/** The city at a point of the cumulated weights (bigger cities take more of the range). */
function cityAt(point: number) {
  let rest = point
  for (const city of v.CITIES) {
    rest -= city[4]
    if (rest < 0) return city
  }
  return v.CITIES.at(-1)!
}

/** A contact plus `interactions` (an import extension: POST /contacts has none). */
export type GeneratedContact = ContactInput & {
  interactions?: { type: string; sub_type: string | null; title: string; comments: string | null }[]
}

/** `count` contacts from `seed`; answers only when `benchForms` is given. */
export function* generateContacts(
  count: number,
  seed: number,
  benchForms?: BenchForms,
): Generator<GeneratedContact> {
  const rnd = mulberry32(seed)
  const int = (n: number) => Math.floor(rnd() * n)
  const pick = <T>(list: readonly T[]) => list[int(list.length)]!
  const chance = (p: number) => rnd() < p
  const digits = (n: number) => Array.from({ length: n }, () => int(10)).join('')
  for (let i = 0; i < count; i++) {
    const gender = chance(0.5) ? 'F' : 'M'
    const firstname = pick(gender === 'F' ? v.FIRSTNAMES_F : v.FIRSTNAMES_M)
    const surname = v.surnameOf(int(v.SURNAME_COUNT), int(v.SURNAME_COUNT), chance(0.1))
    const city = cityAt(int(CITY_WEIGHTS))
    const year = 1935 + int(72)
    const birthdate = `${year}-${String(1 + int(12)).padStart(2, '0')}-${String(1 + int(28)).padStart(2, '0')}`
    const contact: GeneratedContact = {
      firstname,
      surname,
      gender,
      birthdate: chance(0.8) ? birthdate : null,
      mail: chance(0.7) ? `${ascii(firstname)}.${ascii(surname)}${int(1000)}@${pick(v.MAIL_DOMAINS)}` : null,
      phone: chance(0.3) ? `0${1 + int(5)}${digits(8)}` : null,
      mobile: chance(0.6) ? `0${chance(0.5) ? 6 : 7}${digits(8)}` : null,
      address: {
        housenumber: String(1 + int(180)),
        street: `${pick(v.STREET_TYPES)} ${pick(v.STREET_NAMES)}`,
        postalcode: city[1],
        citycode: city[2],
        city: city[0],
        county: city[3],
        country: 'France',
        pollingstation: `${city[0]} - Bureau ${1 + int(40)}`,
        latitude: chance(0.6) ? Number((city[5] + (rnd() - 0.5) * 0.05).toFixed(6)) : null,
        longitude: null,
      },
      tags: [],
    }
    if (contact.address?.latitude != null)
      contact.address.longitude = Number((city[6] + (rnd() - 0.5) * 0.05).toFixed(6))
    const tagCount = chance(0.6) ? 1 + int(3) : 0
    const tagNames = new Set(Array.from({ length: tagCount }, () => pick(v.TAGS)))
    contact.tags = [...tagNames].map((name) => ({ name }))
    if (benchForms) {
      const answers: FormDataInput[] = []
      if (chance(0.5))
        answers.push({ form_id: benchForms.support.id, form_ref_id: pick(benchForms.support.refIds) })
      if (chance(0.3))
        answers.push({ form_id: benchForms.presence.id, form_ref_id: pick(benchForms.presence.refIds) })
      if (answers.length > 0) contact.formdatas = answers
      if (chance(0.25))
        contact.customfields = [{ form_id: benchForms.profession.id, data: pick(v.PROFESSIONS) }]
    }
    if (chance(0.1)) contact.notes = [{ content: pick(v.NOTES), pinned: chance(0.2) }]
    if (chance(0.08)) {
      const type = pick(v.INTERACTION_TYPES)
      contact.interactions = [
        {
          type,
          sub_type: chance(0.5) ? 'outgoing' : null,
          title: `Contact ${type}`,
          comments: chance(0.5) ? pick(v.NOTES) : null,
        },
      ]
    }
    yield contact
  }
}
