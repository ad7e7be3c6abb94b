// DELETE /contacts/{id}: nothing personal remains. The contact's own rows go by cascade; what
// other modules keep about it goes too: the answers saved for Idempotency-Key replays that carry
// it (a replay of such a key then runs the request again, as for a new key) and the payloads of
// the upserts applied to it, the payloads of the rejected upserts that name the person (by id,
// mail, phone or names), and the lines of its history but for one that says who erased it and
// when. This is the one place that knows every such store.
import type { Db } from '../db/database.ts'
import { inTransaction, settleAll } from '../db/transaction.ts'
import * as history from '../history/history.service.ts'
import * as idempotency from '../idempotency/idempotency.service.ts'
import { errors } from '../shared/errors.ts'
import type { Tenant } from '../shared/tenant.ts'
import * as upsert from '../upsert/upsert.service.ts'
import * as contacts from './contacts.service.ts'

export async function eraseContact(db: Db, tenant: Tenant, id: number): Promise<{ id: number }> {
  return inTransaction(db, async (trx) => {
    const person = await contacts.deleteRow(trx, tenant, id)
    if (!person) throw errors.notFound('Contact', id)
    await settleAll([
      idempotency.forgetContact(trx, tenant, id),
      upsert.forgetContact(trx, tenant, id),
      upsert.forgetRejectedNaming(trx, tenant, person),
      history.erased(trx, tenant, id),
    ])
    return { id }
  })
}
