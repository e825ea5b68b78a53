// Screenshots of every screen at 1920×1080 (the wall, the laptop) and 390×844 (a phone), into
// SCREENSHOTS (target/e2e/screenshots, or docs/screenshots with `make docs-e2e`), for people to look at; plus the layout rules a machine can check: the
// phone screens never scroll sideways, and the wall's client names are big enough for the room.
import { beforeAll, describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { Api, DESKTOP, PHONE, SCREENSHOTS, e2eSuite, newPage, overflowing, settle, shot, signIn, smallTargets, waitLive, type Schemas } from './server'

const ctx = e2eSuite()

type Size = { width: number; height: number }
const SIZES: [string, Size][] = [['1920', DESKTOP], ['390', PHONE]]

describe('screenshots', () => {
  let riverside: string
  let northside: string
  let clientId: string
  let token: string
  /** What each 390 px screen measures, printed at the end. */
  const notes: string[] = []

  beforeAll(async () => {
    const maria = await Api.login(ctx.server.base, 'maria.lopez')
    riverside = maria.team('Riverside ACT').team_id
    northside = (await Api.login(ctx.server.base, 'dana.white')).team('Northside ICM').team_id
    const board = await maria.call<Schemas['Board']>('GET', `/api/teams/${riverside}/board`)
    clientId = board.clients.find((c) => c.open_flags.length > 0)!.id // a client with a flag: the fullest page
    token = (await maria.call<Schemas['DisplayTokenCreated']>('POST', `/api/teams/${riverside}/display-tokens`, { label: 'E2E screenshots', privacy: 'initials' } satisfies Schemas['NewDisplayToken'])).token
  })

  async function signedIn(user: string, size: Size): Promise<Page> {
    const { page } = await newPage(ctx.browser, size, { mobile: size.width < 700 })
    await signIn(page, ctx.server.base, user)
    return page
  }

  async function measure(page: Page, name: string, size: Size) {
    const sw = await page.evaluate(() => document.documentElement.scrollWidth)
    if (size.width < 700) {
      const small = await smallTargets(page, 44)
      notes.push(`${name}: scrollWidth ${sw}${sw > size.width ? ` (sideways scroll: ${(await overflowing(page)).slice(0, 4).join('; ')})` : ''}; targets < 44 px: ${small.length ? small.slice(0, 6).join(', ') + (small.length > 6 ? ` … (${small.length})` : '') : 'none'}`)
    }
    return sw
  }

  for (const [tag, size] of SIZES) {
    test(`board, huddle, planner and client page at ${tag}`, async () => {
      const page = await signedIn('maria.lopez', size)
      await page.goto(`${ctx.server.base}/teams/${riverside}/board`)
      await waitLive(page)
      await page.getByTestId('client-row').nth(99).waitFor()
      await settle(page)
      await shot(page, `board-${tag}.png`)
      await measure(page, `board-${tag}`, size)

      await page.goto(`${ctx.server.base}/teams/${riverside}/board?huddle=1`)
      await waitLive(page)
      await page.locator('.focus-card').getByText('Last 24 hours').waitFor()
      await page.locator('.focus-card').getByText('Loading…').first().waitFor({ state: 'detached' })
      await shot(page, `huddle-${tag}.png`)
      await measure(page, `huddle-${tag}`, size)

      await page.goto(`${ctx.server.base}/teams/${riverside}/planner`)
      await waitLive(page)
      await page.getByTestId('visit').first().waitFor()
      await settle(page)
      await shot(page, `planner-${tag}.png`)
      await measure(page, `planner-${tag}`, size)

      await page.goto(`${ctx.server.base}/teams/${riverside}/clients/${clientId}`)
      await page.getByRole('heading', { name: 'Crisis flags' }).waitFor()
      await settle(page)
      await shot(page, `client-${tag}.png`)
      await measure(page, `client-${tag}`, size)
      await page.context().close()
    })

    test(`on-call flags and log contact at ${tag}`, async () => {
      const page = await signedIn('sam.okafor', size)
      await page.goto(`${ctx.server.base}/teams/${riverside}/oncall`)
      await waitLive(page)
      await page.getByTestId('phone-flag').first().waitFor()
      await settle(page)
      await shot(page, `phone-flags-${tag}.png`)
      const sw1 = await measure(page, `phone-flags-${tag}`, size)

      await page.getByRole('navigation', { name: 'On-call' }).getByRole('button', { name: 'Log contact' }).click()
      await page.getByLabel('Client', { exact: true }).fill('Ma')
      await settle(page)
      await shot(page, `phone-log-${tag}.png`)
      const sw2 = await measure(page, `phone-log-${tag}`, size)
      if (size.width < 700) {
        // The phone screens must never scroll sideways.
        expect(sw1).toBeLessThanOrEqual(size.width)
        expect(sw2).toBeLessThanOrEqual(size.width)
      }
      await page.context().close()
    })

    test(`ICM planner caseloads at ${tag}`, async () => {
      const page = await signedIn('dana.white', size)
      await page.goto(`${ctx.server.base}/teams/${northside}/planner`)
      await waitLive(page)
      const caseloads = page.getByRole('region', { name: 'Caseloads' })
      await page.getByTestId('caseload').first().waitFor()
      await caseloads.evaluate((el) => el.scrollIntoView({ block: 'start' }))
      await settle(page)
      await shot(page, `icm-caseloads-${tag}.png`)
      await measure(page, `icm-caseloads-${tag}`, size)
      await page.context().close()
    })

    test(`display (token, initials) at ${tag}`, async () => {
      const { page, context } = await newPage(ctx.browser, size, { mobile: size.width < 700 })
      await page.goto(`${ctx.server.base}/display?token=${encodeURIComponent(token)}`)
      await waitLive(page)
      await page.getByTestId('client-row').nth(99).waitFor()
      await settle(page)
      await shot(page, `display-${tag}.png`)
      await measure(page, `display-${tag}`, size)
      await context.close()
    })
  }

  test('login at 1920 and 390', async () => {
    for (const [tag, size] of SIZES) {
      const { page, context } = await newPage(ctx.browser, size, { mobile: size.width < 700 })
      await page.goto(ctx.server.base + '/')
      await page.locator('#username').waitFor()
      await shot(page, `login-${tag}.png`)
      await measure(page, `login-${tag}`, size)
      await context.close()
    }
  })

  test('the wall at 1920×1080 is readable from across the room: names ≥ 28 px, flags on top without scrolling', async () => {
    const { page, context } = await newPage(ctx.browser, DESKTOP)
    await page.goto(`${ctx.server.base}/display?token=${encodeURIComponent(token)}`)
    await waitLive(page)
    await page.getByTestId('client-row').nth(99).waitFor()
    const sizes = await page.evaluate(() => {
      const px = (sel: string) => [...document.querySelectorAll<HTMLElement>(sel)].map((e) => parseFloat(getComputedStyle(e).fontSize))
      return { names: px('[data-testid=client-row] .name .n'), flags: px('[data-testid=flag] .who') }
    })
    expect(Math.min(...sizes.names)).toBeGreaterThanOrEqual(28)
    expect(Math.min(...sizes.flags)).toBeGreaterThanOrEqual(28)
    // Every open flag card is fully on screen without scrolling.
    for (const box of await page.getByTestId('flag').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().bottom))) {
      expect(box).toBeLessThanOrEqual(DESKTOP.height)
    }
    // Names are not cut off (ellipsis) on the wall.
    const clipped = await page.getByTestId('client-row').locator('.name .n').evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent))
    expect(clipped).toEqual([])
    await context.close()
  })

  test('print what the 390 px screens measure', () => {
    console.log(`screenshots in ${SCREENSHOTS}\n` + notes.join('\n'))
  })
})
