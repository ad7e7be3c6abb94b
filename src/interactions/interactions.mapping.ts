// An interaction's rows and its wire shape (the same in its own endpoints and in a search result).
import type { FileRow, InteractionRow } from '../db/database.ts'
import { millis } from '../shared/time.ts'
import type { InteractionWire } from './interactions.schema.ts'

export type InteractionWithFiles = InteractionRow & { files: FileRow[] }

/** An interaction as Qomon's search result lists it in `interactions[]` (timestamps with milliseconds). */
export function interactionToWire(row: InteractionWithFiles): InteractionWire {
  return {
    id: row.id,
    created_at: millis(row.created_at),
    updated_at: millis(row.updated_at),
    type: row.type,
    sub_type: row.sub_type,
    title: row.title,
    comments: row.comments,
    contact_id: row.contact_id,
    group_id: row.group_id,
    user_id: row.user_id,
    only_super_admin: row.only_super_admin,
    files: row.files.map((f) => ({
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
