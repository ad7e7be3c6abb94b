import type { Db, FileRow, InteractionRow } from '../db/database.ts'
import type { Tenant } from '../shared/tenant.ts'
import * as repo from './interactions.repository.ts'

export type InteractionWithFiles = InteractionRow & { files: FileRow[] }

/** Interactions of many contacts (newest first) with their files, in two queries. */
export async function listForContacts(
  db: Db,
  tenant: Tenant,
  contactIds: number[],
): Promise<Map<number, InteractionWithFiles[]>> {
  const byContact = new Map<number, InteractionWithFiles[]>()
  if (contactIds.length === 0) return byContact
  const interactions = await repo.listForContacts(db, tenant, contactIds)
  const files =
    interactions.length > 0
      ? await repo.filesOf(
          db,
          tenant,
          interactions.map((i) => i.id),
        )
      : []
  const filesOf = new Map<number, FileRow[]>()
  for (const file of files)
    filesOf.set(file.interaction_id, [...(filesOf.get(file.interaction_id) ?? []), file])
  for (const interaction of interactions) {
    const list = byContact.get(interaction.contact_id) ?? []
    list.push({ ...interaction, files: filesOf.get(interaction.id) ?? [] })
    byContact.set(interaction.contact_id, list)
  }
  return byContact
}
