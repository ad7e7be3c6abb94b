// Every endpoint of the API, registered in one place. Routes here need an API key.
import type { FastifyInstance } from 'fastify'
import { contactsRoutes } from '../contacts/contacts.routes.ts'

export async function apiRoutes(app: FastifyInstance): Promise<void> {
  await app.register(contactsRoutes)
}
