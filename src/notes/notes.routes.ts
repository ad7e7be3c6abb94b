import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { success } from '../http/envelope.ts'
import {
  ContactParamsSchema,
  NoteBodySchema,
  NoteDeletedResponseSchema,
  NoteParamsSchema,
  NoteResponseSchema,
  NotesResponseSchema,
} from './notes.schema.ts'
import * as notes from './notes.service.ts'

const tags = ['notes']

/** Our addition: a contact's notes one by one. A contact of another space is a 404. */
export const notesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/contacts/:id/notes',
    {
      schema: {
        tags,
        summary: "List a contact's notes",
        params: ContactParamsSchema,
        response: { 200: NotesResponseSchema },
      },
    },
    async (req) => success({ notes: await notes.list(app.db, req.tenant, req.params.id) }),
  )

  app.post(
    '/contacts/:id/notes',
    {
      schema: {
        tags,
        summary: 'Add a note to a contact (text in content or data)',
        params: ContactParamsSchema,
        body: NoteBodySchema,
        response: { 200: NoteResponseSchema },
      },
    },
    async (req) =>
      success({ note: await notes.create(app.db, req.tenant, req.params.id, req.body.data.note) }),
  )

  app.patch(
    '/contacts/:id/notes/:noteId',
    {
      schema: {
        tags,
        summary: 'Change a note: the keys sent change, the others are kept',
        params: NoteParamsSchema,
        body: NoteBodySchema,
        response: { 200: NoteResponseSchema },
      },
    },
    async (req) =>
      success({
        note: await notes.update(app.db, req.tenant, req.params.id, req.params.noteId, req.body.data.note),
      }),
  )

  app.delete(
    '/contacts/:id/notes/:noteId',
    {
      schema: {
        tags,
        summary: 'Delete a note',
        params: NoteParamsSchema,
        response: { 200: NoteDeletedResponseSchema },
      },
    },
    async (req) => success(await notes.remove(app.db, req.tenant, req.params.id, req.params.noteId)),
  )
}
