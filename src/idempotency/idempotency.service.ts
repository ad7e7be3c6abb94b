// What other modules ask of the saved Idempotency-Key answers (the hooks keep them).
import type { Db } from '../db/database.ts'
import type { Tenant } from '../shared/tenant.ts'
import * as repo from './idempotency.repository.ts'

/** Forgets the saved answers that carry this contact (it is being erased). */
export async function forgetContact(db: Db, tenant: Tenant, contactId: number): Promise<void> {
  await repo.forgetContact(db, tenant, contactId)
}
