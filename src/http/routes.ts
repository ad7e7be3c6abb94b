// Every endpoint of the API, registered in one place. Routes here need an API key or a session,
// and each has its permission in http/access.ts.
import type { FastifyInstance } from 'fastify'
import { actionsRoutes } from '../actions/actions.routes.ts'
import { sessionRoutes } from '../auth/auth.routes.ts'
import { exportRoutes } from '../bulk/export.routes.ts'
import { contactsRoutes } from '../contacts/contacts.routes.ts'
import { formsRoutes } from '../forms/forms.routes.ts'
import { historyRoutes } from '../history/history.routes.ts'
import { registerIdempotency } from '../idempotency/idempotency.hooks.ts'
import { interactionsRoutes } from '../interactions/interactions.routes.ts'
import { invitationsRoutes } from '../invitations/invitations.routes.ts'
import { notesRoutes } from '../notes/notes.routes.ts'
import { rolesRoutes } from '../roles/roles.routes.ts'
import { searchRoutes } from '../search/search.routes.ts'
import { keysRoutes } from '../spaces/keys.routes.ts'
import { tagsRoutes } from '../tags/tags.routes.ts'
import { teamsRoutes } from '../teams/teams.routes.ts'
import { upsertRoutes } from '../upsert/upsert.routes.ts'
import { usersRoutes } from '../users/users.routes.ts'

export async function apiRoutes(app: FastifyInstance): Promise<void> {
  registerIdempotency(app)
  await app.register(contactsRoutes)
  await app.register(formsRoutes)
  await app.register(upsertRoutes)
  await app.register(searchRoutes)
  await app.register(tagsRoutes)
  await app.register(notesRoutes)
  await app.register(interactionsRoutes)
  await app.register(actionsRoutes)
  await app.register(exportRoutes)
  await app.register(keysRoutes)
  await app.register(historyRoutes)
  await app.register(usersRoutes)
  await app.register(rolesRoutes)
  await app.register(invitationsRoutes)
  await app.register(teamsRoutes)
  await app.register(sessionRoutes)
}
