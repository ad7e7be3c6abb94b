// The one Kysely description of the schema (see migrations/). Timestamps come back as ISO-like
// strings from both drivers (connect.ts) so microseconds survive; ids as numbers.
import type { ColumnType, Generated, Insertable, Kysely, Selectable, Updateable } from 'kysely'

type Timestamp = ColumnType<string, string | Date | undefined, string | Date>
type NullableTimestamp = ColumnType<string | null, string | Date | null | undefined, string | Date | null>
type Id = Generated<number>

export interface SpaceTable {
  id: Id
  name: string
  created_at: Timestamp
}

export interface ApiKeyTable {
  group_id: number
  id: Id
  name: string | null
  key_prefix: string
  key_hash: string
  created_at: Timestamp
  revoked_at: NullableTimestamp
  scope: Generated<KeyScope>
  /** the user the key acts as (its role and contacts bind it), if any */
  user_id: number | null
}

/** read: no writes; write: every write but key management; full: everything */
export type KeyScope = 'read' | 'write' | 'full'

/** A person with one log-in; spaces they belong to are in space_user (migration 0023). */
export interface AppUserTable {
  id: Id
  mail: string
  /** scrypt (users/password.ts); null until the user sets one */
  password_hash: string | null
  locale: string | null
  two_factor_enable: Generated<boolean>
  /** consecutive failed log-ins; with locked_until, what slows guessing down */
  failed_logins: Generated<number>
  locked_until: NullableTimestamp
  created_at: Timestamp
  updated_at: Timestamp
}

export type RoleType = 'superadmin' | 'admin' | 'manager' | 'user' | 'custom'

export interface RoleTable {
  group_id: number
  id: Id
  type: RoleType
  name: string
  color: string
  order: number
  web: Generated<boolean>
  mobile: Generated<boolean>
  created_at: Timestamp
}

