import { createHash } from 'node:crypto'
import type { Db } from '../db/database.ts'
import type { Tenant } from '../shared/tenant.ts'
import * as repo from './tags.repository.ts'

const PALETTE = [
  '#e53935',
  '#8e24aa',
  '#3949ab',
  '#039be5',
  '#00897b',
  '#7cb342',
  '#fdd835',
  '#fb8c00',
  '#6d4c41',
  '#546e7a',
]

/** A tag with no colour given gets one picked from its name: stable across calls and servers. */
export function defaultColor(name: string): string {
  return PALETTE[createHash('sha1').update(name).digest()[0]! % PALETTE.length]!
}

export interface TagWrite {
  name: string
  color?: string | null
}

/** Finds or creates the named tags; a colour given for an existing tag replaces its colour. */
export async function ensureTags(db: Db, tenant: Tenant, input: TagWrite[]): Promise<number[]> {
  const wanted = new Map<string, string | null>()
  for (const tag of input) {
    const name = tag.name.trim()
    if (name) wanted.set(name, tag.color || wanted.get(name) || null)
  }
  if (wanted.size === 0) return []
  const names = [...wanted.keys()]
  const existing = new Map((await repo.findTagsByName(db, tenant, names)).map((t) => [t.name, t]))
  const missing = names.filter((n) => !existing.has(n))
  if (missing.length > 0) {
    await repo.insertTags(
      db,
      tenant,
      missing.map((name) => ({ name, color: wanted.get(name) ?? defaultColor(name) })),
    )
    for (const t of await repo.findTagsByName(db, tenant, missing)) existing.set(t.name, t)
  }
  for (const [name, color] of wanted) {
    const tag = existing.get(name)!
    if (color && color !== tag.color) await repo.updateTagColor(db, tenant, tag.id, color)
  }
  return names.map((n) => existing.get(n)!.id)
}

/** PATCH/POST: the contact carries exactly these tags afterwards. */
export async function replaceForContact(
  db: Db,
  tenant: Tenant,
  contactId: number,
  input: TagWrite[],
): Promise<void> {
  const ids = await ensureTags(db, tenant, input)
  // The appearance_count triggers update every tag row the change touches. Taking those row
  // locks first, in id order, means two concurrent writes can no longer lock them in opposite
  // orders and deadlock (each deadlock cost PostgreSQL's 1 s deadlock_timeout before a retry).
  await repo.lockTagsInOrder(db, tenant, contactId, ids)
  await repo.setContactTags(db, tenant, contactId, ids)
}

/** Upsert: these tags are added to the contact's tags. */
export async function addToContact(
  db: Db,
  tenant: Tenant,
  contactId: number,
  input: TagWrite[],
): Promise<void> {
  const ids = await ensureTags(db, tenant, input)
  if (ids.length > 0) await repo.addContactTags(db, tenant, contactId, ids)
}

export interface ContactTag {
  name: string
  color: string
  appearance_count: number
}

export async function listForContacts(
  db: Db,
  tenant: Tenant,
  contactIds: number[],
): Promise<Map<number, ContactTag[]>> {
  const byContact = new Map<number, ContactTag[]>()
  if (contactIds.length === 0) return byContact
  for (const row of await repo.listForContacts(db, tenant, contactIds)) {
    const list = byContact.get(row.contact_id) ?? []
    list.push({ name: row.name, color: row.color, appearance_count: Number(row.appearance_count ?? 0) })
    byContact.set(row.contact_id, list)
  }
  return byContact
}

export interface SpaceTag extends ContactTag {
  id: number
}

/** GET /v1/tags: the space's tags, each with the number of its contacts carrying it (0 included). */
export async function list(db: Db, tenant: Tenant): Promise<SpaceTag[]> {
  return (await repo.listTags(db, tenant)).map((t) => ({
    id: t.id,
    name: t.name,
    color: t.color,
    appearance_count: Number(t.appearance_count),
  }))
}
