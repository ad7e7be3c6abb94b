// A real Chromium (Debian's package) driving the console served by a test app on a real port.
import type { AddressInfo } from 'node:net'
import { type Browser, chromium, type Page } from 'playwright-core'
import type { TestApp } from '../app.ts'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export async function listen(t: TestApp): Promise<string> {
  await t.app.listen({ host: '127.0.0.1', port: 0 })
  return `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`
}

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
}

/** A page in its own context (cookies), in English, that records every host it asks. */
export async function openPage(browser: Browser, hosts: Set<string>, width = 1280): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width, height: 900 } })
  const page = await context.newPage()
  page.on('request', (request) => {
    hosts.add(new URL(request.url()).host)
  })
  return page
}

export async function logInAs(page: Page, base: string, mail: string, password: string): Promise<void> {
  await page.goto(`${base}/`)
  await page.getByLabel('E-mail').fill(mail)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.getByRole('heading', { name: 'Contacts' }).waitFor()
}
