// `carnet actions create|list`: set up a space's actions without the API.
import { type Command, requiredInteger, UsageError } from '../cli/command.ts'
import type { Db } from '../db/database.ts'
import type { Tenant } from '../shared/tenant.ts'
import * as spaces from '../spaces/spaces.service.ts'
import * as actions from './actions.service.ts'

async function spaceTenant(db: Db, values: Record<string, unknown>): Promise<Tenant> {
  const groupId = requiredInteger(values, 'space')
  if (!(await spaces.listSpaces(db)).some((s) => s.id === groupId))
    throw new UsageError(`Space ${groupId} does not exist (carnet spaces list)`)
  return { groupId, apiKeyId: 0 }
}

export const actionCommands: Record<string, Command> = {
  'actions create': {
    usage: 'actions create --space <id> --name <text> [--type <type>]',
    summary: 'Create an action (door_to_door, call, event, …); prints its id',
    options: { space: { type: 'string' }, name: { type: 'string' }, type: { type: 'string' } },
    database: true,
    async run({ values, database }) {
      if (typeof values.name !== 'string' || !values.name.trim())
        throw new UsageError('--name <text> is required')
      const db = database!.db
      const tenant = await spaceTenant(db, values)
      const action = await actions.create(db, tenant, {
        name: values.name,
        type: values.type as string | undefined,
      })
      console.log(`Created action ${action.id}\t${action.type}\t${action.name}`)
    },
  },
  'actions list': {
    usage: 'actions list --space <id>',
    summary: "List a space's actions (id, type, name, contacts attached)",
    options: { space: { type: 'string' } },
    database: true,
    async run({ values, database }) {
      const db = database!.db
      for (const a of await actions.list(db, await spaceTenant(db, values)))
        console.log(`${a.id}\t${a.type}\t${a.name}\t${a.contacts_count} contacts`)
    },
  },
}