/** A user's membership of a space: role, profile as shown there, contact scope. */
export interface SpaceUserTable {
  group_id: number
  user_id: number
  role_id: number
  firstname: string | null
  surname: string | null
  phone: string | null
  address: string | null
  city: string | null
  postal: string | null
  location: string | null
  avatar: string | null
  birthdate: NullableTimestamp
  status: string | null
  /** a search query (the `query` of POST /search): the only contacts this user sees */
  advanced_search: ColumnType<unknown, string | null, string | null>
  saved_filters_id: number | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface TeamTable {
  group_id: number
  id: Id
  name: string
  description: string | null
  hide_users: Generated<boolean>
  private: Generated<boolean>
  address_id: Generated<number>
  /** the address parts as written (teams/teams.mapping.ts) */
  address: ColumnType<unknown, string | null, string | null>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface TeamMemberTable {
  group_id: number
  team_id: number
  user_id: number
  leader: Generated<boolean>
}

export interface InvitationTable {
  group_id: number
  id: Id
  email: string
  mobile_phone: string | null
  role_id: number
  token_hash: string
  expires_at: Timestamp
  created_at: Timestamp
  last_sent: NullableTimestamp
  accepted_at: NullableTimestamp
  user_id: number | null
}

export interface SessionTable {
  group_id: number
  id: Id
  user_id: number
  token_hash: string
  created_at: Timestamp
  expires_at: Timestamp
  revoked_at: NullableTimestamp
}

export interface ContactTable {
  group_id: number
  id: Id
  created_at: Timestamp
  updated_at: Timestamp
  lastchange: Timestamp
  firstname: string | null
  surname: string | null
  married_name: string | null
  gender: string | null
  /** 'YYYY-MM-DD' */
  birthdate: string | null
  age_category: Generated<number>
  birthdept: string | null
  birthcity: string | null
  birthcountry: string | null
  nationality: string | null
  mail: string | null
  phone: string | null
  mobile: string | null
  phone_invalid: boolean | null
  mobile_invalid: boolean | null
  black_list: Generated<boolean>
  user_id: number | null
  user_contact_id: number | null
  nationbuilderid: number | null
  external_id: string | null
  address_id: Generated<number>
  address_housenumber: string | null
  address_street: string | null
  address_postalcode: string | null
  address_citycode: string | null
  address_city: string | null
  address_county: string | null
  address_state: string | null
  address_country: string | null
  address_addition: string | null
  address_infos: string | null
  address_building: string | null
  address_floor: string | null
  address_door: string | null
  address_pollingstation: string | null
  address_latitude: number | null
  address_longitude: number | null
  address_score: number | null
  address_invalid: boolean | null
}

/**
 * Stored generated lower(f_unaccent(x)) copies on `contact`, for search (migration 0002).
 * Read-only, and kept out of ContactTable so that ContactRow stays what contactColumns selects;
 * only src/search reads them.
 */
export interface ContactSearchColumns {
  firstname_norm: string | null
  surname_norm: string | null
  mail_norm: string | null
  phone_norm: string | null
  mobile_norm: string | null
  address_street_norm: string | null
  address_postalcode_norm: string | null
  address_city_norm: string | null
}

/** The distinct cities of a space (migration 0010, kept by triggers): what city tests look up. */
export interface ContactCityTable {
  group_id: number
  norm: string
  words: Generated<string>
}

export interface TagTable {
  group_id: number
  id: Id
  name: string
  color: string
  created_at: Timestamp
  /** contacts of the space carrying the tag, kept by triggers */
  appearance_count: Generated<number>
}

export interface ContactTagTable {
  group_id: number
  tag_id: number
  contact_id: number
}

export interface FormTable {
  group_id: number
  id: Id
  type_of_form: string
  type: string
  label: string
  created_at: Timestamp
  updated_at: Timestamp
}

export interface RefvalueTable {
  group_id: number
  id: Id
  form_id: number
  label: string
  value: string
  position: Generated<number>
}

export interface FormDataTable {
  group_id: number
  id: Id
  contact_id: number
  form_id: number
  form_ref_id: number | null
  data: Generated<string>
  date: NullableTimestamp
  donedate: NullableTimestamp
  survey_id: number | null
  created_at: Timestamp
  updated_at: Timestamp
  deleted_at: NullableTimestamp
}

export interface NoteTable {
  group_id: number
  id: Id
  contact_id: number
  data: Generated<string>
  pinned: Generated<boolean>
  only_super_admin: Generated<boolean>
  user_id: number | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface InteractionTable {
  group_id: number
  id: Id
  contact_id: number
  type: string
  sub_type: string | null
  title: string | null
  comments: string | null
  user_id: number | null
  only_super_admin: Generated<boolean>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface FileTable {
  group_id: number
  id: Id
  interaction_id: number
  owner_id: number | null
  subject: string | null
  url: string | null
  folder: string | null
  mime: string | null
  name: string | null
  is_interaction: Generated<boolean>
  created: Timestamp
}

export interface ActionTable {
  group_id: number
  id: Id
  name: string
  type: Generated<string>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface ContactActionTable {
  group_id: number
  action_id: number
  contact_id: number
}

export interface UpsertJobTable {
  group_id: number
  id: Id
  status: Generated<'queued' | 'done' | 'rejected'>
  /** the `data` of the request, as sent */
  payload: ColumnType<unknown, string, string>
  contact_id: number | null
  rule: 'id' | 'mail' | 'names_birthdate_address' | 'created' | null
  reason: string | null
  attempt: Generated<number>
  created_at: Timestamp
  done_at: NullableTimestamp
  /** the key that queued the job, and the user it acted as: the contact's history names them */
  api_key_id: number | null
  user_id: number | null
}

export interface ContactChangeTable {
  group_id: number
  contact_id: number
  id: Id
  at: Timestamp
  action: 'created' | 'updated' | 'erased'
  channel: string
  route: string | null
  api_key_id: number | null
  user_id: number | null
  /** [{field, before, after}] of the fields that changed; null on an erasure */
  changes: ColumnType<unknown, string | null, string | null>
}

export interface IdempotencyKeyTable {
  group_id: number
  key: string
  request_hash: string
  /** null while the first request with this key runs */
  status_code: number | null
  content_type: string | null
  response_body: string | null
  /** the contact a saved answer carries (POST/PATCH of a contact), so its deletion erases it */
  contact_id: number | null
  created_at: Timestamp
}

/** A committed import of a space (bulk/import-runs.ts). */
export interface ImportRunTable {
  group_id: number
  id: Id
  /** sha256 of the file, hex */
  checksum: string
  file_name: string
  created: number
  updated: number
  rejected: number
  created_at: Timestamp
}

export interface Database {
  space: SpaceTable
  api_key: ApiKeyTable
  app_user: AppUserTable
  role: RoleTable
  space_user: SpaceUserTable
  team: TeamTable
  team_member: TeamMemberTable
  invitation: InvitationTable
  session: SessionTable
  contact: ContactTable
  contact_city: ContactCityTable
  tag: TagTable
  contact_tag: ContactTagTable
  form: FormTable
  refvalue: RefvalueTable
  form_data: FormDataTable
  note: NoteTable
  interaction: InteractionTable
  file: FileTable
  action: ActionTable
  contact_action: ContactActionTable
  upsert_job: UpsertJobTable
  idempotency_key: IdempotencyKeyTable
  import_run: ImportRunTable
  contact_change: ContactChangeTable
}

export type Db = Kysely<Database>
export type ContactRow = Selectable<ContactTable>
export type NewContact = Insertable<ContactTable>
export type ContactUpdate = Updateable<ContactTable>
export type TagRow = Selectable<TagTable>
export type FormRow = Selectable<FormTable>
export type RefvalueRow = Selectable<RefvalueTable>
export type FormDataRow = Selectable<FormDataTable>
export type NoteRow = Selectable<NoteTable>
export type InteractionRow = Selectable<InteractionTable>
export type FileRow = Selectable<FileTable>
