// The console end to end: a real browser against a real server on a real port.
import { mkdirSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { driver, type Space, type TestApp, testApp } from '../app.ts'
import { aPerson, PASSWORD } from '../people.ts'
import { launch, listen, logInAs, openPage } from './browser.ts'

// a browser on a busy machine: more time than the suite's default per test
const SLOW = 180_000
const SHOTS = new URL('../../docs/screenshots/', import.meta.url)
// the committed screenshots come from one engine's run (both would draw the same pages)
const shoot = (page: Page, name: string) =>
  driver === 'pglite'
    ? page.screenshot({ path: new URL(`${name}.png`, SHOTS).pathname, fullPage: true })
    : undefined

const PEOPLE = [
  ['Ada', 'Martin', 'Paris', 'ada@example.org', ['volunteer']],
  ['Bob', 'Martin', 'Paris', 'bob@example.org', ['volunteer']],
  ['Cy', 'Durand', 'Paris', null, ['volunteer']],
  ['Dee', 'Martin', 'Lyon', 'dee@example.org', ['volunteer']],
  ['Eve', 'Petit', 'Paris', 'eve@example.org', []],
  ['Fay', 'Moreau', 'Paris', 'fay@example.org', ['volunteer', 'donor']],
] as const

describe('the web console in a browser', () => {
  let t: TestApp
  let space: Space
  let base: string
  let browser: Browser
  const hosts = new Set<string>()
  const ids = new Map<string, number>()

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    t = await testApp()
    space = await t.newSpace()
    for (const [firstname, surname, city, mail, tags] of PEOPLE) {
      const contact = { firstname, surname, mail, address: { city }, tags: tags.map((name) => ({ name })) }
      const res = await space.request({ method: 'POST', url: '/contacts', payload: { data: { contact } } })
      expect(res.statusCode).toBe(200)
      ids.set(firstname, res.json().data.contact.id)
    }
    base = await listen(t)
    browser = await launch()
  })
  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })

  it(
    'logs in, counts a three-condition segment as /kpi does, adds a note and shows a bad mail',
    async () => {
      const admin = await aPerson(t, space, 'superadmin', { mail: 'organiser@example.org' })
      const page = await openPage(browser, hosts)
      await page.goto(`${base}/`)
      await page.getByLabel('E-mail').fill(admin.mail)
      await page.getByLabel('Password').fill('wrong password')
      await page.getByRole('button', { name: 'Log in' }).click()
      await page.getByRole('alert').filter({ hasText: 'Wrong e-mail or password.' }).waitFor()
      await shoot(page, 'login')
      await logInAs(page, base, admin.mail, PASSWORD)
      await page
        .getByTestId('count')
        .filter({ hasText: `${PEOPLE.length} contacts` })
        .waitFor()

      const conditions = [
        ['address.city', 'eql', 'Paris'],
        ['tags', 'eql', 'volunteer'],
        ['mail', 'ext', ''],
      ] as const
      for (const [i, [attr, ope, value]] of conditions.entries()) {
        await page.getByRole('button', { name: 'Add a condition' }).click()
        const row = page.locator('.condition').nth(i)
        await row.getByLabel('Attribute').selectOption(attr)
        await row.getByLabel('Operator').selectOption(ope)
        if (value) await row.getByLabel('Value').fill(value)
      }
      const query = {
        $all: [
          {
            $all: conditions.map(([attr, ope, value]) => ({
              $condition: value ? { attr, ope, value } : { attr, ope },
            })),
          },
        ],
      }
      const kpi = await space.request({
        method: 'POST',
        url: '/kpi',
        payload: { data: { advanced_search: { query } } },
      })
      const total: number = kpi.json().data.total
      expect(total).toBe(3) // Ada, Bob, Fay
      await page
        .getByTestId('count')
        .filter({ hasText: `${total} contacts` })
        .waitFor()
      await expect
        .poll(() => page.locator('table.contacts tbody tr').count(), { timeout: 10_000 })
        .toBe(total)
      await shoot(page, 'contacts')

      await page.getByRole('link', { name: 'Ada Martin' }).click()
      await page.getByRole('heading', { name: 'Ada Martin' }).waitFor()
      await page.getByLabel('New note').fill('Called back, wants a poster')
      await page.getByRole('button', { name: 'Add the note' }).click()
      await page.locator('.notes li').filter({ hasText: 'Called back, wants a poster' }).waitFor()
      const notes = await space.request({ method: 'GET', url: `/contacts/${ids.get('Ada')}/notes` })
      expect(notes.json().data.notes.map((n: { data: string }) => n.data)).toEqual([
        'Called back, wants a poster',
      ])
      await shoot(page, 'contact')

      await page.getByRole('button', { name: 'Edit' }).click()
      await page.getByLabel('E-mail').fill('not a mail')
      await page.getByRole('button', { name: 'Save' }).click()
      await page.locator('#field-mail-error').waitFor()
      expect(await page.getByLabel('E-mail').getAttribute('aria-invalid')).toBe('true')
      await shoot(page, 'contact-edit-error')
      const unchanged = await space.request({ method: 'GET', url: `/contacts/${ids.get('Ada')}` })
      expect(unchanged.json().data.contact.mail).toBe('ada@example.org')
      await page.getByLabel('E-mail').fill('ada.martin@example.org')
      await page.getByRole('button', { name: 'Save' }).click()
      await page.getByTestId('mail').filter({ hasText: 'ada.martin@example.org' }).waitFor()
      const saved = await space.request({ method: 'GET', url: `/contacts/${ids.get('Ada')}` })
      expect(saved.json().data.contact.mail).toBe('ada.martin@example.org')
      expect(saved.json().data.contact.notes).toHaveLength(1)

      await page.getByLabel('Language').selectOption('fr')
      await page.getByRole('button', { name: 'Se déconnecter' }).click()
      await page.getByRole('button', { name: 'Se connecter' }).waitFor()
      expect((await page.request.get(`${base}/v1/auth/me`)).status()).toBe(401)
    },
    SLOW,
  )

  it(
    'reads on a phone: the contact list at 390 px wide',
    async () => {
      const admin = await aPerson(t, space, 'admin', { mail: 'staff@example.org' })
      const page = await openPage(browser, hosts, 390)
      await logInAs(page, base, admin.mail, PASSWORD)
      await page
        .getByTestId('count')
        .filter({ hasText: `${PEOPLE.length} contacts` })
        .waitFor()
      const width = await page.evaluate<number>('document.documentElement.scrollWidth')
      expect(width).toBeLessThanOrEqual(390)
      await shoot(page, 'contacts-phone')
    },
    SLOW,
  )

  it(
    'refuses a user-role account what the role refuses',
    async () => {
      const champ = await aPerson(t, space, 'user')
      const page = await openPage(browser, hosts)
      await logInAs(page, base, champ.mail, PASSWORD)
      await page.getByRole('link', { name: 'Bob Martin' }).click()
      await page.getByRole('heading', { name: 'Bob Martin' }).waitFor()
      expect(await page.getByRole('button', { name: 'Edit' }).count()).toBe(1)
      expect(await page.getByRole('button', { name: 'Delete' }).count()).toBe(0)
      // and the server refuses it too, to the session the console holds
      const refused = await page.evaluate(async (id) => {
        const headers = { 'X-Carnet-Console': '1', 'content-type': 'application/json' }
        const remove = await fetch(`/contacts/${id}`, { method: 'DELETE', headers })
        const exported = await fetch('/contacts/export', { method: 'POST', headers, body: '{}' })
        return [remove.status, exported.status]
      }, ids.get('Bob'))
      expect(refused).toEqual([403, 403])
      const still = await space.request({ method: 'GET', url: `/contacts/${ids.get('Bob')}` })
      expect(still.statusCode).toBe(200)
    },
    SLOW,
  )

  it('asked no host but Carnet', () => {
    expect([...hosts]).toEqual([new URL(base).host])
  })
})
