// Builders with defaults that satisfy every constraint; override what the test is about.
import type { Db } from '../src/db/database.ts'
import * as forms from '../src/forms/forms.service.ts'
import type { Tenant } from '../src/shared/tenant.ts'
import type { Space } from './app.ts'

let counter = 0

export function aContact(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter++
  return {
    firstname: 'Jeanne',
    surname: `Dupont-${counter}`,
    mail: `jeanne.${counter}@example.com`,
    ...overrides,
  }
}

/** POST /contacts through the API; returns the contact of the response. */
export async function createContact(space: Space, overrides: Record<string, unknown> = {}): Promise<any> {
  const response = await space.request({
    method: 'POST',
    url: '/contacts',
    payload: { data: { contact: aContact(overrides) } },
  })
  if (response.statusCode !== 200) throw new Error(`create failed: ${response.statusCode} ${response.body}`)
  return response.json().data.contact
}

export function aForm(db: Db, tenant: Tenant, overrides: Partial<forms.FormWrite> = {}) {
  counter++
  return forms.create(db, tenant, {
    type_of_form: 'survey',
    type: 'radio',
    label: `Question ${counter}`,
    refvalues: [
      { label: 'Yes', value: 'yes' },
      { label: 'No', value: 'no' },
      { label: 'Maybe', value: 'maybe' },
    ],
    ...overrides,
  })
}
