// Display mode: the wall screen opened with a display token (no login). With privacy
// "initials" it shows the live board with initials only: no client's family name anywhere.
import { beforeAll, describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { Api, DESKTOP, e2eSuite, newPage, raiseFlag, shot, waitLive, type Schemas } from './server'

const ctx = e2eSuite()

type Client = Schemas['ClientOut']

describe('display token page', () => {
  let maria: Api
  let teamId: string
  let clients: Client[]
  let staffNames: string[]
  let page: Page
  let token: string

  beforeAll(async () => {
    maria = await Api.login(ctx.server.base, 'maria.lopez')
    teamId = maria.team('Riverside ACT').team_id
    clients = await maria.call<Client[]>('GET', `/api/teams/${teamId}/clients`)
    staffNames = (await maria.call<Schemas['MemberOut'][]>('GET', `/api/teams/${teamId}/members`)).map((m) => m.display_name)
    const created = await maria.call<Schemas['DisplayTokenCreated']>('POST', `/api/teams/${teamId}/display-tokens`, { label: 'E2E wall', privacy: 'initials' } satisfies Schemas['NewDisplayToken'])
    token = created.token
    expect(token).toMatch(/^dt_/)
    ;({ page } = await newPage(ctx.browser, DESKTOP))
  })

  test('opens without login and shows the live board: flag cards and 100 rows', async () => {
    await page.goto(`${ctx.server.base}/display?token=${encodeURIComponent(token)}`)
    await waitLive(page)
    await expect.poll(() => page.getByTestId('client-row').count(), { timeout: 15_000 }).toBe(100)
    expect(await page.getByTestId('flag').count()).toBe(3)
    expect(await page.locator('#username').count()).toBe(0)
    // Nothing signed in: no refresh token was stored.
    expect(await page.evaluate(() => localStorage.getItem('actboard.refresh'))).toBeNull()
    // Rows and flag cards name clients by initials (repeated initials numbered: "SJ 1", "SJ 2").
    const initials = new Set(clients.map((c) => c.initials))
    const bare = (n: string) => n.trim().replace(/ \d+$/, '')
    for (const name of await page.getByTestId('client-row').locator('.name .n').allInnerTexts()) expect(initials).toContain(bare(name))
    for (const name of await page.getByTestId('flag').locator('.who').allInnerTexts()) expect(initials).toContain(bare(name))
    const shown = await page.getByTestId('client-row').locator('.name .n').allInnerTexts()
    expect(new Set(shown).size, 'every row of the wall is told apart').toBe(shown.length)
  })

  test('the page text contains no client family (or given) name', async () => {
    if (!page.url().includes('/display')) {
      await page.goto(`${ctx.server.base}/display?token=${encodeURIComponent(token)}`)
      await waitLive(page)
    }
    await page.getByTestId('client-row').nth(99).waitFor()
    let text = await page.evaluate(() => document.body.innerText)
    // Staff names may show (on call, visit lines); take them out before looking for clients'
    // names, which may be the same words ("Morgan", "Park", …).
    for (const s of staffNames) {
      const parts = s.replace(/^Dr\.\s*/, '').split(/\s+/)
      const variants = [s, `${parts.slice(0, -1).join(' ')} ${parts.at(-1)![0]}.`, `Dr ${parts.at(-1)![0]}.`, `Dr ${parts.slice(0, -1).join(' ')} ${parts.at(-1)![0]}.`]
      for (const v of variants) text = text.split(v).join(' ')
    }
    const found: string[] = []
    for (const c of clients) {
      for (const n of [c.family_name, c.given_name, c.preferred_name]) {
        if (n && new RegExp(`\\b${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'i').test(text)) found.push(`${n} (${c.initials})`)
      }
    }
    expect([...new Set(found)]).toEqual([])
  })

  test('a flag raised meanwhile appears live on the display, by initials and category, without its reason', async () => {
    if (!page.url().includes('/display')) await page.goto(`${ctx.server.base}/display?token=${encodeURIComponent(token)}`)
    await waitLive(page)
    const sam = await Api.login(ctx.server.base, 'sam.okafor')
    const c = clients.find((x) => !staffNames.some((s) => s.includes(x.family_name)) && !['Lewis', 'Martin'].includes(x.family_name))!
    await raiseFlag(sam, teamId, c.id, 'urgent', 'E2E display flag', 'legal')
    // The demo's flags are about medication and housing: the only legal one is this.
    const card = page.getByTestId('flag').filter({ hasText: 'Legal' })
    await card.waitFor({ timeout: 5_000 })
    expect((await card.locator('.who').innerText()).trim().replace(/ \d+$/, '')).toBe(c.initials)
    const text = await page.evaluate(() => document.body.innerText)
    expect(text).not.toContain(c.family_name)
    expect(text).not.toContain('E2E display flag')
  })

  test('the huddle step moves the wall to that client, by initials; ending the huddle brings the board back', async () => {
    if (!page.url().includes('/display')) await page.goto(`${ctx.server.base}/display?token=${encodeURIComponent(token)}`)
    await waitLive(page)
    const board = await maria.call<Schemas['Board']>('GET', `/api/teams/${teamId}/board`)
    // A client whose family name is no staff member's (staff names may show on the card).
    const at = board.clients.findIndex((b) => { const x = clients.find((y) => y.id === b.id)!; return !staffNames.some((s) => s.includes(x.family_name)) })
    const c = clients.find((x) => x.id === board.clients[at].id)!
    await maria.call('PUT', `/api/teams/${teamId}/huddle/${board.day}/focus`, { client_id: c.id })
    const card = page.getByTestId('huddle-focus')
    await card.waitFor({ timeout: 5_000 })
    expect(await card.locator('h2').innerText()).toContain(c.initials)
    expect(await card.innerText()).toContain(`client ${at + 1} of 100`)
    expect(await card.innerText()).not.toContain(c.family_name)
    await shot(page, 'display-huddle-1920.png')
    await maria.call('PUT', `/api/teams/${teamId}/huddle/${board.day}/focus`, { client_id: null })
    await page.getByTestId('client-row').first().waitFor({ timeout: 5_000 })
    expect(await card.count()).toBe(0)
  })

  test('a revoked or wrong token shows a message in words, not the board', async () => {
    const other = await newPage(ctx.browser, DESKTOP)
    await other.page.goto(`${ctx.server.base}/display?token=dt_not-a-real-token`)
    await other.page.getByText('This display link is not valid').waitFor({ timeout: 10_000 })
    expect(await other.page.getByTestId('client-row').count()).toBe(0)
    await other.context.close()
  })
})
