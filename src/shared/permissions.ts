// The permission matrix: what each built-in role may do in its space. Every API route names the
// permission it needs (its `config.permission`, checked by one hook in http/access.ts); this table
// is the only place that says which role holds which. docs/permissions.md shows it as a table.
import type { RoleType } from '../db/database.ts'

export const PERMISSIONS = [
  'contacts.read',
  'contacts.write',
  'contacts.delete',
  'contacts.export',
  'forms.read',
  'forms.write',
  'tags.read',
  'actions.read',
  'actions.write',
  'users.read',
  'users.manage',
  'teams.read',
  'teams.write',
  'settings',
  'keys',
] as const

export type Permission = (typeof PERMISSIONS)[number]

const ALL = new Set<Permission>(PERMISSIONS)
const without = (...refused: Permission[]) => new Set(PERMISSIONS.filter((p) => !refused.includes(p)))

/**
 * superadmin: everything. admin: all but the space's settings, its API keys and contact exports.
 * manager: actions, forms and teams, no contact database. user: the contacts their scope allows,
 * and what working on them needs to read (forms, tags, actions, teams).
 */
export const ROLE_PERMISSIONS: Record<Exclude<RoleType, 'custom'>, ReadonlySet<Permission>> = {
  superadmin: ALL,
  admin: without('settings', 'keys', 'contacts.export'),
  manager: new Set<Permission>([
    'forms.read',
    'forms.write',
    'actions.read',
    'actions.write',
    'users.read',
    'teams.read',
    'teams.write',
  ]),
  user: new Set<Permission>([
    'contacts.read',
    'contacts.write',
    'forms.read',
    'tags.read',
    'actions.read',
    'teams.read',
  ]),
}

/** A role's permissions; a custom role (none is created yet) has those of `user`. */
export function permissionsOf(role: RoleType | null): ReadonlySet<Permission> {
  if (role === null) return ALL
  return role === 'custom' ? ROLE_PERMISSIONS.user : ROLE_PERMISSIONS[role]
}
