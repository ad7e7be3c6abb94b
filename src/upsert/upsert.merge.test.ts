// Merge rules of docs/api.md (Upsert) through the HTTP API and the worker.
import { describe, expect, test } from 'vitest'
import { aForm, createContact } from '../../test/fixtures.ts'
import { getContact, upsert, useWorkerApp } from '../../test/upsert.ts'

const u = useWorkerApp()

const run = (data: unknown) => upsert(u.app, u.space.key, data)
const read = (id: number) => getContact(u.app, u.space.key, id)

describe('merge', () => {
  test('action_ids follow the rule of any field: a list replaces, empty or absent leaves, null clears', async () => {
    const c = await createContact(u.space, { surname: 'Actions', action_ids: [1, 2] })
    const actionsAfter = async (data: object) => {
      expect(await run({ id: c.id, ...data })).toMatchObject({ status: 'done' })
      return (await read(c.id)).action_ids
    }
    expect(await actionsAfter({ action_ids: [3] })).toEqual([3])
    expect(await actionsAfter({ action_ids: [] })).toEqual([3])
    expect(await actionsAfter({ firstname: 'Absent' })).toEqual([3])
    expect(await actionsAfter({ actions_ids: [2, 4] })).toEqual([2, 4])
    expect(await actionsAfter({ action_ids: null })).toEqual([])
  })

  test('present replaces, absent and "" leave, null clears; lastchange stays, UpdatedAt moves', async () => {
    const c = await createContact(u.space, {
      firstname: 'Ana',
      surname: 'Lima',
      phone: '0101',
      mobile: '0606',
      nationality: 'BR',
      address: { city: 'Recife', street: 'Rua 1' },
    })
    const r = await run({
      id: c.id,
      firstname: 'Anna',
      phone: '',
      mobile: null,
      address: { city: null, postalcode: 50000 },
    })
    expect(r).toMatchObject({ status: 'done', rule: 'id' })
    const after = await read(c.id)
    expect(after).toMatchObject({
      firstname: 'Anna',
      surname: 'Lima',
      phone: '0101',
      mobile: null,
      nationality: 'BR',
    })
    expect(after.address).toMatchObject({ city: null, street: 'Rua 1', postalcode: '50000' })
    expect(after.lastchange).toBe(c.lastchange)
    expect(after.UpdatedAt > c.UpdatedAt).toBe(true)
  })

  test('tags are added; notes with an id update it, without one are appended', async () => {
    const c = await createContact(u.space, { tags: [{ name: 'a' }], notes: [{ content: 'first' }] })
    const noteId = c.notes[0].id
    await run({
      id: c.id,
      tags: [{ name: 'b' }],
      notes: [{ id: noteId, content: 'first, edited' }, { content: 'second' }],
    })
    const after = await read(c.id)
    expect(after.tags.map((tag: { name: string }) => tag.name).sort()).toEqual(['a', 'b'])
    expect(after.notes.map((n: { id: number; content: string }) => [n.id === noteId, n.content])).toEqual([
      [true, 'first, edited'],
      [false, 'second'],
    ])
  })

  test('radio replaces, checkbox adds, text accumulates; forms by id or label, values by value or label', async () => {
    const db = u.t.conn.db
    const support = await aForm(db, u.space.tenant, {
      type_of_form: 'level_of_support',
      label: 'Soutien',
      refvalues: [
        { label: 'Supporter', value: 'supporter' },
        { label: 'Donor', value: 'donor' },
      ],
    })
    const consent = await aForm(db, u.space.tenant, {
      type_of_form: 'consent',
      type: 'checkbox',
      label: 'Consents',
      refvalues: [
        { label: 'E-mail', value: 'consent_email' },
        { label: 'SMS', value: 'consent_sms' },
      ],
    })
    const job = await aForm(db, u.space.tenant, { type_of_form: 'custom_fields', type: 'text', label: 'Job' })
    const c = await createContact(u.space)
    await run({
      id: c.id,
      status: [{ id: support.id, value: 'supporter' }],
      consents: [{ label: 'Consents', value: 'consent_email' }],
      custom_fields: [{ label: 'Job', value: 'Baker' }],
    })
    await run({
      id: c.id,
      status: [{ label: 'Soutien', value: 'Donor' }],
      consents: [{ id: consent.id, value: 'SMS' }],
      custom_fields: [{ id: job.id, value: 'Cook' }],
    })
    const after = await read(c.id)
    const dataOf = (list: { form_id: number; data: string }[], formId: number) =>
      list
        .filter((a) => a.form_id === formId)
        .map((a) => a.data)
        .sort()
    expect(dataOf(after.formdatas, support.id)).toEqual(['donor'])
    expect(dataOf(after.formdatas, consent.id)).toEqual(['consent_email', 'consent_sms'])
    expect(dataOf(after.customfields, job.id)).toEqual(['Baker', 'Cook'])
  })

  test('name_presences and presence_status both write the presence form', async () => {
    const presence = await aForm(u.t.conn.db, u.space.tenant, {
      type_of_form: 'presence_status',
      label: 'Presence',
      refvalues: [
        { label: 'Present', value: 'present' },
        { label: 'Absent', value: 'absent' },
      ],
    })
    const c = await createContact(u.space)
    await run({ id: c.id, name_presences: [{ id: presence.id, value: 'present' }] })
    expect((await read(c.id)).formdatas.map((a: { data: string }) => a.data)).toEqual(['present'])
    await run({ id: c.id, presence_status: [{ label: 'Presence', value: 'absent' }] })
    expect((await read(c.id)).formdatas.map((a: { data: string }) => a.data)).toEqual(['absent'])
  })

  test('an answer may carry a date: accepted and ignored (the answer is stamped with the write); a contact-level unknown key still rejects', async () => {
    const presence = await aForm(u.t.conn.db, u.space.tenant, {
      type_of_form: 'presence_status',
      label: 'Presence dated',
      refvalues: [{ label: 'Present', value: 'present' }],
    })
    const c = await createContact(u.space)
    const before = Date.now()
    const receipt = await run({
      id: c.id,
      name_presences: [{ id: presence.id, value: 'present', date: '2020-01-01T00:00:00Z' }],
    })
    expect(receipt).toMatchObject({ status: 'done', reason: null })
    const [answer] = (await read(c.id)).formdatas
    expect(answer.data).toBe('present')
    expect(Date.parse(answer.date)).toBeGreaterThanOrEqual(before - 1000)
    const rejected = await run({ id: c.id, date: '2020-01-01T00:00:00Z' })
    expect(rejected).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(/unknown key data\.date/),
    })
  })
})
