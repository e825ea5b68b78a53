// Team settings (issue 12): a lead changes the team's settings and manages the wall displays'
// links through the page — the link shown once with a QR code, revoked after an in-page
// confirmation, after which the wall says the link is not valid. A member sees the settings
// read-only.
import { beforeAll, describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { Api, DESKTOP, PHONE, e2eSuite, newPage, shot, signIn, waitLive, type Schemas } from './server'

const ctx = e2eSuite()

describe('team settings', () => {
  let maria: Api
  let teamId: string
  let page: Page

  beforeAll(async () => {
    maria = await Api.login(ctx.server.base, 'maria.lopez')
    teamId = maria.team('Riverside ACT').team_id
    ;({ page } = await newPage(ctx.browser, DESKTOP))
    await signIn(page, ctx.server.base, 'maria.lopez', `/teams/${teamId}/settings`)
    await page.getByRole('heading', { name: /^Team settings/ }).waitFor()
  })

  test('the team nav links to the settings screen', async () => {
    await page.goto(`${ctx.server.base}/teams/${teamId}/board`)
    await page.getByRole('navigation', { name: 'Team' }).getByRole('link', { name: 'Settings' }).click()
    await page.locator('#set-escalate').waitFor()
    expect(new URL(page.url()).pathname).toBe(`/teams/${teamId}/settings`)
  })

  test('a lead creates a display link, the wall opens it, the lead revokes it, the wall says it is not valid', async () => {
    await page.locator('#dt-label').fill('E2E team room')
    await page.locator('#dt-privacy').selectOption('initials')
    await page.getByRole('button', { name: 'Create display link' }).click()
    const dialog = page.getByRole('dialog', { name: /Display link for “E2E team room”/ })
    await dialog.waitFor()
    await expect.poll(() => dialog.getByText('This link is shown only once.').count()).toBe(1)
    // The QR code is drawn in the page: an SVG with modules, no image fetched.
    const qr = dialog.getByRole('img', { name: /QR code of the display link/ })
    expect(await qr.evaluate((el) => el.tagName.toLowerCase())).toBe('svg')
    expect((await qr.locator('path').getAttribute('d'))!.length).toBeGreaterThan(500)
    const link = await dialog.getByTestId('display-link').inputValue()
    expect(link).toMatch(new RegExp(`^${ctx.server.base}/display\\?token=dt_`))
    await shot(page, 'settings-token-dialog-1920.png')

    // The token in the link is the one the API created: the list has it, without the secret.
    const listed = await maria.call<Schemas['DisplayTokenOut'][]>('GET', `/api/teams/${teamId}/display-tokens`)
    const mine = listed.find((t) => t.label === 'E2E team room' && !t.revoked_at)!
    expect(mine.privacy).toBe('initials')
    expect(JSON.stringify(listed)).not.toContain(new URL(link).searchParams.get('token')!)

    const wall = await newPage(ctx.browser, DESKTOP)
    await wall.page.goto(link)
    await waitLive(wall.page)
    await expect.poll(() => wall.page.getByTestId('client-row').count(), { timeout: 15_000 }).toBe(100)

    await dialog.getByRole('button', { name: 'Done' }).click()
    await dialog.waitFor({ state: 'detached' })
    // Shown once: nothing on the page carries the token any more.
    expect(await page.content()).not.toContain(new URL(link).searchParams.get('token')!)

    const row = page.getByTestId('display-token').filter({ hasText: 'E2E team room' })
    await row.getByRole('button', { name: 'Revoke E2E team room' }).click()
    const ask = page.getByRole('dialog', { name: /Revoke the display link “E2E team room”/ })
    await ask.waitFor()
    // Keep it: nothing happens.
    await ask.getByRole('button', { name: 'Keep it' }).click()
    await ask.waitFor({ state: 'detached' })
    expect((await maria.call<Schemas['DisplayTokenOut'][]>('GET', `/api/teams/${teamId}/display-tokens`)).find((t) => t.id === mine.id)!.revoked_at).toBeFalsy()

    await row.getByRole('button', { name: 'Revoke E2E team room' }).click()
    await ask.waitFor()
    await ask.getByRole('button', { name: 'Revoke', exact: true }).click()
    await ask.waitFor({ state: 'detached' })
    await row.waitFor({ state: 'detached' })
    expect((await maria.call<Schemas['DisplayTokenOut'][]>('GET', `/api/teams/${teamId}/display-tokens`)).find((t) => t.id === mine.id)!.revoked_at).toBeTruthy()

    await wall.page.reload()
    await wall.page.getByText('This display link is not valid').waitFor({ timeout: 10_000 })
    expect(await wall.page.getByTestId('client-row').count()).toBe(0)
    await wall.context.close()
  })

  test('a lead saves the escalation minutes and the display default; a bad time zone is refused in words', async () => {
    await page.locator('#set-escalate').fill('17')
    await page.locator('#set-privacy').selectOption('initials')
    await page.getByRole('button', { name: 'Save settings' }).click()
    await page.getByText('Settings saved.').waitFor()
    const t = await maria.call<Schemas['TeamOut']>('GET', `/api/teams/${teamId}`)
    expect([t.escalate_after_minutes, t.privacy]).toEqual([17, 'initials'])
    // A new display link defaults to the team's setting.
    expect(await page.locator('#dt-privacy').inputValue()).toBe('initials')

    await page.locator('#set-timezone').fill('Mars/Olympus_Mons')
    await page.getByRole('button', { name: 'Save settings' }).click()
    const err = page.locator('form .error')
    await err.waitFor()
    expect(await err.innerText()).toMatch(/^Time zone: /)
    expect((await maria.call<Schemas['TeamOut']>('GET', `/api/teams/${teamId}`)).timezone).toBe(t.timezone)
    await page.locator('#set-timezone').fill(t.timezone)
  })

  test('a stale form is refused with the other change shown', async () => {
    await page.reload()
    await page.locator('#set-escalate').waitFor()
    const t = await maria.call<Schemas['TeamOut']>('GET', `/api/teams/${teamId}`)
    await maria.call('PATCH', `/api/teams/${teamId}`, { version: t.version, escalate_after_minutes: 23 } satisfies Schemas['TeamPatch'])
    await page.locator('#set-name').fill('Riverside ACT (renamed)')
    await page.getByRole('button', { name: 'Save settings' }).click()
    await page.getByText(/Someone else changed these settings meanwhile/).waitFor()
    await expect.poll(() => page.locator('#set-escalate').inputValue()).toBe('23')
    expect((await maria.call<Schemas['TeamOut']>('GET', `/api/teams/${teamId}`)).name).toBe('Riverside ACT')
  })

  test('screenshots: the settings screen and the token dialog at 1920×1080 and 390×844', async () => {
    await page.reload()
    await page.locator('#set-escalate').waitFor()
    await page.getByText('Loading…').first().waitFor({ state: 'detached' })
    await shot(page, 'settings-1920.png', true)
    const phone = await newPage(ctx.browser, PHONE, { mobile: true })
    await signIn(phone.page, ctx.server.base, 'maria.lopez', `/teams/${teamId}/settings`)
    await phone.page.locator('#dt-label').waitFor()
    await phone.page.getByText('Loading…').first().waitFor({ state: 'detached' })
    await shot(phone.page, 'settings-390.png', true)
    await phone.page.locator('#dt-label').fill('Phone test')
    await phone.page.getByRole('button', { name: 'Create display link' }).click()
    await phone.page.getByRole('dialog').waitFor()
    await shot(phone.page, 'settings-token-dialog-390.png')
    await phone.context.close()
  })

  test('a member sees the settings read-only and no display links', async () => {
    const sam = await newPage(ctx.browser, DESKTOP)
    await signIn(sam.page, ctx.server.base, 'sam.okafor', `/teams/${teamId}/settings`)
    await sam.page.locator('#set-escalate').waitFor()
    expect(await sam.page.locator('#set-escalate').isDisabled()).toBe(true)
    expect(await sam.page.getByRole('button', { name: 'Save settings' }).count()).toBe(0)
    await sam.page.getByText("Only the team's leads can create or revoke display links").waitFor()
    expect(await sam.page.locator('#dt-label').count()).toBe(0)
    await sam.context.close()
  })
})
