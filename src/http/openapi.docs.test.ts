// /openapi.json and /docs as a reader meets them: every route's errors, the search grammar, request
// examples that the routes really accept, and a /docs page with no hosted-service buttons.
import { expect, test } from 'vitest'
import { useApp } from '../../test/app.ts'
import { OPE_NAMES } from '../search/operators.ts'
import { EXAMPLES } from './openapi.docs.ts'

const u = useApp()
const METHODS = ['get', 'post', 'patch', 'put', 'delete']

async function doc() {
  const response = await u.t.app.inject({ method: 'GET', url: '/openapi.json' })
  return response.json()
}

test('every operation documents its error answers with the problem schema', async () => {
  const { paths, components } = await doc()
  expect(components.schemas.Problem.properties).toHaveProperty('errors')
  let operations = 0
  for (const [path, item] of Object.entries<Record<string, any>>(paths)) {
    for (const [method, operation] of Object.entries<any>(item)) {
      if (!METHODS.includes(method)) continue
      operations++
      const statuses = Object.keys(operation.responses)
      const expected = ['401', '429', '500']
      if (operation.requestBody) expected.push('400', '413', '422')
      if (path.includes('{')) expected.push('404')
      expect([method, path, statuses]).toEqual([method, path, expect.arrayContaining(expected)])
      for (const status of statuses.filter((s) => s >= '400'))
        expect(operation.responses[status].content['application/problem+json'].schema).toEqual({
          $ref: '#/components/schemas/Problem',
        })
    }
  }
  expect(operations).toBeGreaterThan(20)
})

test('the search query has a schema: groups of conditions, the operator list', async () => {
  const { paths } = await doc()
  for (const path of ['/search', '/kpi']) {
    const body = paths[path].post.requestBody.content['application/json'].schema
    const query = body.properties.data.properties.advanced_search.properties.query
    expect(Object.keys(query.properties)).toEqual(['$all', '$at_least_one'])
    const group = query.properties.$all.items
    const condition = group.properties.$at_least_one.items.properties.$condition
    expect(condition.properties.ope.enum).toEqual(OPE_NAMES)
    expect(condition.required).toEqual(['attr', 'ope'])
  }
})

test('request examples: one spelling of each field, no nulls, and each accepted by its route', async () => {
  const { paths } = await doc()
  const documented: string[] = []
  for (const [path, item] of Object.entries<Record<string, any>>(paths))
    for (const [method, operation] of Object.entries<any>(item)) {
      const example = operation.requestBody?.content?.['application/json']?.example
      if (example === undefined) continue
      documented.push(`${method} ${path}`)
      expect(JSON.stringify(example)).not.toMatch(/null|postal_code|birth_city|actions_ids|custom_fields/)
    }
  expect(documented.sort()).toEqual(Object.keys(EXAMPLES).sort())

  const send = async (key: string, url: string) => {
    const [method] = key.split(' ')
    const response = await u.space.request({
      method: method!.toUpperCase() as 'POST',
      url,
      payload: EXAMPLES[key] as object,
    })
    expect([key, response.statusCode]).toEqual([key, expect.any(Number)])
    expect([key, response.statusCode < 300, response.body.slice(0, 300)]).toEqual([
      key,
      true,
      expect.any(String),
    ])
    return response.json()
  }
  const contact = (await send('post /contacts', '/contacts')).data.contact
  await send('patch /contacts/{id}', `/contacts/${contact.id}`)
  await send('post /contacts/upsert', '/contacts/upsert')
  await send('post /search', '/search')
  await send('post /kpi', '/kpi')
  const exported = await u.space.request({
    method: 'POST',
    url: '/contacts/export',
    payload: EXAMPLES['post /contacts/export'] as object,
  })
  expect(exported.statusCode).toBe(200)
  const form = (await send('post /v1/forms', '/v1/forms')).data.form
  await send('patch /v1/forms/{id}', `/v1/forms/${form.id}`)
  const note = (await send('post /contacts/{id}/notes', `/contacts/${contact.id}/notes`)).data.note
  await send('patch /contacts/{id}/notes/{noteId}', `/contacts/${contact.id}/notes/${note.id}`)
  const interaction = (await send('post /contacts/{id}/interactions', `/contacts/${contact.id}/interactions`))
    .data.interaction
  await send(
    'patch /contacts/{id}/interactions/{interactionId}',
    `/contacts/${contact.id}/interactions/${interaction.id}`,
  )
  await send('post /v1/actions', '/v1/actions')
})

test('/docs turns off the hosted-service buttons (Ask AI, Generate MCP, developer tools)', async () => {
  const page = await u.t.app.inject({ method: 'GET', url: '/docs/' })
  expect(page.statusCode).toBe(200)
  const settings = JSON.parse(
    /createApiReference\('#app', (\{[\s\S]*?\})\)\s*<\/script>/.exec(page.body)![1]!,
  )
  expect(settings).toMatchObject({
    url: '/openapi.json',
    agent: { disabled: true },
    mcp: { disabled: true },
    showDeveloperTools: 'never',
  })
})
