// What /openapi.json says beyond the routes' own schemas, added to the generated document only
// (validation and serialisation never see it): the error answers of every route, the search
// query's grammar, and realistic request examples (a French contact, one spelling of each field).
import { OPE_NAMES } from '../search/operators.ts'
import { ProblemSchema } from './envelope.ts'

const ERRORS: Record<number, string> = {
  400: 'Malformed JSON',
  401: 'Missing or unknown API key',
  404: 'No such resource in this space (or a path id that is not a canonical decimal)',
  409: 'Conflict: the Idempotency-Key is in use by a request still running, or the label is taken',
  413: 'Body larger than BODY_LIMIT',
  422: 'Invalid input: `errors[]` gives the JSON path of each field to fix and why',
  429: 'Rate limit: retry after `Retry-After` seconds',
  500: 'Server error (a bug: please report it)',
}

/** Writes that may answer 409 (Idempotency-Key, or a form label already taken). */
const CONFLICTS = new Set([
  'post /contacts',
  'patch /contacts/{id}',
  'post /contacts/upsert',
  'post /v1/forms',
  'patch /v1/forms/{id}',
  'post /contacts/{id}/notes',
  'patch /contacts/{id}/notes/{noteId}',
])

const condition = {
  type: 'object',
  required: ['attr', 'ope'],
  properties: {
    attr: {
      type: 'string',
      description: 'a contact field (`firstname`, `address.city`, `tags`, `form`, …): docs/search.md',
    },
    ope: { type: 'string', enum: OPE_NAMES },
    value: {
      description: 'text, a number, or a list of strings for any_of / none_of / all_of',
      oneOf: [
        { type: 'string' },
        { type: 'number' },
        { type: 'boolean' },
        { type: 'array', items: { type: 'string' } },
      ],
    },
    from: { type: 'string', description: 'range: the low end (included)' },
    to: { type: 'string', description: 'range: the high end (included)' },
    form_id: { type: 'integer', description: 'attr `form` or `custom_fields`: the form' },
    form_ref_ids: { type: 'array', items: { type: 'integer' }, description: 'values of that form' },
  },
  additionalProperties: false,
}

const group = {
  type: 'object',
  description: 'A group: every condition ($all) or at least one ($at_least_one). Empty = neutral.',
  minProperties: 1,
  maxProperties: 1,
  properties: Object.fromEntries(
    ['$all', '$at_least_one'].map((k) => [
      k,
      {
        type: 'array',
        items: {
          type: 'object',
          required: ['$condition'],
          properties: { $condition: condition },
          additionalProperties: false,
        },
      },
    ]),
  ),
  additionalProperties: false,
}

/** The search query: a root of groups of conditions (two levels, no more). */
export const QueryDocSchema = {
  type: 'object',
  description:
    'Root: every group ($all) or at least one ($at_least_one); a group holds conditions. ' +
    'Absent or {"$all": []} = every contact. Grammar, operators by field and examples: docs/search.md.',
  minProperties: 1,
  maxProperties: 1,
  properties: Object.fromEntries(['$all', '$at_least_one'].map((k) => [k, { type: 'array', items: group }])),
  additionalProperties: false,
}

export const CONTACT_EXAMPLE = {
  firstname: 'Camille',
  surname: 'Lefèvre',
  gender: 'F',
  birthdate: '1986-04-12',
  birthcity: 'Bourg-en-Bresse',
  nationality: 'française',
  mail: 'camille.lefevre@example.fr',
  phone: '01 42 68 53 00',
  mobile: '06 12 34 56 78',
  address: {
    housenumber: '12',
    street: 'rue des Lilas',
    postalcode: '69007',
    city: 'Lyon',
    country: 'France',
  },
  tags: [{ name: 'bénévole' }],
  notes: [{ content: 'Disponible le samedi matin pour le porte-à-porte' }],
}

const QUERY_EXAMPLE = {
  $all: [
    {
      $all: [
        { $condition: { attr: 'address.city', ope: 'eql', value: 'Lyon' } },
        { $condition: { attr: 'tags', ope: 'any_of', value: ['bénévole', 'donateur'] } },
      ],
    },
  ],
}

