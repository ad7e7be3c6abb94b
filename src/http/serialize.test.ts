import fastJson from 'fast-json-stringify'
import { Type } from 'typebox'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type TestApp, testApp } from '../../test/app.ts'
import { createContact } from '../../test/fixtures.ts'
import { Nullable, Success } from './envelope.ts'
import { compileSerializer } from './serialize.ts'

const Item = Type.Object({ id: Type.Integer(), name: Nullable(Type.String()) })
const List = Success(Type.Object({ items: Type.Array(Item) }))
const text = (out: unknown) => (Buffer.isBuffer(out) ? out.toString('utf8') : (out as string))

describe('compileSerializer', () => {
  const list = compileSerializer({ schema: List })

  test('a list envelope is written item by item into a Buffer, equal to the whole-schema output', () => {
    const value = {
      status: 'success',
      data: {
        items: [
          { id: 1, name: 'Zoë O’Brien "le \\ grand"\n', extra: 'dropped' },
          { id: 2, name: null },
          { id: 3, name: '日本 👍' },
        ],
      },
    }
    const out = list(value)
    expect(Buffer.isBuffer(out)).toBe(true)
    expect(text(out)).toBe(fastJson(List as never)(value))
    expect(JSON.parse(text(out))).toEqual({
      status: 'success',
      data: {
        items: [
          { id: 1, name: 'Zoë O’Brien "le \\ grand"\n' },
          { id: 2, name: null },
          { id: 3, name: '日本 👍' },
        ],
      },
    })
  })

  test('a list that outgrows the first guess of its size, then a small one, are written whole', () => {
    // 1 to 3 bytes a character, long enough that the Buffer must grow several times
    const names = ['a', 'é', '’', '👍', '"\\']
    const items = Array.from({ length: 300 }, (_, i) => ({ id: i, name: names[i % 5]!.repeat(50 + i) }))
    const big = { status: 'success', data: { items } }
    expect(text(list(big))).toBe(fastJson(List as never)(big))
    const small = { status: 'success', data: { items: [{ id: 1, name: 'x' }] } }
    expect(text(list(small))).toBe('{"status":"success","data":{"items":[{"id":1,"name":"x"}]}}')
  })

  test('an empty list, and a value that is not a list envelope, are written as the schema says', () => {
    expect(text(list({ status: 'success', data: { items: [] } }))).toBe(
      '{"status":"success","data":{"items":[]}}',
    )
    // no list: the whole-schema serialiser decides, and refuses as it would
    expect(() => list({ status: 'success', data: {} })).toThrow(/"items" is required/)
  })

  test('other schemas keep fast-json-stringify as it is (a string)', () => {
    const one = Success(Type.Object({ item: Item }))
    const value = { status: 'success', data: { item: { id: 1, name: 'x' } } }
    expect(compileSerializer({ schema: one })(value)).toBe(
      '{"status":"success","data":{"item":{"id":1,"name":"x"}}}',
    )
    const two = Success(Type.Object({ items: Type.Array(Item), total: Type.Integer() }))
    expect(
      typeof compileSerializer({ schema: two })({ status: 'success', data: { items: [], total: 0 } }),
    ).toBe('string')
  })
})

describe('POST /search through the list serialiser', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await testApp()
  })
  afterAll(() => t.close())

  test('Content-Length counts the UTF-8 bytes of a page with multibyte names', async () => {
    const space = await t.newSpace()
    await createContact(space, { firstname: 'Zoë', surname: 'O’Brien' })
    await createContact(space, { firstname: 'Anaïs', surname: 'Lefèvre' })
    const response = await space.request({
      method: 'POST',
      url: '/search',
      payload: { data: { advanced_search: { per_page: 10 } } },
    })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toMatch(/^application\/json/)
    expect(Number(response.headers['content-length'])).toBe(response.rawPayload.length)
    const surnames = response.json().data.contacts.map((c: { surname: string }) => c.surname)
    expect(surnames.sort()).toEqual(['Lefèvre', 'O’Brien'])
  })
})
