import { requireContact, touchContactOf } from '../contacts/contacts.parent.ts'
import type { Db, FileRow } from '../db/database.ts'
import { inTransaction } from '../db/transaction.ts'
import * as history from '../history/history.service.ts'
import { errors } from '../shared/errors.ts'
import type { Tenant } from '../shared/tenant.ts'
import { type InteractionWithFiles, interactionToWire } from './interactions.mapping.ts'
import * as repo from './interactions.repository.ts'
import {
  type FileWrite,
  INTERACTION_TYPES,
  type InteractionWire,
  type InteractionWrite,
} from './interactions.schema.ts'

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

// ---- Our interaction endpoints: /contacts/{id}/interactions (docs/api.md, Interactions) ----

const BODY = 'body.data.interaction'

async function loadOne(db: Db, tenant: Tenant, contactId: number, id: number): Promise<InteractionWire> {
  const row = await repo.findInteraction(db, tenant, contactId, id)
  if (!row) throw errors.notFound('Interaction', id)
  return interactionToWire({ ...row, files: await repo.filesOf(db, tenant, [id]) })
}

const blank = (text: string | null | undefined) => (text == null || text.trim() === '' ? null : text)

function fileColumns(file: FileWrite, location: string) {
  const values = {
    name: blank(file.name),
    mime: blank(file.mime),
    url: blank(file.url),
    folder: blank(file.folder),
    subject: blank(file.subject),
  }
  if (!values.name && !values.url) throw errors.invalidField(location, 'A file needs a name or a url', file)
  return values
}

/** The interaction's files become these: an id of one of its files updates that file, others are added. */
async function writeFiles(
  db: Db,
  tenant: Tenant,
  interactionId: number,
  files: FileWrite[],
  replace: boolean,
) {
  const checked = files.map((file, i) => ({ file, values: fileColumns(file, `${BODY}.files[${i}]`) }))
  const existing = replace
    ? new Set((await repo.filesOf(db, tenant, [interactionId])).map((f) => f.id))
    : new Set()
  const keep: number[] = []
  const added = []
  for (const { file, values } of checked) {
    if (file.id != null && existing.has(file.id) && !keep.includes(file.id)) {
      keep.push(file.id)
      await repo.updateFile(db, tenant, file.id, values)
    } else added.push({ ...values, group_id: tenant.groupId, interaction_id: interactionId })
  }
  if (replace) await repo.deleteFilesExcept(db, tenant, interactionId, keep)
  if (added.length > 0) await repo.insertFiles(db, added)
}

/** A contact's interactions, newest first, with their files. */
export async function list(db: Db, tenant: Tenant, contactId: number): Promise<InteractionWire[]> {
  await requireContact(db, tenant, contactId)
  return ((await listForContacts(db, tenant, [contactId])).get(contactId) ?? []).map(interactionToWire)
}

export async function create(
  db: Db,
  tenant: Tenant,
  contactId: number,
  input: InteractionWrite,
): Promise<InteractionWire> {
  if (!input.type) {
    throw errors.invalidField(
      `${BODY}.type`,
      `An interaction needs a type: one of ${INTERACTION_TYPES.join(', ')}`,
    )
  }
  return inTransaction(db, async (trx) => {
    await touchContactOf(trx, tenant, contactId)
    const at = input.created_at ? new Date(input.created_at) : new Date()
    const { id } = await repo.insertInteraction(trx, {
      group_id: tenant.groupId,
      contact_id: contactId,
      type: input.type!,
      sub_type: input.sub_type ?? null,
      title: blank(input.title),
      comments: blank(input.comments),
      only_super_admin: input.only_super_admin ?? false,
      user_id: tenant.userId ?? null,
      created_at: at,
      updated_at: at,
    })
    await writeFiles(trx, tenant, id, input.files ?? [], false)
    const after = await loadOne(trx, tenant, contactId, id)
    await history.changed(trx, tenant, contactId, { field: 'interactions', before: null, after })
    return after
  })
}

/** PATCH: the keys sent change, the others are kept; `files`, when sent, is the new list. */
export async function update(
  db: Db,
  tenant: Tenant,
  contactId: number,
  id: number,
  input: InteractionWrite,
): Promise<InteractionWire> {
  return inTransaction(db, async (trx) => {
    await touchContactOf(trx, tenant, contactId)
    const before = await loadOne(trx, tenant, contactId, id)
    await repo.updateInteraction(trx, tenant, id, {
      ...(input.type !== undefined && { type: input.type }),
      ...(input.sub_type !== undefined && { sub_type: input.sub_type }),
      ...(input.title !== undefined && { title: blank(input.title) }),
      ...(input.comments !== undefined && { comments: blank(input.comments) }),
      ...(input.only_super_admin != null && { only_super_admin: input.only_super_admin }),
      ...(input.created_at !== undefined && { created_at: new Date(input.created_at) }),
    })
    if (input.files !== undefined) await writeFiles(trx, tenant, id, input.files ?? [], true)
    const after = await loadOne(trx, tenant, contactId, id)
    await history.changed(trx, tenant, contactId, { field: 'interactions', before, after })
    return after
  })
}

export async function remove(db: Db, tenant: Tenant, contactId: number, id: number): Promise<{ id: number }> {
  return inTransaction(db, async (trx) => {
    await touchContactOf(trx, tenant, contactId)
    const before = await loadOne(trx, tenant, contactId, id)
    await repo.deleteInteraction(trx, tenant, contactId, id)
    await history.changed(trx, tenant, contactId, { field: 'interactions', before, after: null })
    return { id }
  })
}