const FORM_EXAMPLE = {
  type_of_form: 'level_of_support',
  type: 'radio',
  label: 'Soutien',
  refvalues: [
    { label: 'Soutien fort', value: 'fort' },
    { label: 'Indécis', value: 'indecis' },
    { label: 'Opposé', value: 'oppose' },
  ],
}

/** Request examples by "<method> <path>" */
export const EXAMPLES: Record<string, unknown> = {
  'post /contacts': { data: { contact: CONTACT_EXAMPLE } },
  'patch /contacts/{id}': { data: { contact: { ...CONTACT_EXAMPLE, mobile: '07 98 76 54 32' } } },
  'post /contacts/upsert': {
    kind: 'contact',
    data: {
      mail: 'camille.lefevre@example.fr',
      firstname: 'Camille',
      surname: 'Lefèvre',
      mobile: '06 12 34 56 78',
      tags: [{ name: 'porte-à-porte' }],
    },
  },
  'post /search': {
    data: {
      advanced_search: { query: QUERY_EXAMPLE, page: 0, per_page: 100, sort_attr: 'surname', sort_asc: true },
    },
  },
  'post /kpi': { data: { advanced_search: { query: QUERY_EXAMPLE } } },
  'post /contacts/export': { data: { advanced_search: { query: QUERY_EXAMPLE } }, format: 'csv' },
  'post /v1/forms': { data: { form: FORM_EXAMPLE } },
  'patch /v1/forms/{id}': { data: { form: { ...FORM_EXAMPLE, label: 'Niveau de soutien' } } },
  'post /contacts/{id}/notes': { data: { note: { content: 'Rappeler après 18 h', pinned: true } } },
  'patch /contacts/{id}/notes/{noteId}': {
    data: { note: { content: 'Rappelée le 12 mars', pinned: false } },
  },
  'post /contacts/{id}/interactions': {
    data: {
      interaction: {
        type: 'door_to_door',
        sub_type: 'outgoing',
        title: 'Porte-à-porte Croix-Rousse',
        comments: 'Intéressée par la réunion publique',
      },
    },
  },
  'patch /contacts/{id}/interactions/{interactionId}': {
    data: {
      interaction: {
        type: 'call',
        sub_type: 'outgoing',
        title: 'Appel de relance',
        comments: 'Viendra jeudi',
      },
    },
  },
  'post /v1/actions': { data: { action: { name: 'Porte-à-porte Croix-Rousse', type: 'door_to_door' } } },
}

type Operation = {
  requestBody?: { content?: Record<string, { schema?: Record<string, unknown>; example?: unknown }> }
  responses?: Record<string, unknown>
  parameters?: { in: string }[]
}

/** The statuses an operation can answer besides its success. */
export function errorStatuses(method: string, path: string, operation: Operation): number[] {
  const statuses = [401, 429, 500]
  if (operation.requestBody) statuses.push(400, 413, 422)
  else if ((operation.parameters ?? []).some((p) => p.in === 'query')) statuses.push(422)
  if (path.includes('{')) statuses.push(404, 422)
  if (CONFLICTS.has(`${method} ${path}`)) statuses.push(409)
  return [...new Set(statuses)].sort()
}

/** Adds the problem schema, each operation's error answers, the query grammar and the examples. */
export function documentErrors(doc: Record<string, any>): Record<string, any> {
  const { $id: _id, ...problem } = JSON.parse(JSON.stringify(ProblemSchema)) as Record<string, unknown>
  doc.components = { ...doc.components, schemas: { ...doc.components?.schemas, Problem: problem } }
  for (const [path, item] of Object.entries<Record<string, Operation>>(doc.paths ?? {})) {
    for (const [method, operation] of Object.entries(item)) {
      operation.responses ??= {}
      for (const status of errorStatuses(method, path, operation))
        operation.responses[status] ??= {
          description: ERRORS[status],
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
        }
      const json = operation.requestBody?.content?.['application/json']
      if (!json) continue
      const search = json.schema as any
      const advanced = search?.properties?.data?.properties?.advanced_search
      if (advanced?.properties?.query) advanced.properties.query = QueryDocSchema
      const example = EXAMPLES[`${method} ${path}`]
      if (example !== undefined) json.example = example
    }
  }
  return doc
}
