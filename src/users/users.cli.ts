import { type Command, requiredInteger, UsageError } from '../cli/command.ts'
import { loadConfig } from '../config.ts'
import type { Db } from '../db/database.ts'
import { inTransaction } from '../db/transaction.ts'
import { invite, LIFETIME_DAYS } from '../invitations/invitations.service.ts'
import * as roles from '../roles/roles.service.ts'
import { errors } from '../shared/errors.ts'
import * as spaces from '../spaces/spaces.service.ts'
import { hashPassword } from './password.ts'
import * as users from './users.service.ts'

const ROLES = ['superadmin', 'admin', 'manager', 'user'] as const
type BuiltIn = (typeof ROLES)[number]

async function readStdin(): Promise<string> {
  let text = ''
  for await (const chunk of process.stdin) text += chunk
  return text.replace(/\r?\n$/, '')
}

/**
 * A user of `groupId` with a built-in role. Without a password, an invitation for the same user
 * carries a one-time token that sets it; its token is returned.
 */
async function createUser(
  db: Db,
  groupId: number,
  input: { mail: string; role: BuiltIn; firstname: string | null; surname: string | null; password?: string },
): Promise<{ id: number; token?: string }> {
  if (!(await spaces.listSpaces(db)).some((s) => s.id === groupId)) throw errors.notFound('Space', groupId)
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password)
  const id = await inTransaction(db, async (trx) => {
    const found = await users.findByMail(trx, input.mail)
    const id = found?.id ?? (await users.createUser(trx, input.mail, passwordHash)).id
    if (found && !found.password_hash && passwordHash)
      await users.updateUser(trx, id, { password_hash: passwordHash })
    if (await users.getMember(trx, groupId, id))
      throw errors.conflict(`${input.mail} is already a user of space ${groupId}`)
    const role = await roles.builtIn(trx, groupId, input.role)
    await users.addMember(trx, groupId, id, role.id, { firstname: input.firstname, surname: input.surname })
    return id
  })
  const user = await users.findUser(db, id)
  if (user?.password_hash) return { id }
  const role = await roles.builtIn(db, groupId, input.role)
  const [made] = await invite(db, { groupId, apiKeyId: 0 }, [{ email: input.mail, role_id: role.id }], id)
  return { id, token: made!.token }
}

export const userCommands: Record<string, Command> = {
  'users create': {
    usage:
      'users create --space <id> --mail <e-mail> [--role superadmin|admin|manager|user] [--password-stdin]',
    summary: 'Add a user to a space; prints a one-time link to set the password (or reads it from stdin)',
    options: {
      space: { type: 'string' },
      mail: { type: 'string' },
      role: { type: 'string' },
      firstname: { type: 'string' },
      surname: { type: 'string' },
      'password-stdin': { type: 'boolean' },
    },
    database: true,
    async run({ values, database }) {
      const groupId = requiredInteger(values, 'space')
      const mail = typeof values.mail === 'string' ? values.mail.trim() : ''
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(mail))
        throw new UsageError('--mail <e-mail address> is required')
      const role = (values.role ?? 'user') as BuiltIn
      if (!ROLES.includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`)
      let password: string | undefined
      if (values['password-stdin']) {
        password = await readStdin()
        if (password.length < 10) throw new UsageError('The password must have at least 10 characters')
      }
      const made = await createUser(database!.db, groupId, {
        mail,
        role,
        password,
        firstname: (values.firstname as string | undefined) ?? null,
        surname: (values.surname as string | undefined) ?? null,
      })
      console.log(`Created user ${made.id} (${mail}) in space ${groupId} as ${role}.`)
      if (!made.token) return
      const config = loadConfig()
      const base = (config.publicUrl ?? `http://${config.host}:${config.port}`).replace(/\/+$/, '')
      const url = `${base}/v1/invitations/${made.token}/accept`
      console.log(`Set the password within ${LIFETIME_DAYS} days (the link works once):`)
      console.log(
        `  curl -X POST ${url} -H 'Content-Type: application/json' -d '{"data":{"password":"<at least 10 characters>"}}'`,
      )
      console.log(`Token: ${made.token}`)
    },
  },
  'users list': {
    usage: 'users list --space <id>',
    summary: 'List the users of a space with their role',
    options: { space: { type: 'string' } },
    database: true,
    async run({ values, database }) {
      const groupId = requiredInteger(values, 'space')
      const { users: list } = await users.list(database!.db, { groupId, apiKeyId: 0 }, { sort: true })
      for (const u of list)
        console.log(
          `${u.id}\t${u.mail}\t${u.role_data.type}\t${[u.firstname, u.surname].filter(Boolean).join(' ')}`,
        )
    },
  },
}
