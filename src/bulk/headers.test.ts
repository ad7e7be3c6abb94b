import { expect, test } from 'vitest'
import { foldHeader, mapHeaders } from './headers.ts'

test('headers fold case, accents and punctuation', () => {
  expect(foldHeader(' Code_Postal ')).toBe('code postal')
  expect(foldHeader('PRÉNOM')).toBe('prenom')
  expect(foldHeader('E-mail')).toBe('e mail')
})

test('documented names, the API spellings, bare address keys, French and English names', () => {
  const cases: [string, string][] = [
    ['firstname', 'firstname'],
    ['address.city', 'address.city'],
    ['postal_code', 'address.postalcode'],
    ['city', 'address.city'],
    ['postalcode', 'address.postalcode'],
    ['Ville', 'address.city'],
    ['code postal', 'address.postalcode'],
    ['CP', 'address.postalcode'],
    ['zip', 'address.postalcode'],
    ['Nom', 'surname'],
    ['prénom', 'firstname'],
    ['Prenom', 'firstname'],
    ['First Name', 'firstname'],
    ['last_name', 'surname'],
    ['email', 'mail'],
    ['E-mail', 'mail'],
    ['Téléphone', 'phone'],
    ['portable', 'mobile'],
    ['Date de naissance', 'birthdate'],
    ['birth_city', 'birth_city'],
    ['Tags', 'tags'],
    ['CreatedAt', 'CreatedAt'],
  ]
  for (const [header, name] of cases)
    expect([header, mapHeaders([header]).columns[0]]).toEqual([header, name])
})

test('unknown headers are listed and skipped; a field named twice keeps its first column', () => {
  expect(mapHeaders(['nom', 'Favourite colour', '', 'surname', 'ville'])).toEqual({
    columns: ['surname', undefined, undefined, undefined, 'address.city'],
    unknown: ['Favourite colour'],
    repeated: ['surname'],
  })
})
