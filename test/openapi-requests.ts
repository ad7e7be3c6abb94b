// Requests built from the server's OpenAPI document, for the suites that walk every route (the
// fuzz suite, the cross-space sweep): a route added to the API is walked without editing them.
import type { FastifyInstance } from 'fastify'
import type { SpaceIds } from './space-data.ts'

/** A JSON Schema as the document holds it. */
export type JsonSchema = Record<string, any>

export interface Parameter {
  name: string
  in: 'path' | 'query' | 'header'
  schema: JsonSchema
}

export interface Operation {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'
  /** as the document spells it: /contacts/{id}/notes/{noteId} */
  path: string
  parameters: Parameter[]
  /** the schema of an application/json body, when the operation takes one */
  body?: JsonSchema
}

export function operations(app: FastifyInstance): Operation[] {
  const doc = app.swagger() as unknown as { paths: Record<string, Record<string, JsonSchema>> }
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase() as Operation['method'],
      path,
      parameters: (op.parameters ?? []) as Parameter[],
      body: op.requestBody?.content?.['application/json']?.schema,
    })),
  )
}

/** The id a path parameter takes in a space filled by `fillSpace`, by the parameter's name and route. */
export function pathValue(op: Operation, name: string, ids: SpaceIds): string {
  if (name === 'noteId') return String(ids.noteId)
  if (name === 'interactionId') return String(ids.interactionId)
  if (name === 'type') return 'survey'
  if (name === 'idOrType' || op.path.startsWith('/v1/forms/')) return String(ids.formId)
  if (op.path.startsWith('/contacts/upsert/')) return String(ids.upsertId)
  if (op.path.startsWith('/users/invitation/')) return String(ids.invitationId)
  if (op.path.startsWith('/users/')) return String(ids.userId)
  if (op.path.startsWith('/teams/')) return String(ids.teamId)
  return String(ids.id)
}

export function url(op: Operation, values: (name: string) => string, query = ''): string {
  return op.path.replace(/\{(\w+)\}/g, (_m, name: string) => values(name)) + query
}

/** Values for body fields that name objects of the space, by property name. */
export function idValues(ids: SpaceIds): Record<string, unknown> {
  return {
    form_id: ids.formId,
    form_ref_ids: [ids.refvalueId],
    action_ids: [ids.actionId],
    user_contact_id: ids.otherContactId,
    id: ids.id,
    user_id: ids.userId,
    role_id: ids.roleId,
    users: [{ id: ids.userId }],
    leaders: [{ id: ids.userId }],
    type_of_form: 'survey',
    type: 'radio',
  }
}

/**
 * A value the schema accepts, with every property present (so that each is a place to put a bad
 * value): the first type, enum value or branch; `values` overrides a property by its name.
 */
export function example(schema: JsonSchema | undefined, values: Record<string, unknown> = {}): unknown {
  if (schema?.examples?.[0] !== undefined) return withValues(schema.examples[0], values)
  // a schema that says nothing of its value (any JSON): left out
  if (!schema || !(schema.type || schema.properties || schema.anyOf || schema.oneOf || schema.enum)) {
    return undefined
  }
  const branch = schema.anyOf ?? schema.oneOf
  if (branch) return example(branch[0], values)
  if ('const' in schema) return schema.const
  if (schema.enum) return schema.enum.find((v: unknown) => v !== null && v !== '') ?? schema.enum[0]
  if ('default' in schema) return schema.default
  const types = ([] as string[]).concat(schema.type ?? 'object')
  const type = types.find((t) => t !== 'null') ?? 'null'
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {}
      for (const [key, sub] of Object.entries<JsonSchema>(schema.properties ?? {})) {
        const fits = key in values && (!sub.enum || sub.enum.includes(values[key]))
        const value = fits ? values[key] : example(sub, values)
        if (value !== undefined) out[key] = value
      }
      return out
    }
    case 'array':
      return [example(schema.items, values)].filter((v) => v !== undefined)
    case 'string':
      return exampleString(schema)
    case 'integer':
    case 'number':
      return schema.minimum !== undefined && schema.minimum > 0 ? schema.minimum : 1
    case 'boolean':
      return true
    default:
      return null
  }
}

/** A copy of a document's example with the keys of `values` (ids of the space) set to them. */
function withValues(value: unknown, values: Record<string, unknown>): unknown {
  if (Array.isArray(value)) return value.map((item) => withValues(item, values))
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, key in values ? values[key] : withValues(item, values)]),
  )
}

function exampleString(schema: JsonSchema): string {
  switch (schema.format) {
    case 'email':
      return 'fuzz@example.com'
    case 'date-time':
      return '2024-01-02T03:04:05Z'
    case 'date':
    case 'date-or-datetime':
      return '1990-01-02'
    default:
      return 'fuzz'.padEnd(schema.minLength ?? 1, 'z')
  }
}

/** Every property name the document knows: the keys the fuzz suite adds where they do not belong. */
export function vocabulary(ops: Operation[]): string[] {
  const names = new Set<string>()
  const walk = (schema: unknown): void => {
    if (schema === null || typeof schema !== 'object') return
    const props = (schema as JsonSchema).properties
    if (props) for (const key of Object.keys(props)) names.add(key)
    for (const value of Object.values(schema)) walk(value)
  }
  for (const op of ops) walk(op.body)
  return [...names].sort()
}

/** The JSON paths of every node of a value, the root included. */
export function nodePaths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out = [at]
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) out.push(...nodePaths(item, [...at, i]))
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) out.push(...nodePaths(item, [...at, key]))
  }
  return out
}

/** A copy of `value` with the node at `path` replaced (`undefined`: removed). */
export function withNode(value: unknown, path: (string | number)[], node: unknown): unknown {
  if (path.length === 0) return node
  const [head, ...rest] = path
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<
    string | number,
    unknown
  >
  const next = withNode(copy[head!], rest, node)
  if (next === undefined) {
    if (Array.isArray(copy)) copy.splice(head as number, 1)
    else delete copy[head!]
  } else copy[head!] = next
  return copy
}
