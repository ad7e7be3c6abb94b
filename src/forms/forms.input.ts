// Checks on a form definition that a JSON schema cannot express, shared by the API and the
// command line: refvalue label/value defaults, duplicates, and choice forms needing values.
import { errors } from '../shared/errors.ts'
import { FREE_INPUT } from './answers.service.ts'

export interface RefvalueWrite {
  label?: string | null
  value?: string | null
}

export interface CleanRefvalue {
  label: string
  value: string
}

/**
 * The refvalues as they will be stored, in order. A missing label is the value and vice versa;
 * values are unique within the form. Free-input forms (text, numeric, date) return [] here:
 * their one refvalue is managed by the server.
 */
export function cleanRefvalues(
  type: string,
  input: RefvalueWrite[] | null | undefined,
  location: string,
): CleanRefvalue[] {
  if (FREE_INPUT.has(type)) return []
  const list = input ?? []
  const seen = new Map<string, number>()
  const result = list.map((rv, i) => {
    const value = (rv.value ?? '').trim() || (rv.label ?? '').trim()
    const label = (rv.label ?? '').trim() || value
    if (!value) {
      throw errors.invalidField(`${location}.refvalues[${i}]`, `A refvalue needs a value or a label`, rv)
    }
    if (seen.has(value)) {
      throw errors.invalidField(
        `${location}.refvalues[${i}].value`,
        `The value ${JSON.stringify(value)} is already refvalues[${seen.get(value)}]: values must be unique within a form`,
        value,
      )
    }
    seen.set(value, i)
    return { label, value }
  })
  if (result.length === 0) {
    throw errors.invalidField(
      `${location}.refvalues`,
      `A ${type} form needs at least one refvalue ({label, value}) to choose from`,
      input ?? null,
    )
  }
  return result
}

export function cleanLabel(label: string, location: string): string {
  const clean = label.trim()
  if (!clean) throw errors.invalidField(`${location}.label`, 'label must not be empty', label)
  return clean
}
