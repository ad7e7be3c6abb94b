import { expect, test } from 'vitest'
import { generateContacts, mulberry32 } from './generate.ts'
import { prepareRow } from './rows.ts'

const forms = {
  support: { id: 1, refIds: [11, 12] },
  presence: { id: 2, refIds: [21] },
  profession: { id: 3 },
}

test('same seed → same contacts; another seed → others', () => {
  const a = [...generateContacts(500, 42, forms)]
  const b = [...generateContacts(500, 42, forms)]
  const c = [...generateContacts(500, 43, forms)]
  expect(JSON.stringify(a)).toBe(JSON.stringify(b))
  expect(JSON.stringify(a)).not.toBe(JSON.stringify(c))
  expect(mulberry32(1)()).toBe(mulberry32(1)())
})

test('contacts look French and varied: accents, hyphens, missing mails, tags, answers, notes, interactions', () => {
  const all = [...generateContacts(2000, 1, forms)]
  const names = all.map((c) => `${c.firstname} ${c.surname}`)
  expect(names.some((n) => /[éèëêàçôï]/i.test(n))).toBe(true)
  expect(names.some((n) => n.includes('-'))).toBe(true)
  const withMail = all.filter((c) => c.mail).length
  expect(withMail).toBeGreaterThan(1000)
  expect(withMail).toBeLessThan(2000)
  expect(new Set(all.map((c) => c.address?.city)).size).toBeGreaterThan(20)
  expect(all.every((c) => /^\d{5}$/.test(c.address?.postalcode ?? ''))).toBe(true)
  expect(all.some((c) => (c.tags ?? []).length > 0)).toBe(true)
  expect(all.some((c) => c.formdatas?.some((f) => f.form_id === 1))).toBe(true)
  expect(all.some((c) => c.customfields?.length)).toBe(true)
  expect(all.some((c) => c.notes?.length)).toBe(true)
  expect(all.some((c) => c.interactions?.length)).toBe(true)
  expect([...generateContacts(50, 1)].some((c) => c.formdatas)).toBe(false)
})

test('every generated contact passes the API schema and rules', () => {
  const space = {
    forms: new Map(
      [
        { id: 1, type: 'radio', refvalues: [11, 12] },
        { id: 2, type: 'radio', refvalues: [21] },
        { id: 3, type: 'text', refvalues: [31] },
      ].map((f) => [
        f.id,
        {
          id: f.id,
          label: `f${f.id}`,
          type: f.type,
          type_of_form: 'survey',
          refvalues: f.refvalues.map((id) => ({ id, form_id: f.id, label: String(id), value: String(id) })),
        },
      ]),
    ),
  }
  let line = 0
  for (const contact of generateContacts(2000, 9, forms)) {
    const row = prepareRow(contact, ++line, space)
    expect('reason' in row ? row.reason : null).toBeNull()
  }
})
