// `carnet forms create|list`: set up a space's forms without the API (README).
import { readFile } from 'node:fs/promises'
import { Value } from 'typebox/value'
import { type Command, requiredInteger, UsageError } from '../cli/command.ts'
import type { Db } from '../db/database.ts'
import { AppError } from '../shared/errors.ts'
import type { Tenant } from '../shared/tenant.ts'
import * as spaces from '../spaces/spaces.service.ts'
import { FormInputSchema } from './forms.schema.ts'
import * as forms from './forms.service.ts'

/** The forms of a file: one form, a list, or an API body ({data:{form}} / {data:{forms}}). */
export function formsOfFile(json: unknown): unknown[] {
  const data = (json as { data?: { form?: unknown; forms?: unknown } } | null)?.data
  const body = data?.form ?? data?.forms ?? (json as { forms?: unknown } | null)?.forms ?? json
  return Array.isArray(body) ? body : [body]
}

/** Validates every form against the API's schema; the first problem names its place in the file. */
export function checkForms(list: unknown[], file: string): forms.FormWrite[] {
  for (const [i, form] of list.entries()) {
    const error = Value.Errors(FormInputSchema, form)[0]
    if (!error) continue
    const path = error.instancePath.replace(/\/(\d+)/g, '[$1]').replace(/\//g, '.')
    const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues
    throw new UsageError(
      `${file}: form [${i}]${path} ${allowed ? `must be one of ${allowed.join(', ')}` : error.message}`,
    )
  }
  return list as forms.FormWrite[]
}

async function spaceTenant(db: Db, values: Record<string, unknown>): Promise<Tenant> {
  const groupId = requiredInteger(values, 'space')
  if (!(await spaces.listSpaces(db)).some((s) => s.id === groupId))
    throw new UsageError(`Space ${groupId} does not exist (carnet spaces list)`)
  return { groupId, apiKeyId: 0 }
}

function describeForm(form: forms.FormWithValues): string {
  const values = form.refvalues.map(
    (rv) => `${rv.id}:${rv.value}${rv.label !== rv.value ? `=${rv.label}` : ''}`,
  )
  return `${form.id}\t${form.type_of_form}\t${form.type}\t${form.label}\t${values.join(', ')}`
}

export const formCommands: Record<string, Command> = {
  'forms create': {
    usage: 'forms create --space <id> --file <forms.json>',
    summary: 'Create forms from a JSON file (one form or a list; all or nothing)',
    options: { space: { type: 'string' }, file: { type: 'string' } },
    database: true,
    async run({ values, database }) {
      const file = values.file as string | undefined
      if (!file) throw new UsageError('--file <forms.json> is required')
      let json: unknown
      try {
        json = JSON.parse(await readFile(file, 'utf8'))
      } catch (error) {
        throw new UsageError(`Cannot read ${file}: ${(error as Error).message}`)
      }
      const db = database!.db
      const tenant = await spaceTenant(db, values)
      const list = checkForms(formsOfFile(json), file)
      let created: forms.FormWithValues[]
      try {
        created = await forms.createMany(db, tenant, list, (i) => `${file}[${i}]`)
      } catch (error) {
        // say where in the file: the API's messages rely on errors[].location for that
        const where = error instanceof AppError ? error.details[0]?.location : undefined
        if (where) throw new UsageError(`${where}: ${(error as Error).message}. Nothing was created.`)
        throw error
      }
      for (const form of created) console.log(`Created form ${describeForm(form)}`)
    },
  },
  'forms list': {
    usage: 'forms list --space <id> [--type <type_of_form>] [--json]',
    summary: "List a space's forms (id, type_of_form, type, label, refvalues id:value=label)",
    options: { space: { type: 'string' }, type: { type: 'string' }, json: { type: 'boolean' } },
    database: true,
    async run({ values, database }) {
      const db = database!.db
      const tenant = await spaceTenant(db, values)
      const family = values.type ? forms.assertFamily(String(values.type), '--type') : undefined
      const list = await forms.listByFamily(db, tenant, family)
      if (values.json) console.log(JSON.stringify({ forms: list }, null, 2))
      else for (const form of list) console.log(describeForm(form))
    },
  },
}
