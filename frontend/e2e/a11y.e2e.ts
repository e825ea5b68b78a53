// Accessibility (issue 12): axe-core with the WCAG 2.2 A/AA rules on every screen, at the wall
// size (1920×1080) and the phone size (390×844): board, huddle, planner, on-call, client page,
// login, lock, display, team settings and its two dialogs. A failure lists each rule and the
// elements that break it.
import { afterAll, beforeAll, describe, test } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { Api, DESKTOP, PHONE, e2eSuite, newPage, settle, signIn, waitLive, type Schemas } from './server'
import { expectAccessible } from './axe'

const ctx = e2eSuite()

const SIZES = [['1920', DESKTOP], ['390', PHONE]] as const

for (const [tag, size] of SIZES) {
  describe(`accessibility at ${tag}`, () => {
    let maria: Api
    let teamId: string
    let clientId: string
    let token: string
    let context: BrowserContext
    let page: Page
    const base = () => ctx.server.base
    const where = (s: string) => `${s} at ${tag}`

    beforeAll(async () => {
      maria = await Api.login(base(), 'maria.lopez')
      teamId = maria.team('Riverside ACT').team_id
      clientId = (await maria.call<Schemas['ClientOut'][]>('GET', `/api/teams/${teamId}/clients`))[0].id
      token = (await maria.call<Schemas['DisplayTokenCreated']>('POST', `/api/teams/${teamId}/display-tokens`, { label: `a11y ${tag}`, privacy: 'initials' } satisfies Schemas['NewDisplayToken'])).token
      ;({ context, page } = await newPage(ctx.browser, size, { mobile: size.width < 700 }))
      await signIn(page, base(), 'maria.lopez', `/teams/${teamId}/board`)
    })
    afterAll(async () => { await context?.close() })

    test('login', async () => {
      const fresh = await newPage(ctx.browser, size, { mobile: size.width < 700 })
      await fresh.page.goto(base() + '/')
      await fresh.page.locator('#username').waitFor()
      await expectAccessible(fresh.page, where('login'))
      await fresh.context.close()
    })

    test('board', async () => {
      await page.goto(`${base()}/teams/${teamId}/board`)
      await waitLive(page)
      await page.getByTestId('client-row').nth(99).waitFor()
      await settle(page)
      await expectAccessible(page, where('board'))
    })

    test('huddle', async () => {
      await page.goto(`${base()}/teams/${teamId}/board?huddle=1`)
      await waitLive(page)
      await page.locator('.focus-card').getByText('Last 24 hours').waitFor()
      await page.locator('.focus-card').getByText('Loading…').first().waitFor({ state: 'detached' })
      await expectAccessible(page, where('huddle'))
    })

    test('planner', async () => {
      await page.goto(`${base()}/teams/${teamId}/planner`)
      await waitLive(page)
      await page.getByTestId('visit').first().waitFor()
      await settle(page)
      await expectAccessible(page, where('planner'))
    })

    test('on-call', async () => {
      await page.goto(`${base()}/teams/${teamId}/oncall`)
      await waitLive(page)
      await page.getByTestId('phone-flag').first().waitFor()
      await settle(page)
      await expectAccessible(page, where('on-call'))
    })

    test('client page', async () => {
      await page.goto(`${base()}/teams/${teamId}/clients/${clientId}`)
      await page.getByRole('heading', { name: 'Crisis flags' }).waitFor()
      await settle(page)
      await expectAccessible(page, where('client page'))
    })

    test('team settings', async () => {
      await page.goto(`${base()}/teams/${teamId}/settings`)
      await page.getByTestId('display-token').first().waitFor()
      await settle(page)
      await expectAccessible(page, where('team settings'))
    })

    test('team settings: the new display link dialog (QR code)', async () => {
      if (!page.url().endsWith('/settings')) await page.goto(`${base()}/teams/${teamId}/settings`)
      await page.locator('#dt-label').fill(`a11y dialog ${tag}`)
      await page.getByRole('button', { name: 'Create display link' }).click()
      const dialog = page.getByRole('dialog')
      await dialog.getByTestId('qr').waitFor()
      await settle(page)
      await expectAccessible(page, where('new display link dialog'))
      await dialog.getByRole('button', { name: 'Done' }).click()
      await dialog.waitFor({ state: 'detached' })
    })

    test('team settings: the revoke dialog', async () => {
      if (!page.url().endsWith('/settings')) await page.goto(`${base()}/teams/${teamId}/settings`)
      await page.getByRole('button', { name: /^Revoke a11y/ }).first().click()
      const dialog = page.getByRole('dialog')
      await dialog.waitFor()
      await settle(page)
      await expectAccessible(page, where('revoke dialog'))
      await dialog.getByRole('button', { name: 'Keep it' }).click()
      await dialog.waitFor({ state: 'detached' })
    })

    test('lock', async () => {
      await page.evaluate((id) => localStorage.setItem('actboard.locked', id), maria.me.user.id)
      await page.goto(`${base()}/teams/${teamId}/board`)
      await page.locator('.lock').waitFor()
      await settle(page)
      await expectAccessible(page, where('lock'))
      await page.evaluate(() => localStorage.removeItem('actboard.locked'))
    })

    test('display', async () => {
      await page.goto(`${base()}/display?token=${encodeURIComponent(token)}`)
      await waitLive(page)
      await page.getByTestId('client-row').nth(99).waitFor()
      await settle(page)
      await expectAccessible(page, where('display'))
    })
  })
}
