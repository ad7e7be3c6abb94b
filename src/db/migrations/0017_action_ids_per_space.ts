// Action ids are allocated per space (actions.repository insertAction), not by one identity
// sequence all spaces share: a space naming action 2147483647 used to move that sequence for
// every space, whose next action then got an id no route accepts. The identity goes, so nothing
// can draw from the shared sequence again; existing ids stay as they are.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table action alter column id drop identity if exists`.execute(db)
}
