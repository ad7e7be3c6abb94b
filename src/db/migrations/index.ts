// Runs in this order; never edit a migration that has been merged: add the next one.
import type { Migration } from 'kysely/migration'
import * as m0001 from './0001_create_schema.ts'
import * as m0002 from './0002_search_indexes.ts'
import * as m0003 from './0003_upsert_queue.ts'
import * as m0006 from './0006_tag_appearance_count.ts'
import * as m0007 from './0007_fast_match_surname.ts'
import * as m0008 from './0008_stored_city_words.ts'
import * as m0009 from './0009_form_data_covering.ts'
import * as m0010 from './0010_city_dictionary.ts'
import * as m0011 from './0011_api_key_notify.ts'
import * as m0012 from './0012_city_tests_by_dictionary.ts'
import * as m0013 from './0013_match_statistics.ts'
import * as m0014 from './0014_city_index_with_gender.ts'
import * as m0015 from './0015_forget_deleted_contacts.ts'
import * as m0016 from './0016_pending_index.ts'
import * as m0017 from './0017_action_ids_per_space.ts'
import * as m0018 from './0018_rejected_upserts_by_space.ts'
import * as m0020 from './0020_erase_by_index.ts'
import * as m0023 from './0023_people.ts'
import * as m0027 from './0027_api_key_scope.ts'
import * as m0028 from './0028_contact_change.ts'
import * as m0029 from './0029_user_keys.ts'
import * as m0033 from './0033_import_run.ts'

export const migrations: Record<string, Migration> = {
  '0001_create_schema': m0001,
  '0002_search_indexes': m0002,
  '0003_upsert_queue': m0003,
  '0006_tag_appearance_count': m0006,
  '0007_fast_match_surname': m0007,
  '0008_stored_city_words': m0008,
  '0009_form_data_covering': m0009,
  '0010_city_dictionary': m0010,
  '0011_api_key_notify': m0011,
  '0012_city_tests_by_dictionary': m0012,
  '0013_match_statistics': m0013,
  '0014_city_index_with_gender': m0014,
  '0015_forget_deleted_contacts': m0015,
  '0016_pending_index': m0016,
  '0017_action_ids_per_space': m0017,
  '0018_rejected_upserts_by_space': m0018,
  '0020_erase_by_index': m0020,
  '0023_people': m0023,
  '0027_api_key_scope': m0027,
  '0028_contact_change': m0028,
  '0029_user_keys': m0029,
  '0033_import_run': m0033,
}
