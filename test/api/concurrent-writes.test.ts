// Concurrent writes that touch the same rows in different orders: each one succeeds (the rows
// are locked in one order, and a deadlock that still happens is retried), never a 500.
import { expect, test } from 'vitest'
import { useApp } from '../app.ts'
import { aForm } from '../fixtures.ts'

const u = useApp()

const shuffled = <T>(list: T[], seed: number) =>
  list
    .map((item, i) => ({ item, key: Math.sin(seed * 97 + i * 13) }))
    .sort((a, b) => a.key - b.key)
    .map((x) => x.item)

test('concurrent PATCHes of one form with its refvalues in different orders all succeed', async () => {
  const values = Array.from({ length: 12 }, (_, i) => ({ label: `Value ${i}`, value: `v${i}` }))
  const form = await aForm(u.t.conn.db, u.space.tenant, { refvalues: values })
  const responses = await Promise.all(
    Array.from({ length: 40 }, (_, i) =>
      u.space.request({
        method: 'PATCH',
        url: `/v1/forms/${form.id}`,
        payload: { data: { form: { label: form.label, refvalues: shuffled(values, i) } } },
      }),
    ),
  )
  expect(responses.map((r) => r.statusCode).filter((s) => s !== 200)).toEqual([])
  const after = (await u.space.request({ method: 'GET', url: `/forms/${form.id}` })).json().data.form
  // refvalues matched by value kept their ids
  expect(after.refvalues.map((rv: { id: number }) => rv.id).sort()).toEqual(
    form.refvalues.map((rv) => rv.id).sort(),
  )
})

test('concurrent POST /contacts sharing new tags and new action ids, in different orders, all succeed', async () => {
  const space = await u.t.newSpace()
  for (let round = 0; round < 4; round++) {
    const tags = Array.from({ length: 8 }, (_, i) => ({ name: `round ${round} tag ${i}` }))
    const actionIds = Array.from({ length: 8 }, (_, i) => 1000 * (round + 1) + i)
    const responses = await Promise.all(
      Array.from({ length: 36 }, (_, i) =>
        space.request({
          method: 'POST',
          url: '/contacts',
          payload: {
            data: {
              contact: {
                surname: `Racer ${round}-${i}`,
                tags: shuffled(tags, i),
                action_ids: shuffled(actionIds, i + 7),
              },
            },
          },
        }),
      ),
    )
    expect(responses.map((r) => r.statusCode).filter((s) => s !== 200)).toEqual([])
    const listed = (await space.request({ method: 'GET', url: '/v1/tags' })).json().data.tags
    for (const tag of tags) {
      expect(listed.find((t: { name: string }) => t.name === tag.name)?.appearance_count).toBe(36)
    }
  }
})
