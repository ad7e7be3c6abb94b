// The indexes an import dropped and has still to build (db/pending-indexes.ts): written in the
// import's transaction, each deleted by the transaction that builds its index. Not a space's
// data: the schema's own bookkeeping, like Kysely's migration table.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table pending_index (
    name text primary key,
    statement text not null,
    position bigserial not null
  )`.execute(db)
}
