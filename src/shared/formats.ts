// The string formats of the wire schemas, written once. The API's validator (Ajv, app.ts) and
// TypeBox's (the import's rows, the upsert's records) each keep a registry of their own; both are
// filled from here.
import Format from 'typebox/format'
import { isStorableDate } from './time.ts'

// Plausible, not RFC 5322: something@something.tld, no spaces.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** An e-mail address; '' means "no e-mail". */
export const isEmail = (value: string): boolean => value === '' || EMAIL.test(value)

/** A date or a date and time both databases store as it was meant (time.ts); '' means "no date". */
export const isDateOrDatetime = (value: string): boolean => value === '' || isStorableDate(value)

/**
 * Every format by name. The upsert's are more lenient than the API's own: a record is a
 * client's export replayed, so blanks around an e-mail are ignored.
 */
export const FORMATS: Record<string, (value: string) => boolean> = {
  email: isEmail,
  'date-or-datetime': isDateOrDatetime,
  'upsert-email': (value) => isEmail(value.trim()),
  'upsert-date': isDateOrDatetime,
}

let registered = false

/** Gives TypeBox's validator the formats (its registry is global); call before compiling a schema. */
export function useFormatsInTypeBox(): void {
  if (registered) return
  for (const [name, check] of Object.entries(FORMATS)) Format.Set(name, check)
  registered = true
}
