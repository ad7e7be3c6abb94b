import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { type Space, type TestApp, testApp } from '../../test/app.ts'
import { createContact } from '../../test/fixtures.ts'

let t: TestApp
let space: Space

beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())
beforeEach(async () => {
  space = await t.newSpace()
})

async function createForm(form: Record<string, unknown>, target = space) {
  return target.request({ method: 'POST', url: '/v1/forms', payload: { data: { form } } })
}

const consent = {
  type_of_form: 'consent',
  type: 'checkbox',
  label: 'Consents',
  refvalues: [
    { label: 'E-mail', value: 'consent_email' },
    { label: 'SMS', value: 'consent_sms' },
  ],
}

describe('POST /v1/forms', () => {
  test('creates a form and answers {status, data:{form}} with its refvalues', async () => {
    const response = await createForm(consent)
    expect(response.statusCode).toBe(200)
    const { status, data } = response.json()
    expect(status).toBe('success')
    expect(data.form).toEqual({
      id: expect.any(Number),
      label: 'Consents',
      type: 'checkbox',
      type_of_form: 'consent',
      refvalues: [
        { id: expect.any(Number), form_id: data.form.id, label: 'E-mail', value: 'consent_email' },
        { id: expect.any(Number), form_id: data.form.id, label: 'SMS', value: 'consent_sms' },
      ],
    })
  })

  test('a free-input form gets one refvalue; a missing label or value is the other one', async () => {
    const job = (await createForm({ type_of_form: 'custom_fields', type: 'text', label: 'Job' })).json().data
      .form
    expect(job.refvalues).toEqual([{ id: expect.any(Number), form_id: job.id, label: 'Job', value: 'Job' }])
    const level = await createForm({
      type_of_form: 'level_of_support',
      type: 'radio',
      label: 'Support',
      refvalues: [{ value: 'supporter' }, { label: 'Donor' }],
    })
    expect(level.json().data.form.refvalues.map((rv: any) => [rv.label, rv.value])).toEqual([
      ['supporter', 'supporter'],
      ['Donor', 'Donor'],
    ])
  })

  test('labels are unique per space and type_of_form (409), case-insensitively', async () => {
    expect((await createForm(consent)).statusCode).toBe(200)
    const again = await createForm({ ...consent, label: ' consents ' })
    expect(again.statusCode).toBe(409)
    expect(again.json().errors[0].location).toBe('body.data.form.label')
    expect(again.json().detail).toMatch(/already exists/)
    expect((await createForm({ ...consent, type_of_form: 'survey' })).statusCode).toBe(200)
    expect((await createForm(consent, await t.newSpace())).statusCode).toBe(200)
  })

  test('bad input is a 422 that says where, and writes nothing', async () => {
    const badType = await createForm({ ...consent, type: 'slider' })
    expect(badType.statusCode).toBe(422)
    expect(badType.json().errors[0]).toMatchObject({ location: 'body.data.form.type' })
    const badFamily = await createForm({ ...consent, type_of_form: 'hobbies' })
    expect(badFamily.json().errors[0].message).toMatch(/consent.*survey.*tasks/)
    const noValues = await createForm({ ...consent, refvalues: [] })
    expect(noValues.statusCode).toBe(422)
    expect(noValues.json().errors[0].location).toBe('body.data.form.refvalues')
    const dup = await createForm({ ...consent, refvalues: [{ value: 'a' }, { value: 'b' }, { value: 'a' }] })
    expect(dup.statusCode).toBe(422)
    expect(dup.json().errors[0].location).toBe('body.data.form.refvalues[2].value')
    const list = await space.request({ method: 'GET', url: '/v1/forms/type/consent' })
    expect(list.json().data.forms).toEqual([])
  })
})

describe('GET /v1/forms/type/{type}, GET /forms/{id}, GET /forms/{type}', () => {
  test('lists a type, reads one by id, and the deprecated alias lists a type', async () => {
    const a = (await createForm(consent)).json().data.form
    const b = (await createForm({ ...consent, label: 'Other consents' })).json().data.form
    await createForm({ type_of_form: 'survey', type: 'date', label: 'Met on' })
    const list = await space.request({ method: 'GET', url: '/v1/forms/type/consent' })
    expect(list.statusCode).toBe(200)
    expect(list.json()).toEqual({ status: 'success', data: { forms: [a, b] } })
    const one = await space.request({ method: 'GET', url: `/forms/${a.id}` })
    expect(one.json()).toEqual({ status: 'success', data: { form: a } })
    const alias = await space.request({ method: 'GET', url: '/forms/consent' })
    expect(alias.json()).toEqual({ status: 'success', data: { forms: [a, b] } })
    const empty = await space.request({ method: 'GET', url: '/v1/forms/type/tasks' })
    expect(empty.json().data.forms).toEqual([])
  })

  test('unknown type → 422 listing the allowed ones; unknown id or another space → 404', async () => {
    for (const url of ['/v1/forms/type/hobbies', '/forms/hobbies']) {
      const response = await space.request({ method: 'GET', url })
      expect(response.statusCode).toBe(422)
      expect(response.json().detail).toMatch(
        /consent.*survey.*level_of_support.*custom_fields.*presence_status.*tasks/,
      )
    }
    expect((await space.request({ method: 'GET', url: '/forms/999999999' })).statusCode).toBe(404)
    const theirs = (await createForm(consent, await t.newSpace())).json().data.form
    expect((await space.request({ method: 'GET', url: `/forms/${theirs.id}` })).statusCode).toBe(404)
    expect(
      (
        await space.request({
          method: 'PATCH',
          url: `/v1/forms/${theirs.id}`,
          payload: { data: { form: { label: 'x' } } },
        })
      ).statusCode,
    ).toBe(404)
    expect((await space.request({ method: 'DELETE', url: `/v1/forms/${theirs.id}` })).statusCode).toBe(404)
  })
})

