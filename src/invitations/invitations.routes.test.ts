import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type Space, type TestApp, testApp } from '../../test/app.ts'
import { aPerson, logIn, PASSWORD } from '../../test/people.ts'

let t: TestApp
let space: Space
beforeAll(async () => {
  t = await testApp()
  space = await t.newSpace('Campagne 2027')
})
afterAll(() => t.close())

let counter = 0
const newMail = () => `invitee.${++counter}.${process.pid}@example.com`

async function invite(s: Space, invitations: Record<string, unknown>[]) {
  return s.request({ method: 'POST', url: '/users/invitation', payload: { data: { invitations } } })
}

const tokenOf = (url: string) => /\/v1\/invitations\/([\w-]+)\/accept$/.exec(url)![1]!

function accept(token: string, data: Record<string, unknown>) {
  return t.app.inject({ method: 'POST', url: `/v1/invitations/${token}/accept`, payload: { data } })
}

describe('POST /users/invitation without SMTP_URL', () => {
  test('answers 201 in the documented shape, role user by default, with the accept link for the inviter', async () => {
    const mail = newMail()
    const response = await invite(space, [{ email: mail }])
    expect(response.statusCode).toBe(201)
    const body = response.json()
    expect(body.status).toBe('success')
    expect(body.data.msg).toBe('invitations created successfully')
    const [invitation] = body.data.invitations
    expect(invitation).toMatchObject({
      group_id: space.groupId,
      email: mail,
      mobile_phone: null,
      user_id: null,
      last_sent: null,
      accepted_at: null,
    })
    expect(invitation.role).toMatchObject({ name: 'Champ', order: 4 })
    expect(invitation.role_id).toBe(invitation.role.id)
    expect(Date.parse(invitation.expires_at) - Date.now()).toBeGreaterThan(6.9 * 86_400_000)
    expect(invitation.accept_url).toMatch(/^http:\/\/localhost(:\d+)?\/v1\/invitations\/[\w-]{40,}\/accept$/)
    const listed = (await space.request({ method: 'GET', url: '/users/invitation' })).json().data.invitations
    const again = listed.find((i: { id: number }) => i.id === invitation.id)
    const { accept_url: _, ...stored } = invitation
    expect(again).toEqual(stored)
  })

  test('a role of another space, or an e-mail already a user here, is a 422 and nothing is created', async () => {
    const member = await aPerson(t, space)
    const foreignRole = (await (await t.newSpace()).request({ method: 'GET', url: '/roles' })).json().data
      .roles[0].id
    const before = (await space.request({ method: 'GET', url: '/users/invitation' })).json().data.invitations
      .length
    const badRole = await invite(space, [{ email: newMail() }, { email: newMail(), role_id: foreignRole }])
    expect(badRole.statusCode).toBe(422)
    expect(badRole.json().errors[0].location).toBe('body.data.invitations[1].role_id')
    const already = await invite(space, [{ email: member.mail.toUpperCase() }])
    expect(already.statusCode).toBe(422)
    expect(already.json().errors[0].location).toBe('body.data.invitations[0].email')
    const after = (await space.request({ method: 'GET', url: '/users/invitation' })).json().data.invitations
      .length
    expect(after).toBe(before)
  })
})

