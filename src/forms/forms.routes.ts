import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { IdParamsSchema, success } from '../http/envelope.ts'
import { isCanonicalId, notFoundAt } from '../http/path-ids.ts'
import { errors } from '../shared/errors.ts'
import {
  FamilyParamsSchema,
  FormBodySchema,
  FormDeletedResponseSchema,
  FormOrFormsResponseSchema,
  FormPatchBodySchema,
  FormResponseSchema,
  FormsResponseSchema,
  IdOrTypeParamsSchema,
} from './forms.schema.ts'
import * as forms from './forms.service.ts'

const tags = ['forms']

export const formsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/forms/type/:type',
    {
      schema: {
        tags,
        summary: 'List the forms (advanced fields) of a type_of_form',
        params: FamilyParamsSchema,
        response: { 200: FormsResponseSchema },
      },
    },
    async (req) => success({ forms: await forms.listByFamily(app.db, req.tenant, req.params.type) }),
  )

  app.get(
    '/forms/:idOrType',
    {
      schema: {
        tags,
        summary: 'Read a form by id ({form}); a type instead of an id (deprecated) lists that type ({forms})',
        params: IdOrTypeParamsSchema,
        response: { 200: FormOrFormsResponseSchema },
      },
    },
    async (req) => {
      const { idOrType } = req.params
      if (isCanonicalId(idOrType)) {
        const form = await forms.findById(app.db, req.tenant, Number(idOrType))
        if (!form) throw errors.notFound('Form', idOrType)
        return success({ form })
      }
      // another spelling of a number (`003`, `0x10`, `1e1`) is no form id and no type either
      if (idOrType.trim() !== '' && !Number.isNaN(Number(idOrType))) {
        throw notFoundAt(req.url, 'idOrType', idOrType)
      }
      const family = forms.assertFamily(idOrType, 'params.idOrType')
      return success({ forms: await forms.listByFamily(app.db, req.tenant, family) })
    },
  )

  app.post(
    '/v1/forms',
    {
      schema: {
        tags,
        summary: 'Create a form (our addition; Qomon does this in its UI)',
        body: FormBodySchema,
        response: { 200: FormResponseSchema },
      },
    },
    async (req) => success({ form: await forms.create(app.db, req.tenant, req.body.data.form) }),
  )

  app.patch(
    '/v1/forms/:id',
    {
      schema: {
        tags,
        summary: 'Replace the label and refvalues of a form (refvalues matched by value keep their id)',
        params: IdParamsSchema,
        body: FormPatchBodySchema,
        response: { 200: FormResponseSchema },
      },
    },
    async (req) =>
      success({ form: await forms.update(app.db, req.tenant, req.params.id, req.body.data.form) }),
  )

  app.delete(
    '/v1/forms/:id',
    {
      schema: {
        tags,
        summary: 'Delete a form with its refvalues and every answer to it',
        params: IdParamsSchema,
        response: { 200: FormDeletedResponseSchema },
      },
    },
    async (req) => success(await forms.remove(app.db, req.tenant, req.params.id)),
  )
}
