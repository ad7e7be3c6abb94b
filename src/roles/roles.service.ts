// The roles of a space. The four built-in ones (superadmin, admin, manager, user) are created with
// the space (migration 0023); custom roles are Qomon's UI's business and Carnet has none yet.
import type { Db, RoleType } from '../db/database.ts'
import { errors } from '../shared/errors.ts'
import type { Tenant } from '../shared/tenant.ts'
import * as repo from './roles.repository.ts'

export function list(db: Db, tenant: Tenant) {
  return repo.list(db, tenant.groupId)
}

/** A role of the space; 422 at `location` when the id names none. */
export async function require(db: Db, tenant: Tenant, id: number, location: string) {
  const role = await repo.find(db, tenant.groupId, id)
  if (!role) throw errors.invalidField(location, `Role ${id} does not exist in this space (GET /roles)`, id)
  return role
}

export function builtIn(db: Db, groupId: number, type: Exclude<RoleType, 'custom'>) {
  return repo.findByType(db, groupId, type)
}