describe('accepting', () => {
  test('creates the user with the password and names, in the role invited; the token works once', async () => {
    const mail = newMail()
    const roles = (await space.request({ method: 'GET', url: '/roles' })).json().data.roles
    const manager = roles.find((r: { type: string }) => r.type === 'manager')
    const invitation = (
      await invite(space, [{ email: mail, role_id: manager.id, mobile_phone: '0601020304' }])
    ).json().data.invitations[0]
    const token = tokenOf(invitation.accept_url)
    const preview = await t.app.inject({ method: 'GET', url: `/v1/invitations/${token}` })
    expect(preview.json().data.invitation).toMatchObject({
      email: mail,
      space: 'Campagne 2027',
      has_password: false,
      role: { type: 'manager' },
    })
    const short = await accept(token, { password: 'short' })
    expect(short.statusCode).toBe(422)
    const response = await accept(token, { password: PASSWORD, firstname: 'Rosa', surname: 'Luxembourg' })
    expect(response.statusCode).toBe(200)
    const user = response.json().data.user
    expect(user).toMatchObject({
      mail,
      firstname: 'Rosa',
      surname: 'Luxembourg',
      phone: '0601020304',
      group_id: [space.groupId],
    })
    expect(user.role_data.type).toBe('manager')
    expect((await logIn(t, mail)).statusCode).toBe(200)
    const reused = await accept(token, { password: PASSWORD })
    expect(reused.statusCode).toBe(410)
    expect(reused.headers['content-type']).toMatch(/problem\+json/)
    const listed = (await space.request({ method: 'GET', url: '/users/invitation' })).json().data.invitations
    expect(listed.find((i: { id: number }) => i.id === invitation.id)).toMatchObject({ user_id: user.id })
  })

  test('an expired invitation is a 410; an unknown token a 404; a deleted invitation can no longer be accepted', async () => {
    const expired = (await invite(space, [{ email: newMail() }])).json().data.invitations[0]
    await t.conn.db
      .updateTable('invitation')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('group_id', '=', space.groupId)
      .where('id', '=', expired.id)
      .execute()
    const late = await accept(tokenOf(expired.accept_url), { password: PASSWORD })
    expect(late.statusCode).toBe(410)
    expect(late.json().detail).toMatch(/expired/)
    expect((await accept('no-such-token', { password: PASSWORD })).statusCode).toBe(404)

    const deleted = (await invite(space, [{ email: newMail() }])).json().data.invitations[0]
    const removal = await space.request({ method: 'DELETE', url: `/users/invitation/${deleted.id}` })
    expect(removal.statusCode).toBe(200)
    expect(removal.json().status).toBe('success')
    expect(typeof removal.json().data.message).toBe('string')
    expect((await accept(tokenOf(deleted.accept_url), { password: PASSWORD })).statusCode).toBe(404)
    expect(
      (await space.request({ method: 'DELETE', url: `/users/invitation/${deleted.id}` })).statusCode,
    ).toBe(404)
  })

  test('inviting again gives a new token: the old one stops working', async () => {
    const mail = newMail()
    const first = (await invite(space, [{ email: mail }])).json().data.invitations[0]
    const second = (await invite(space, [{ email: mail }])).json().data.invitations[0]
    expect(second.id).toBe(first.id)
    expect((await accept(tokenOf(first.accept_url), { password: PASSWORD })).statusCode).toBe(404)
    expect((await accept(tokenOf(second.accept_url), { password: PASSWORD })).statusCode).toBe(200)
  })

  test('an existing user joins with their own password (a wrong one changes nothing)', async () => {
    const other = await t.newSpace()
    const person = await aPerson(t, other)
    const invitation = (await invite(space, [{ email: person.mail }])).json().data.invitations[0]
    const token = tokenOf(invitation.accept_url)
    expect(
      (await t.app.inject({ method: 'GET', url: `/v1/invitations/${token}` })).json().data.invitation
        .has_password,
    ).toBe(true)
    expect((await accept(token, { password: 'not their password' })).statusCode).toBe(401)
    expect((await space.request({ method: 'GET', url: `/users/${person.id}` })).statusCode).toBe(404)
    const joined = await accept(token, { password: PASSWORD })
    expect(joined.statusCode).toBe(200)
    expect(joined.json().data.user.group_id).toEqual([other.groupId, space.groupId].sort((a, b) => a - b))
    expect((await logIn(t, person.mail, PASSWORD, space.groupId)).statusCode).toBe(200)
  })
})

describe('with SMTP_URL', () => {
  test('the invitation is mailed to a real SMTP server; the inviter never sees the link', async () => {
    const received: { to: string[]; text: string }[] = []
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      onData(stream, session, callback) {
        let text = ''
        stream.on('data', (chunk: Buffer) => {
          text += chunk.toString()
        })
        stream.on('end', () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), text })
          callback()
        })
      },
    })
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve))
    const port = (smtp.server.address() as AddressInfo).port
    const mailing = await testApp({
      smtpUrl: `smtp://127.0.0.1:${port}`,
      mailFrom: 'campagne@example.org',
      publicUrl: 'https://crm.example.org/',
    })
    try {
      const s = await mailing.newSpace('Municipales')
      const mail = newMail()
      const response = await s.request({
        method: 'POST',
        url: '/users/invitation',
        payload: { data: { invitations: [{ email: mail }] } },
      })
      expect(response.statusCode).toBe(201)
      const invitation = response.json().data.invitations[0]
      expect(invitation).not.toHaveProperty('accept_url')
      for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 50))
      expect(received).toHaveLength(1)
      expect(received[0]!.to).toEqual([mail])
      expect(received[0]!.text).toMatch(/Municipales/)
      const url = /https:\/\/crm\.example\.org\/v1\/invitations\/([\w-]+)\/accept/.exec(
        received[0]!.text.replace(/=\r\n/g, ''),
      )
      expect(url).not.toBeNull()
      for (let i = 0; i < 100; i++) {
        const listed = (await s.request({ method: 'GET', url: '/users/invitation' })).json().data
          .invitations[0]
        if (listed.last_sent) break
        await new Promise((r) => setTimeout(r, 50))
      }
      const listed = (await s.request({ method: 'GET', url: '/users/invitation' })).json().data.invitations[0]
      expect(listed.last_sent).not.toBeNull()
      const accepted = await mailing.app.inject({
        method: 'POST',
        url: `/v1/invitations/${url![1]}/accept`,
        payload: { data: { password: PASSWORD, firstname: 'Mailed' } },
      })
      expect(accepted.statusCode).toBe(200)
    } finally {
      await mailing.close()
      await new Promise<void>((resolve) => smtp.close(() => resolve()))
    }
  })
})
