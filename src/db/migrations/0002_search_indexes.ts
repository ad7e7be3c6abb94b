// Indexes for POST /search and /kpi (src/search). The most searched text fields get a stored,
// normalised copy (lower(f_unaccent(x)), collation "C" so btree prefix scans and sorts work on
// both engines): trigram GIN on it for contains/start_with, a GIN over its words for `eql`,
// btree (group_id, x, id) for sorts and ranges. Other fields are searched through the same
// expressions, unindexed: every index slows bulk imports, so only what clients search most.
import { type Kysely, sql } from 'kysely'

/** Contact columns with a stored normalised copy `<column>_norm`. */
const NORMALISED = [
  'firstname',
  'surname',
  'mail',
  'phone',
  'mobile',
  'address_street',
  'address_postalcode',
  'address_city',
] as const

const WITH_TRIGRAMS = ['firstname', 'surname', 'mail', 'address_street', 'address_city'] as const
const WITH_WORDS = ['firstname', 'surname', 'mail', 'address_city'] as const
const SORTED = [
  'firstname_norm',
  'surname_norm',
  'address_city_norm',
  'created_at',
  'updated_at',
  'lastchange',
]
const LOOKED_UP = ['mail_norm', 'phone_norm', 'mobile_norm', 'address_postalcode_norm']

/**
 * The words of a normalised text as `eql` sees them: punctuation and spaces separate words, so
 * "jean-pierre", "o'brien" and "jean.dupont@example.com" split into their parts.
 * compile.ts uses the same expression, so the GIN indexes below serve it.
 */
const wordsOf = (expr: string) =>
  `to_tsvector('simple'::regconfig, regexp_replace(${expr}, '[[:space:][:punct:]]+', ' ', 'g'))`

const statements = [
  ...NORMALISED.map(
    (col) =>
      `alter table contact add column ${col}_norm text collate "C"
         generated always as (lower(f_unaccent(${col}))) stored`,
  ),
  ...WITH_TRIGRAMS.map(
    (col) => `create index contact_${col}_trgm on contact using gin (${col}_norm gin_trgm_ops)`,
  ),
  ...WITH_WORDS.map(
    (col) => `create index contact_${col}_words on contact using gin (${wordsOf(`${col}_norm`)})`,
  ),
  ...SORTED.map((col) => `create index contact_sort_${col} on contact (group_id, ${col}, id)`),
  ...LOOKED_UP.map((col) => `create index contact_${col} on contact (group_id, ${col})`),
  `create index tag_name_norm on tag (group_id, (lower(f_unaccent(name)) collate "C"))`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db)
}
