// The hooks on a route of their own: a list answer is serialised to a Buffer (http/serialize.ts),
// and must still be stored and replayed byte for byte.
import Fastify from 'fastify'
import { Type } from 'typebox'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { testDb } from '../../test/app.ts'
import type { Connection } from '../db/connect.ts'
import { Success } from '../http/envelope.ts'
import { compileSerializer } from '../http/serialize.ts'
import * as spaces from '../spaces/spaces.service.ts'
import { registerIdempotency } from './idempotency.hooks.ts'

let conn: Connection
beforeAll(async () => {
  conn = await testDb()
})
afterAll(() => conn.db.destroy())

test('a list answer (a Buffer) is stored and replayed as it was sent', async () => {
  const space = await spaces.createSpace(conn.db, 'Idempotent lists')
  const app = Fastify()
  app.setSerializerCompiler(compileSerializer)
  app.decorate('db', conn.db)
  app.addHook('onRequest', async (request) => {
    request.tenant = { groupId: space.id, apiKeyId: 0 }
  })
  registerIdempotency(app)
  let calls = 0
  app.post(
    '/names',
    {
      config: { idempotent: true },
      schema: {
        response: { 200: Success(Type.Object({ names: Type.Array(Type.Object({ n: Type.String() })) })) },
      },
    },
    async () => ({ status: 'success', data: { names: [{ n: `Zoë ’ ${++calls}` }, { n: 'b' }] } }),
  )
  await app.ready()
  try {
    const send = () =>
      app.inject({ method: 'POST', url: '/names', payload: {}, headers: { 'idempotency-key': 'k1' } })
    const first = await send()
    const again = await send()
    expect(first.statusCode).toBe(200)
    expect(first.json()).toEqual({ status: 'success', data: { names: [{ n: 'Zoë ’ 1' }, { n: 'b' }] } })
    expect(again.headers['idempotent-replayed']).toBe('true')
    expect(again.body).toBe(first.body)
    expect(calls).toBe(1)
  } finally {
    await app.close()
  }
})
