// Form definitions: the advanced fields (consents, surveys, level of support, custom fields,
// presence, tasks) that give meaning to form answers.
import type { Db } from '../db/database.ts'
import type { Tenant } from '../shared/tenant.ts'
import { type FormWithValues, FREE_INPUT, loadForms } from './answers.service.ts'
import * as repo from './forms.repository.ts'

export interface FormWrite {
  type_of_form: string
  type: string
  label: string
  refvalues?: { label: string; value: string }[]
}

/** Creates a form; a free-input form (text, numeric, date) gets its one refvalue automatically. */
export async function create(db: Db, tenant: Tenant, input: FormWrite): Promise<FormWithValues> {
  return db.transaction().execute(async (trx) => {
    const form = await repo.insertForm(trx, tenant, {
      type_of_form: input.type_of_form,
      type: input.type,
      label: input.label,
    })
    const values = FREE_INPUT.has(input.type)
      ? [{ label: input.label, value: input.label }]
      : (input.refvalues ?? [])
    if (values.length > 0) await repo.insertRefvalues(trx, tenant, form.id, values)
    return (await loadForms(trx, tenant, [form.id])).get(form.id)!
  })
}
