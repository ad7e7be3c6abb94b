import { sql } from 'kysely'
import type { ContactChangeTable, Db } from '../db/database.ts'
import type { Tenant } from '../shared/tenant.ts'
import type { Change } from './history.changes.ts'

const columns = [
  'id',
  'contact_id',
  'at',
  'action',
  'channel',
  'route',
  'api_key_id',
  'user_id',
  'changes',
] as const

/** Who wrote, as the tenant says: the key, the user, the channel and the route. */
function authorOf(tenant: Tenant) {
  return {
    api_key_id: tenant.apiKeyId > 0 ? tenant.apiKeyId : null,
    user_id: tenant.userId ?? null,
    channel: tenant.channel ?? 'api',
    route: tenant.route ?? null,
  }
}

export async function insertChange(
  db: Db,
  tenant: Tenant,
  contactId: number,
  action: ContactChangeTable['action'],
  changes: Change[] | null,
): Promise<void> {
  await db
    .insertInto('contact_change')
    .values({
      group_id: tenant.groupId,
      contact_id: contactId,
      action,
      ...authorOf(tenant),
      changes: changes === null ? null : JSON.stringify(changes),
    })
    .execute()
}

/**
 * The line of an update whose lists are compared by the database: `rowChanges` are the row's
 * changed fields, `listsBefore` the lists as they were (history.changes `listFields`); the
 * lists as they are now are read by this statement, in the compact form of `listFields`, and
 * only those that differ (as jsonb) are added. So the line needs no read of the contact first,
 * and goes out together with the write's last statements.
 */
export async function insertUpdateComparingLists(
  db: Db,
  tenant: Tenant,
  contactId: number,
  rowChanges: Change[],
  listsBefore: Record<string, unknown>,
): Promise<void> {
  const g = tenant.groupId
  const author = authorOf(tenant)
  const before = JSON.stringify(listsBefore)
  const empty = sql`'[]'::jsonb`
  await sql`
    insert into contact_change (group_id, contact_id, action, channel, route, api_key_id, user_id, changes)
    select ${g}, ${contactId}, 'updated', ${author.channel}, ${author.route}, ${author.api_key_id},
      ${author.user_id}, ${JSON.stringify(rowChanges)}::jsonb || coalesce((
        select jsonb_agg(jsonb_build_object('field', now.key, 'before', ${before}::jsonb -> now.key,
                                            'after', now.value) order by now.key)
        from jsonb_each(jsonb_build_object(
          'tags', (select coalesce(jsonb_agg(t.name order by t.name), ${empty}) from contact_tag ct
                   join tag t on t.group_id = ct.group_id and t.id = ct.tag_id
                   where ct.group_id = ${g} and ct.contact_id = ${contactId}),
          'action_ids', (select coalesce(jsonb_agg(ca.action_id order by ca.action_id), ${empty})
                         from contact_action ca where ca.group_id = ${g} and ca.contact_id = ${contactId}),
          'formdatas', (select coalesce(jsonb_agg(jsonb_build_object('id', fd.id, 'form_id', fd.form_id,
                          'form_ref_id', fd.form_ref_id, 'data', fd.data) order by fd.id), ${empty})
                        from form_data fd join form f on f.group_id = fd.group_id and f.id = fd.form_id
                        where fd.group_id = ${g} and fd.contact_id = ${contactId} and fd.deleted_at is null
                          and f.type_of_form <> 'custom_fields'),
          'customfields', (select coalesce(jsonb_agg(jsonb_build_object('id', fd.id, 'form_id', fd.form_id,
                             'form_ref_id', fd.form_ref_id, 'data', fd.data) order by fd.id), ${empty})
                           from form_data fd join form f on f.group_id = fd.group_id and f.id = fd.form_id
                           where fd.group_id = ${g} and fd.contact_id = ${contactId} and fd.deleted_at is null
                             and f.type_of_form = 'custom_fields'),
          'notes', (select coalesce(jsonb_agg(jsonb_build_object('id', n.id, 'content', n.data,
                      'pinned', n.pinned) order by n.id), ${empty})
                    from note n where n.group_id = ${g} and n.contact_id = ${contactId})
        )) now
        where now.value is distinct from ${before}::jsonb -> now.key
      ), ${empty})`.execute(db)
}

/** The author columns of `tenant`, for rows written in bulk (the import). */
export const authorColumns = authorOf

/** A contact's changes, newest first. */
export function listChanges(db: Db, tenant: Tenant, contactId: number, limit: number, offset: number) {
  return db
    .selectFrom('contact_change')
    .select(columns)
    .where('group_id', '=', tenant.groupId)
    .where('contact_id', '=', contactId)
    .orderBy('id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute()
}

export async function deleteChanges(db: Db, tenant: Tenant, contactId: number): Promise<void> {
  await db
    .deleteFrom('contact_change')
    .where('group_id', '=', tenant.groupId)
    .where('contact_id', '=', contactId)
    .execute()
}
