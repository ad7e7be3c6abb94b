import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { IdParamsSchema, success } from '../http/envelope.ts'
import {
  ApiKeyBodySchema,
  ApiKeyRevokedResponseSchema,
  ApiKeysResponseSchema,
  NewApiKeyResponseSchema,
} from './keys.schema.ts'
import * as spaces from './spaces.service.ts'

const tags = ['keys']
// key management needs a key of scope full (http/auth.ts)
const config = { access: 'full' as const }

/** Our addition: the space's API keys, for keys of scope `full`. */
export const keysRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/keys',
    {
      config,
      schema: {
        tags,
        summary: "List the space's API keys (revoked ones too), never the keys themselves",
        response: { 200: ApiKeysResponseSchema },
      },
    },
    async (req) => success({ keys: await spaces.listKeys(app.db, req.tenant) }),
  )

  app.post(
    '/v1/keys',
    {
      config,
      schema: {
        tags,
        summary: 'Create an API key (scope full unless told); the answer is the only time the key is shown',
        body: ApiKeyBodySchema,
        response: { 200: NewApiKeyResponseSchema },
      },
    },
    async (req) => success({ key: await spaces.createKey(app.db, req.tenant, req.body.data.key) }),
  )

  app.delete(
    '/v1/keys/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Revoke an API key: requests with it get 401 from then on',
        params: IdParamsSchema,
        response: { 200: ApiKeyRevokedResponseSchema },
      },
    },
    async (req) => {
      await spaces.revokeApiKey(app.db, req.tenant.groupId, req.params.id)
      // this process answers the revoked key's next request without waiting for the notification
      app.keys?.forgetAll()
      return success({ id: req.params.id })
    },
  )
}
