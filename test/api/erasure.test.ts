// DELETE /contacts/{id}: nothing personal remains (docs/api.md, Contacts), also outside the contact's
// own tables: the answers saved for Idempotency-Key replays that carry it, and the payloads of
// the upserts applied to it. Another contact's are kept.
import { expect, test } from 'vitest'
import { as, upsert, useWorkerApp } from '../upsert.ts'

const u = useWorkerApp()

const write = (method: 'POST' | 'PATCH', url: string, contact: object, key: string) =>
  as(u.app, u.space.key, { method, url, payload: { data: { contact } }, headers: { 'idempotency-key': key } })

test('deleting a contact erases its saved answers and its upserts’ payloads, and only those', async () => {
  const erased = (await write('POST', '/contacts', { surname: 'Erasable' }, 'create-erased')).json().data
    .contact
  const patched = await write(
    'PATCH',
    `/contacts/${erased.id}`,
    { surname: 'Erasable', firstname: 'Jo' },
    'patch-erased',
  )
  expect(patched.statusCode).toBe(200)
  const erasedUpsert = await upsert(u.app, u.space.key, { id: erased.id, mail: 'erasable@example.com' })
  expect(erasedUpsert).toMatchObject({ status: 'done', contact_id: erased.id })
  const kept = (await write('POST', '/contacts', { surname: 'Keepable' }, 'create-kept')).json().data.contact
  expect(await upsert(u.app, u.space.key, { id: kept.id, mail: 'keepable@example.com' })).toMatchObject({
    status: 'done',
  })

  const deleted = await as(u.app, u.space.key, { method: 'DELETE', url: `/contacts/${erased.id}` })
  expect(deleted.statusCode).toBe(200)

  const db = u.t.conn.db
  const answers = await db
    .selectFrom('idempotency_key')
    .select(['key', 'response_body'])
    .where('group_id', '=', u.space.groupId)
    .orderBy('key')
    .execute()
  expect(answers.map((a) => a.key)).toEqual(['create-kept'])
  expect(answers[0]!.response_body).toContain('Keepable')
  const jobs = await db
    .selectFrom('upsert_job')
    .select(['contact_id', 'payload', 'status'])
    .where('group_id', '=', u.space.groupId)
    .orderBy('id')
    .execute()
  expect(jobs.map((j) => [j.contact_id, j.status])).toEqual([
    [erased.id, 'done'],
    [kept.id, 'done'],
  ])
  expect(JSON.stringify(jobs[0]!.payload)).not.toContain('erasable')
  expect(JSON.stringify(jobs[1]!.payload)).toContain('keepable@example.com')
  // the receipt of the erased contact's upsert still answers
  const receipt = await as(u.app, u.space.key, { method: 'GET', url: `/contacts/upsert/${erasedUpsert.id}` })
  expect(receipt.json().data.upsert).toMatchObject({ status: 'done', contact_id: erased.id })

  // the key of the erased contact's creation is free again: a replay runs the request anew
  const again = await write('POST', '/contacts', { surname: 'Erasable' }, 'create-erased')
  expect(again.statusCode).toBe(200)
  expect(again.headers['idempotent-replayed']).toBeUndefined()
  expect(again.json().data.contact.id).not.toBe(erased.id)
})

test('rejected upserts that name the person (id, mail, phone, names) lose their payload; others keep it', async () => {
  const person = (
    await write(
      'POST',
      '/contacts',
      { surname: 'Éffacée', firstname: 'Ana', mail: 'ana@example.com', mobile: '+33600000001' },
      'create-person',
    )
  ).json().data.contact
  const rejectedFor = async (data: object) => {
    const receipt = await upsert(u.app, u.space.key, data)
    expect(receipt.status, JSON.stringify(receipt)).toBe('rejected')
    return receipt.id
  }
  const naming = [
    await rejectedFor({ id: person.id, notes: [{ content: 'private note' }], planet: 'Mars' }),
    await rejectedFor({ mail: ' ANA@example.com ', notes: [{ content: 'private note' }], planet: 'Mars' }),
    await rejectedFor({ phone: '+33600000001', surname: 'Other', planet: 'Mars' }),
    await rejectedFor({ surname: 'effacee', firstname: ' ana ', planet: 'Mars' }),
  ]
  const others = [
    await rejectedFor({ mail: 'someone@example.com', planet: 'Mars' }),
    await rejectedFor({ surname: 'Effacée', firstname: 'Bea', planet: 'Mars' }),
  ]
  const deleted = await as(u.app, u.space.key, { method: 'DELETE', url: `/contacts/${person.id}` })
  expect(deleted.statusCode).toBe(200)
  const jobs = await u.t.conn.db
    .selectFrom('upsert_job')
    .select(['id', 'payload', 'status', 'reason'])
    .where('group_id', '=', u.space.groupId)
    .where('id', 'in', [...naming, ...others])
    .orderBy('id')
    .execute()
  const payloadOf = (id: number) => JSON.stringify(jobs.find((j) => j.id === id)!.payload)
  for (const id of naming) expect(payloadOf(id)).toBe('{}')
  expect(payloadOf(others[0]!)).toContain('someone@example.com')
  expect(payloadOf(others[1]!)).toContain('Bea')
  // no reason quotes a personal value either, and the receipts still answer
  expect(jobs.every((j) => j.status === 'rejected' && !/ana@|Ana|private/i.test(j.reason ?? ''))).toBe(true)
})
