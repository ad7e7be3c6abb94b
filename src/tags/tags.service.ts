import { createHash } from 'node:crypto'
import type { Db } from '../db/database.ts'
import { linksDiffer } from '../db/links.ts'
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

/** The named tags (trimmed, blank names dropped), each with the colour asked for, if any. */
function wantedTags(input: TagWrite[]): Map<string, string | null> {
  const wanted = new Map<string, string | null>()
  for (const tag of input) {
    const name = tag.name.trim()
    if (name) wanted.set(name, tag.color || wanted.get(name) || null)
  }
  return wanted
}

/** Finds or creates the named tags; a colour given for an existing tag replaces its colour. */
export async function ensureTags(db: Db, tenant: Tenant, input: TagWrite[]): Promise<number[]> {
  const wanted = wantedTags(input)
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
  await recolor(db, tenant, wanted, existing)
  return names.map((n) => existing.get(n)!.id)
}

/** A colour given for a tag that has another one replaces it. */
async function recolor(
  db: Db,
  tenant: Tenant,
  wanted: Map<string, string | null>,
  tags: Map<string, { id: number; color: string }>,
): Promise<void> {
  for (const [name, color] of wanted) {
    const tag = tags.get(name)!
    if (color && color !== tag.color) await repo.updateTagColor(db, tenant, tag.id, color)
  }
}

/**
 * PATCH/POST: the contact carries exactly these tags afterwards. `current` is the tags it carries
 * now, read in this transaction under the contact's row lock (so no one else changes them).
 */
export async function replaceForContact(
  db: Db,
  tenant: Tenant,
  contactId: number,
  input: TagWrite[],
  current: ContactTag[],
): Promise<void> {
  const wanted = wantedTags(input)
  const carried = new Map(current.map((t) => [t.name, t]))
  if (wanted.size === carried.size && [...wanted.keys()].every((name) => carried.has(name))) {
    // the same tags: no link changes, so no appearance_count update and no tag row to lock
    await recolor(db, tenant, wanted, carried)
    return
  }
  // The appearance_count triggers update every tag row the change touches. Taking those row
  // locks first, in id order, means two concurrent writes can no longer lock them in opposite
  // orders and deadlock (each deadlock cost PostgreSQL's 1 s deadlock_timeout before a retry).
  // The same statement finds the wanted tags and, before it locks anything, creates the missing.
  // in name order: two writes creating the same new tags wait on each other's names in one order
  const wantedList = [...wanted]
    .map(([name, color]) => ({ name, color: color ?? defaultColor(name) }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const tags = new Map(
    (await repo.lockTagsCreatingMissing(db, tenant, contactId, wantedList)).map((t) => [t.name, t]),
  )
  const missing = [...wanted.keys()].filter((name) => !tags.has(name))
  // created meanwhile by a transaction that committed after that statement began: seen (and
  // locked) by a new statement
  if (missing.length > 0) for (const t of await repo.lockTagsByName(db, tenant, missing)) tags.set(t.name, t)
  await recolor(db, tenant, wanted, tags)
  const ids = [...wanted.keys()].map((name) => tags.get(name)!.id)
  if (
    linksDiffer(
      ids,
      current.map((t) => t.id),
    )
  )
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
  await repo.addContactTags(db, tenant, contactId, ids)
}

export interface ContactTag {
  id: number
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
    list.push({
      id: row.id,
      name: row.name,
      color: row.color,
      appearance_count: Number(row.appearance_count ?? 0),
    })
    byContact.set(row.contact_id, list)
  }
  return byContact
}

export type SpaceTag = ContactTag

/** GET /v1/tags: the space's tags, each with the number of its contacts carrying it (0 included). */
export async function list(db: Db, tenant: Tenant): Promise<SpaceTag[]> {
  return (await repo.listTags(db, tenant)).map((t) => ({
    id: t.id,
    name: t.name,
    color: t.color,
    appearance_count: Number(t.appearance_count),
  }))
}
