// The contact's wire shape and its columns, both ways (the address's columns: address.ts).
import type { ContactRow, NoteRow } from '../db/database.ts'
import type { LiveAnswer } from '../forms/answers.service.ts'
import { birthdateToWire, millis, toDateOnly } from '../shared/time.ts'
import type { ContactTag } from '../tags/tags.service.ts'
import { text, toAddressColumns } from './address.ts'
import type { Contact, ContactInput, FormData } from './contacts.schema.ts'

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

/** The contact as Qomon's POST, GET and PATCH /contacts answer it. */
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
