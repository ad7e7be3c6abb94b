import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type TestApp, testApp } from '../../test/app.ts'
import { aForm } from '../../test/fixtures.ts'
import * as forms from './forms.service.ts'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

describe('lookups used by upsert', () => {
  test('findByIdOrLabel finds by id or label within a family, never in another space', async () => {
    const space = await t.newSpace()
    const db = t.conn.db
    const presence = await aForm(db, space.tenant, { type_of_form: 'presence_status', label: 'Presence' })
    const survey = await aForm(db, space.tenant, { type_of_form: 'survey', label: 'Presence ' + 'poll' })
    expect((await forms.findByIdOrLabel(db, space.tenant, 'presence_status', { id: presence.id }))?.id).toBe(
      presence.id,
    )
    expect(await forms.findByIdOrLabel(db, space.tenant, 'consent', { id: presence.id })).toBeUndefined()
    expect((await forms.findByIdOrLabel(db, space.tenant, null, { id: survey.id }))?.id).toBe(survey.id)
    expect(
      (await forms.findByIdOrLabel(db, space.tenant, 'presence_status', { label: 'Presence' }))?.id,
    ).toBe(presence.id)
    expect(
      (await forms.findByIdOrLabel(db, space.tenant, 'presence_status', { label: ' presence ' }))?.id,
    ).toBe(presence.id)
    expect(await forms.findByIdOrLabel(db, space.tenant, 'survey', { label: 'Presence' })).toBeUndefined()
    expect(await forms.findByIdOrLabel(db, space.tenant, 'survey', {})).toBeUndefined()
    const other = await t.newSpace()
    expect(await forms.findByIdOrLabel(db, other.tenant, null, { id: presence.id })).toBeUndefined()
    expect(await forms.findByIdOrLabel(db, other.tenant, null, { label: 'Presence' })).toBeUndefined()
  })

  test('findRefvalue matches value, then label, then either case-insensitively', async () => {
    const space = await t.newSpace()
    const form = await aForm(t.conn.db, space.tenant, {
      refvalues: [
        { label: 'Refusal', value: 'refus' },
        { label: 'Present', value: 'present' },
      ],
    })
    expect(forms.findRefvalue(form, 'refus')?.label).toBe('Refusal')
    expect(forms.findRefvalue(form, 'Refusal')?.value).toBe('refus')
    expect(forms.findRefvalue(form, 'PRESENT')?.value).toBe('present')
    expect(forms.findRefvalue(form, 'absent')).toBeUndefined()
  })
})
