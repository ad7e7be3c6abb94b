import type { Db } from '../db/database.ts'
import { linksDiffer } from '../db/links.ts'
import { errors } from '../shared/errors.ts'
import type { Tenant } from '../shared/tenant.ts'
import { millis } from '../shared/time.ts'
import * as repo from './actions.repository.ts'
import type { Action, ActionInput } from './actions.schema.ts'

/**
 * The contact is attached to exactly these actions afterwards. Actions are made in Qomon's UI,
 * which we do not have: an id we have not seen yet creates a placeholder action ("Action 12").
 * `current` is the actions the contact has now, read under its row lock: only a difference is
 * written.
 */
export async function replaceForContact(
  db: Db,
  tenant: Tenant,
  contactId: number,
  ids: number[],
  current: number[],
): Promise<void> {
  const unique = [...new Set(ids)]
  if (!linksDiffer(unique, current)) return
  // an action being attached exists (created with the id the client named)
  await repo.ensureActions(
    db,
    tenant,
    unique.filter((id) => !current.includes(id)),
  )
  await repo.setContactActions(db, tenant, contactId, unique)
}

export async function listForContacts(
  db: Db,
  tenant: Tenant,
  contactIds: number[],
): Promise<Map<number, number[]>> {
  const byContact = new Map<number, number[]>()
  if (contactIds.length === 0) return byContact
  for (const row of await repo.listForContacts(db, tenant, contactIds)) {
    const list = byContact.get(row.contact_id) ?? []
    list.push(row.action_id)
    byContact.set(row.contact_id, list)
  }
  return byContact
}

function toAction(row: {
  id: number
  name: string
  type: string
  created_at: string
  updated_at: string
  contacts_count?: number
}): Action {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    created_at: millis(row.created_at),
    updated_at: millis(row.updated_at),
    contacts_count: Number(row.contacts_count ?? 0),
  }
}

/** GET /actions: every action of the space with its number of contacts. */
export async function list(db: Db, tenant: Tenant): Promise<Action[]> {
  return (await repo.listActions(db, tenant)).map(toAction)
}

/** POST /v1/actions and `carnet actions create`. */
export async function create(
  db: Db,
  tenant: Tenant,
  input: ActionInput,
  location = 'body.data.action',
): Promise<Action> {
  const name = input.name.trim()
  if (!name) throw errors.invalidField(`${location}.name`, 'An action needs a name', input.name)
  const type = input.type?.trim() || 'other'
  // two creations in one space at once may pick the same next id: the second one tries again
  for (let attempt = 1; ; attempt++) {
    const row = await repo.insertAction(db, tenant, { name, type })
    if (row) return toAction(row)
    if (attempt >= 100) throw errors.conflict('Too many actions created at once in this space: retry')
  }
}
