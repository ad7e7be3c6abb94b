// The typed client: paths and shapes come from the server's own OpenAPI document (schema.d.ts is
// generated from it at every build), so the console cannot drift from the API.
import createClient from 'openapi-fetch'
import type { paths } from './schema'

// the session cookie authenticates; the header is the server's anti-CSRF check on writes
export const api = createClient<paths>({ baseUrl: '', headers: { 'X-Carnet-Console': '1' } })

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never
export type Me = Json<paths['/v1/auth/me']['get']['responses'][200]>['data']
export type Contact = Json<paths['/contacts/{id}']['get']['responses'][200]>['data']['contact']
export type ContactInput = NonNullable<
  paths['/contacts/{id}']['patch']['requestBody']
>['content']['application/json']['data']['contact']
export type SearchBody = NonNullable<paths['/search']['post']['requestBody']>['content']['application/json']
export type AdvancedSearch = SearchBody['data']['advanced_search']
export type FoundContact = Json<paths['/search']['post']['responses'][200]>['data']['contacts'][number]
export type Note = Json<paths['/contacts/{id}/notes']['get']['responses'][200]>['data']['notes'][number]
export type Interaction = Json<
  paths['/contacts/{id}/interactions']['get']['responses'][200]
>['data']['interactions'][number]

/** A problem body's errors, by location (`body.data.contact.mail` → its message). */
export function errorsByLocation(error: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  const list = (error as { errors?: { location: string; message: string }[] } | undefined)?.errors ?? []
  // the message repeats its location, which the form already shows by placing it
  for (const item of list) out[item.location] ??= item.message.replace(`${item.location} `, '')
  return out
}

export function problemDetail(error: unknown): string {
  const problem = error as { detail?: string; title?: string } | undefined
  return problem?.detail ?? problem?.title ?? String(error)
}
