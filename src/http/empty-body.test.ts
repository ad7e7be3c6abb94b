// An empty body is no body, whatever its Content-Type (clients send application/json everywhere).
import { expect, test } from 'vitest'
import { useApp } from '../../test/app.ts'
import { createContact } from '../../test/fixtures.ts'

const u = useApp()

test('DELETE and GET with Content-Type: application/json and no body are answered as without it', async () => {
  const contact = await createContact(u.space)
  for (const type of [
    'application/json',
    'application/json; charset=utf-8',
    'text/plain',
    'application/x-www-form-urlencoded',
  ]) {
    const read = await u.space.request({
      method: 'GET',
      url: `/contacts/${contact.id}`,
      headers: { 'content-type': type },
    })
    expect(read.statusCode, type).toBe(200)
  }
  const removed = await u.space.request({
    method: 'DELETE',
    url: `/contacts/${contact.id}`,
    headers: { 'content-type': 'application/json' },
    payload: '',
  })
  expect(removed.statusCode, removed.body).toBe(200)
  expect(removed.json()).toEqual({ status: 'success', data: { id: contact.id } })
  const again = await u.space.request({
    method: 'DELETE',
    url: `/contacts/${contact.id}`,
    headers: { 'content-type': 'text/plain' },
    payload: '',
  })
  expect(again.statusCode, again.body).toBe(404)
})

test('a POST whose body is required gets the same answer for an empty body as for no body', async () => {
  const missing = await u.space.request({ method: 'POST', url: '/contacts' })
  const empty = await u.space.request({
    method: 'POST',
    url: '/contacts',
    headers: { 'content-type': 'application/json' },
    payload: '',
  })
  expect(missing.statusCode).toBe(422)
  expect(empty.statusCode).toBe(missing.statusCode)
  expect(empty.json()).toEqual(missing.json())
})

test('a body that is not empty is still parsed, and malformed JSON is still a 400', async () => {
  const bad = await u.space.request({
    method: 'POST',
    url: '/contacts',
    headers: { 'content-type': 'application/json' },
    payload: '{"data":',
  })
  expect(bad.statusCode).toBe(400)
  expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/)
  const created = await u.space.request({
    method: 'POST',
    url: '/contacts',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ data: { contact: { surname: 'Body' } } }),
  })
  expect(created.statusCode).toBe(200)
})
