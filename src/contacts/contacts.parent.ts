// Notes and interactions are reached through their contact: a contact not in the space is a 404.
// Their writes are writes of the contact, so its `UpdatedAt` moves with them (docs/api.md, Notes).
import type { Db } from '../db/database.ts'
import { errors } from '../shared/errors.ts'
import type { Tenant } from '../shared/tenant.ts'
import { contactExists, countOfContact, touchContact } from './contacts.repository.ts'

/** Reads: 404 without the contact. */
export async function requireContact(db: Db, tenant: Tenant, contactId: number): Promise<void> {
  if (!(await contactExists(db, tenant, contactId))) throw errors.notFound('Contact', contactId)
}

/** Writes, in their transaction: 404 without the contact, else its `UpdatedAt` moves. */
export async function touchContactOf(db: Db, tenant: Tenant, contactId: number): Promise<void> {
  if (!(await touchContact(db, tenant, contactId))) throw errors.notFound('Contact', contactId)
}

/** How many rows of one of its lists (notes, tags) a contact has: for the caps of contacts.schema.ts. */
export function countOf(
  db: Db,
  tenant: Tenant,
  list: 'note' | 'contact_tag',
  contactId: number,
): Promise<number> {
  return countOfContact(db, tenant, list, contactId)
}
