// French and English: chosen from the browser, switchable, the choice kept in localStorage.
import { signal } from '@preact/signals'

const en = {
  appName: 'Carnet',
  logIn: 'Log in',
  logOut: 'Log out',
  mail: 'E-mail',
  password: 'Password',
  badLogIn: 'Wrong e-mail or password.',
  contacts: 'Contacts',
  language: 'Language',
  segment: 'Segment',
  addGroup: 'Add a group',
  addCondition: 'Add a condition',
  remove: 'Remove',
  group: 'Group',
  groupsMatch: 'Contacts must match',
  conditionsMatch: 'Conditions to match',
  all: 'all',
  atLeastOne: 'at least one',
  attribute: 'Attribute',
  operator: 'Operator',
  value: 'Value',
  count: (n: number) => `${n} contact${n === 1 ? '' : 's'}`,
  counting: 'Counting…',
  sortBy: 'Sort by',
  ascending: 'Ascending',
  previous: 'Previous',
  next: 'Next',
  page: (n: number) => `Page ${n + 1}`,
  name: 'Name',
  city: 'City',
  noContacts: 'No contact matches.',
  back: 'Back to contacts',
  edit: 'Edit',
  save: 'Save',
  cancel: 'Cancel',
  delete: 'Delete',
  fields: 'Details',
  address: 'Address',
  tags: 'Tags',
  answers: 'Form answers',
  notes: 'Notes',
  newNote: 'New note',
  addNote: 'Add the note',
  interactions: 'Interactions',
  none: 'None',
  saved: 'Saved.',
  notAllowed: 'Your role does not give access to contacts.',
  firstname: 'First name',
  surname: 'Surname',
  phone: 'Phone',
  mobile: 'Mobile',
  birthdate: 'Birth date',
  housenumber: 'Number',
  street: 'Street',
  postalcode: 'Postal code',
  country: 'Country',
}
export type Texts = typeof en

const fr: Texts = {
  appName: 'Carnet',
  logIn: 'Se connecter',
  logOut: 'Se déconnecter',
  mail: 'E-mail',
  password: 'Mot de passe',
  badLogIn: 'E-mail ou mot de passe incorrect.',
  contacts: 'Contacts',
  language: 'Langue',
  segment: 'Segment',
  addGroup: 'Ajouter un groupe',
  addCondition: 'Ajouter une condition',
  remove: 'Retirer',
  group: 'Groupe',
  groupsMatch: 'Les contacts doivent vérifier',
  conditionsMatch: 'Conditions à vérifier',
  all: 'toutes',
  atLeastOne: 'au moins une',
  attribute: 'Attribut',
  operator: 'Opérateur',
  value: 'Valeur',
  count: (n: number) => `${n} contact${n > 1 ? 's' : ''}`,
  counting: 'Comptage…',
  sortBy: 'Trier par',
  ascending: 'Croissant',
  previous: 'Précédente',
  next: 'Suivante',
  page: (n: number) => `Page ${n + 1}`,
  name: 'Nom',
  city: 'Ville',
  noContacts: 'Aucun contact ne correspond.',
  back: 'Retour aux contacts',
  edit: 'Modifier',
  save: 'Enregistrer',
  cancel: 'Annuler',
  delete: 'Supprimer',
  fields: 'Informations',
  address: 'Adresse',
  tags: 'Étiquettes',
  answers: 'Réponses aux formulaires',
  notes: 'Notes',
  newNote: 'Nouvelle note',
  addNote: 'Ajouter la note',
  interactions: 'Interactions',
  none: 'Aucune',
  saved: 'Enregistré.',
  notAllowed: 'Votre rôle ne donne pas accès aux contacts.',
  firstname: 'Prénom',
  surname: 'Nom',
  phone: 'Téléphone',
  mobile: 'Portable',
  birthdate: 'Date de naissance',
  housenumber: 'Numéro',
  street: 'Rue',
  postalcode: 'Code postal',
  country: 'Pays',
}

export type Lang = 'fr' | 'en'
const texts: Record<Lang, Texts> = { en, fr }

function initial(): Lang {
  const saved = localStorage.getItem('carnet.lang')
  if (saved === 'fr' || saved === 'en') return saved
  return navigator.language.toLowerCase().startsWith('fr') ? 'fr' : 'en'
}

export const lang = signal<Lang>(initial())

export function setLang(next: Lang): void {
  localStorage.setItem('carnet.lang', next)
  document.documentElement.lang = next
  lang.value = next
}

/** The texts of the current language (a component reading it redraws when it changes). */
export function t(): Texts {
  return texts[lang.value]
}