describe('PATCH /v1/forms/{id}', () => {
  test('replaces label and refvalues; values kept by value keep their id', async () => {
    const form = (await createForm(consent)).json().data.form
    const [email, sms] = form.refvalues
    const response = await space.request({
      method: 'PATCH',
      url: `/v1/forms/${form.id}`,
      payload: {
        data: {
          form: {
            ...form,
            label: 'Channels',
            refvalues: [
              { label: 'Phone', value: 'consent_phone' },
              { ...sms, label: 'Text message' },
            ],
          },
        },
      },
    })
    expect(response.statusCode).toBe(200)
    const patched = response.json().data.form
    expect(patched.label).toBe('Channels')
    expect(patched.refvalues.map((rv: any) => [rv.label, rv.value])).toEqual([
      ['Phone', 'consent_phone'],
      ['Text message', 'consent_sms'],
    ])
    expect(patched.refvalues[1].id).toBe(sms.id)
    expect(patched.refvalues.map((rv: any) => rv.id)).not.toContain(email.id)
    const read = await space.request({ method: 'GET', url: `/forms/${form.id}` })
    expect(read.json().data.form).toEqual(patched)
  })

  test('answers whose refvalue disappears are soft-deleted; other answers stay', async () => {
    const form = (await createForm(consent)).json().data.form
    const [email, sms] = form.refvalues
    const contact = await createContact(space, {
      formdatas: [
        { form_id: form.id, form_ref_id: email.id, data: 'consent_email' },
        { form_id: form.id, form_ref_id: sms.id, data: 'consent_sms' },
      ],
    })
    expect(contact.formdatas).toHaveLength(2)
    const patch = await space.request({
      method: 'PATCH',
      url: `/v1/forms/${form.id}`,
      payload: { data: { form: { label: 'Consents', refvalues: [sms] } } },
    })
    expect(patch.statusCode).toBe(200)
    const after = (await space.request({ method: 'GET', url: `/contacts/${contact.id}` })).json().data.contact
    expect(after.formdatas.map((f: any) => f.form_ref_id)).toEqual([sms.id])
    const history = await t.conn.db
      .selectFrom('form_data')
      .select(['form_ref_id', 'deleted_at'])
      .where('group_id', '=', space.groupId)
      .where('contact_id', '=', contact.id)
      .orderBy('id')
      .execute()
    expect(history.map((h) => [h.form_ref_id, h.deleted_at !== null])).toEqual([
      [email.id, true],
      [sms.id, false],
    ])
  })

  test('type and type_of_form cannot change; a taken label is a 409; nothing is written', async () => {
    const form = (await createForm(consent)).json().data.form
    await createForm({ ...consent, label: 'Taken' })
    const retype = await space.request({
      method: 'PATCH',
      url: `/v1/forms/${form.id}`,
      payload: { data: { form: { ...form, type: 'radio', label: 'New' } } },
    })
    expect(retype.statusCode).toBe(422)
    expect(retype.json().errors[0].location).toBe('body.data.form.type')
    const taken = await space.request({
      method: 'PATCH',
      url: `/v1/forms/${form.id}`,
      payload: { data: { form: { label: 'taken', refvalues: [] } } },
    })
    expect(taken.statusCode).toBe(409)
    const read = await space.request({ method: 'GET', url: `/forms/${form.id}` })
    expect(read.json().data.form).toEqual(form)
  })

  test('a free-input form keeps its one refvalue, renamed with the form', async () => {
    const job = (await createForm({ type_of_form: 'custom_fields', type: 'text', label: 'Job' })).json().data
      .form
    const response = await space.request({
      method: 'PATCH',
      url: `/v1/forms/${job.id}`,
      payload: { data: { form: { label: 'Occupation' } } },
    })
    expect(response.json().data.form.refvalues).toEqual([
      { id: job.refvalues[0].id, form_id: job.id, label: 'Occupation', value: 'Occupation' },
    ])
  })
})

describe('DELETE /v1/forms/{id}', () => {
  test('deletes the form and its answers; a second delete is a 404', async () => {
    const form = (await createForm(consent)).json().data.form
    const contact = await createContact(space, {
      formdatas: [{ form_id: form.id, form_ref_id: form.refvalues[0].id }],
    })
    const response = await space.request({ method: 'DELETE', url: `/v1/forms/${form.id}` })
    expect(response.json()).toEqual({ status: 'success', data: { id: form.id } })
    expect((await space.request({ method: 'GET', url: `/forms/${form.id}` })).statusCode).toBe(404)
    const after = (await space.request({ method: 'GET', url: `/contacts/${contact.id}` })).json().data.contact
    expect(after.formdatas).toEqual([])
    expect((await space.request({ method: 'DELETE', url: `/v1/forms/${form.id}` })).statusCode).toBe(404)
  })
})
