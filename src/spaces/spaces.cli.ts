import { type Command, requiredInteger, UsageError } from '../cli/command.ts'
import type { KeyScope } from '../db/database.ts'
import * as spaces from './spaces.service.ts'

export const spaceCommands: Record<string, Command> = {
  'spaces create': {
    usage: 'spaces create --name <text>',
    summary: 'Create a space (a tenant); prints its id',
    options: { name: { type: 'string' } },
    database: true,
    async run({ values, database }) {
      const space = await spaces.createSpace(database!.db, String(values.name ?? 'Space'))
      console.log(`Created space ${space.id} (${space.name})`)
    },
  },
  'spaces list': {
    usage: 'spaces list',
    summary: 'List the spaces',
    options: {},
    database: true,
    async run({ database }) {
      for (const s of await spaces.listSpaces(database!.db))
        console.log(`${s.id}\t${s.name}\t${s.created_at}`)
    },
  },
  'keys create': {
    usage: 'keys create --space <id> [--name <text>] [--scope read|write|full] [--user <user id>]',
    summary:
      'Create an API key for a space (scope full unless told); the key is printed once and stored hashed',
    options: {
      space: { type: 'string' },
      name: { type: 'string' },
      scope: { type: 'string' },
      user: { type: 'string' },
    },
    database: true,
    async run({ values, database }) {
      const key = await spaces.createApiKey(
        database!.db,
        requiredInteger(values, 'space'),
        (values.name as string) ?? null,
        {
          scope: scopeOf(values.scope),
          userId: values.user === undefined ? null : requiredInteger(values, 'user'),
        },
      )
      const user = key.user_id === null ? '' : `, acting as user ${key.user_id}`
      console.log(
        `Created API key ${key.id} (scope ${key.scope}${user}) for space ${key.group_id}. Keep it now, it is not shown again:`,
      )
      console.log(key.key)
    },
  },
  'keys list': {
    usage: 'keys list --space <id>',
    summary: "List a space's API keys: id, prefix, scope, user, name, creation, state",
    options: { space: { type: 'string' } },
    database: true,
    async run({ values, database }) {
      for (const k of await spaces.listApiKeys(database!.db, requiredInteger(values, 'space'))) {
        const state = k.revoked_at ? `revoked ${k.revoked_at}` : 'active'
        const user = k.user_id === null ? '-' : `user ${k.user_id}`
        console.log(
          `${k.id}\t${k.key_prefix}…\t${k.scope}\t${user}\t${k.name ?? ''}\t${k.created_at}\t${state}`,
        )
      }
    },
  },
  'keys revoke': {
    usage: 'keys revoke --space <id> --id <key id>',
    summary: 'Revoke an API key; requests with it get 401 from then on',
    options: { space: { type: 'string' }, id: { type: 'string' } },
    database: true,
    async run({ values, database }) {
      await spaces.revokeApiKey(database!.db, requiredInteger(values, 'space'), requiredInteger(values, 'id'))
      console.log(`Revoked API key ${values.id}`)
    },
  },
}

function scopeOf(raw: unknown): KeyScope {
  if (raw === undefined) return 'full'
  if (!spaces.KEY_SCOPES.includes(raw as KeyScope))
    throw new UsageError(`--scope must be one of ${spaces.KEY_SCOPES.join(', ')}, got "${String(raw)}"`)
  return raw as KeyScope
}
