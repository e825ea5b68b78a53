// What is due, in the huddle (1920×1080 and 390×844): a handoff action due later today and
// one already overdue, a planned visit of today whose time has passed, yesterday's visit
// nobody closed out, a depot injection of a recurring series due today, and an hour with
// nobody on call in the next 24 hours. The client on screen shows its own due items; closing
// out the overdue visit takes it off the list live. The quick card opens from the desktop:
// a flag card, a roster row, the huddle.
import { beforeAll, describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { randomUUID } from 'node:crypto'
import { Api, DESKTOP, PHONE, e2eSuite, newPage, overflowing, raiseFlag, settle, shot, signIn, teamDay, waitLive, type Schemas } from './server'
import { expectAccessible } from './axe'

const ctx = e2eSuite()

type Contact = Schemas['ContactOut']

/** The UTC instant of a team-local wall-clock time. */
function localToUtc(day: string, hhmm: string, tz: string): Date {
  const [y, m, d] = day.split('-').map(Number)
  const [h, mi] = hhmm.split(':').map(Number)
  let guess = Date.UTC(y, m - 1, d, h, mi)
  for (let i = 0; i < 3; i++) {
    const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(guess)).filter((x) => x.type !== 'literal').map((x) => [x.type, Number(x.value)]))
    const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute)
    guess += Date.UTC(y, m - 1, d, h, mi) - shown
  }
  return new Date(guess)
}

const addDays = (day: string, n: number) => {
  const [y, m, d] = day.split('-').map(Number)
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10)
}

describe('due items in the huddle, and the quick card on the desktop', () => {
  let maria: Api
  let teamId: string
  let tz: string
  let day: string
  let board: Schemas['Board']
  let actionClient: Schemas['BoardClient']
  let visitClient: Schemas['BoardClient']
  let oldClient: Schemas['BoardClient']
  let depotClient: Schemas['BoardClient']
  let overdueVisit: Contact
  /** How today's overdue visit reads ("HH:MM–HH:MM"), and how the later action is tagged. */
  let overdueTimes: string
  let laterTag: string
  let page: Page
  const later = 'E2E later: phone the pharmacy about the depot'
  const late = 'E2E overdue: call the sister'

  beforeAll(async () => {
    maria = await Api.login(ctx.server.base, 'maria.lopez')
    const team = maria.team('Riverside ACT')
    teamId = team.team_id
    tz = team.timezone
    day = teamDay(tz)
    board = await maria.call<Schemas['Board']>('GET', `/api/teams/${teamId}/board`)
    const quiet = board.clients.filter((c) => c.open_flags.length === 0)
    ;[actionClient, visitClient, oldClient, depotClient] = [quiet[10], quiet[11], quiet[12], quiet[13]]
    const me = maria.me.user.id
    const other = board.staff.find((s) => s.role !== 'viewer' && s.id !== me)!

    // A handoff (set up through the API: writing one is tested in handoff-write) with one
    // action overdue and one due later today.
    const now = Date.now()
    const startOfDay = localToUtc(day, '00:00', tz).getTime()
    const endOfDay = localToUtc(addDays(day, 1), '00:00', tz).getTime() - 60_000
    const laterAt = Math.min(endOfDay, now + 30 * 60_000)
    // In the day's last minute "later" has passed already: then it is overdue, and says so.
    laterTag = laterAt > Date.now() + 60_000 ? 'Handoff action' : 'OVERDUE'
    await maria.call('POST', `/api/teams/${teamId}/handoffs`, {
      to_staff_id: other.id,
      items: [{
        client_id: actionClient.id, severity: 'watcher', summary: 'E2E due items', contingency: '',
        actions: [
          { text: late, due_at: new Date(Math.max(startOfDay, now - 120_000)).toISOString() },
          { text: later, due_at: new Date(laterAt).toISOString() },
        ],
      }],
    } satisfies Schemas['NewHandoff'])

    // Today's visit whose time has passed, and yesterday's that nobody closed out.
    const plan = (client: string, d: string, start: string, end: string) => maria.call<Contact>('PUT', `/api/teams/${teamId}/contacts/${randomUUID()}`, {
      client_id: client, staff_ids: [other.id], day: d, start, end, kind: 'face_to_face', place: 'home', activity: 'E2E overdue visit', status: 'planned', allow_overlap: true,
    } satisfies Schemas['ContactIn'])
    // Today's visit that ended a few minutes ago (just after midnight: at 00:00–00:01).
    const [hh, mm] = new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date()).split(':').map(Number)
    const mins = Math.max(hh * 60 + mm - 3, 0)
    const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
    overdueTimes = `${hhmm(mins)}–${hhmm(mins + 1)}`
    overdueVisit = await plan(visitClient.id, day, hhmm(mins), hhmm(mins + 1))
    if (mins + 1 > hh * 60 + mm) await new Promise((r) => setTimeout(r, 61_000)) // the first minute of a day
    await plan(oldClient.id, addDays(day, -1), '10:00', '10:30')

    // A depot injection every 14 days from today, late in the day.
    await maria.call('POST', `/api/teams/${teamId}/visit-series`, {
      client_id: depotClient.id, staff_ids: [other.id], first_day: day, every_days: 14, start: '23:57', end: '23:59',
      kind: 'face_to_face', place: 'office', activity: 'E2E depot injection', allow_overlap: true,
    } satisfies Schemas['NewSeriesBody'])

    // An hour nobody covers: the next on-call shift is removed.
    expect(board.on_call_next, 'the demo has a next on-call shift').toBeTruthy()
    await maria.call('DELETE', `/api/teams/${teamId}/oncall/shifts/${board.on_call_next!.id}`)

    page = (await newPage(ctx.browser, DESKTOP)).page
    await signIn(page, ctx.server.base, 'maria.lopez', `/teams/${teamId}/board?huddle=1`)
    await waitLive(page)
  })

  const item = (p: Page, text: string) => p.getByTestId('due-panel').getByTestId('due-item').filter({ hasText: text })

  test('1920×1080: the team\'s due items beside the roster, each in words; the controls stay on screen', async () => {
    await item(page, later).waitFor()
    const words = async (t: string) => (await item(page, t).innerText()).replace(/\s+/g, ' ')
    expect(await words(later)).toMatch(new RegExp(`^${laterTag} .*E2E later: phone the pharmacy`))
    expect(await words(late)).toMatch(/^OVERDUE .*E2E overdue: call the sister/)
    expect(await words(`${visitClient.display_name} · ${overdueTimes}`)).toContain('OVERDUE')
    expect((await item(page, oldClient.display_name).filter({ hasText: 'E2E overdue visit' }).innerText()).replace(/\s+/g, ' ')).toMatch(/OVERDUE .* [A-Z][a-z]{2} \d{1,2} [A-Z][a-z]{2} 10:00–10:30 · E2E overdue visit/)
    expect(await words('E2E depot injection')).toMatch(/^(Recurring visit|OVERDUE) /)
    const gap = await words('No one on call')
    expect(gap).toMatch(/^(On-call gap|NOW) /)
    expect(await page.getByTestId('due-summary').innerText()).toMatch(/^\d+ due · \d+ overdue$/)

    // Controls inside the screen, the panel too (it scrolls inside itself).
    for (const name of ['← Previous', 'Next →']) {
      const b = (await page.getByRole('button', { name, exact: true }).boundingBox())!
      expect(b.y + b.height).toBeLessThanOrEqual(1080)
    }
    const panel = (await page.getByTestId('due-panel').boundingBox())!
    expect(panel.y + panel.height).toBeLessThanOrEqual(1080)
    expect(await overflowing(page)).toEqual([])
    await settle(page)
    await shot(page, 'huddle-due-1920.png')
    await expectAccessible(page, 'huddle with due items (1920)')
  })

  test('a client\'s due item steps the huddle to that client, whose card lists what is due for them', async () => {
    await item(page, later).getByRole('button', { name: actionClient.display_name }).click()
    const mine = page.getByTestId('client-due')
    await mine.waitFor()
    expect(await page.locator('.focus-card h2').innerText()).toContain(actionClient.display_name)
    const text = (await mine.innerText()).replace(/\s+/g, ' ')
    expect(text).toContain(later)
    expect(text).toContain(late)
    await shot(page, 'huddle-client-due-1920.png')
  })

  test('closing out the overdue visit (elsewhere) takes it off the list, live', async () => {
    const row = item(page, `${visitClient.display_name} · ${overdueTimes}`)
    await row.waitFor()
    await maria.call('PATCH', `/api/teams/${teamId}/contacts/${overdueVisit.id}`, { version: overdueVisit.version, status: 'missed' } satisfies Schemas['ContactPatch'])
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(0)
  })

  test('390×844: the due list reads on a phone without sideways scrolling', async () => {
    const { page: phone } = await newPage(ctx.browser, PHONE, { mobile: true })
    await signIn(phone, ctx.server.base, 'maria.lopez', `/teams/${teamId}/board?huddle=1`)
    await waitLive(phone)
    await item(phone, later).waitFor()
    await item(phone, later).scrollIntoViewIfNeeded()
    expect(await overflowing(phone)).toEqual([])
    const size = await item(phone, later).evaluate((el) => parseFloat(getComputedStyle(el).fontSize))
    expect(size).toBeGreaterThanOrEqual(16)
    await shot(phone, 'huddle-due-390.png')
    await expectAccessible(phone, 'huddle with due items (390)')
    await phone.context().close()
  })

  test('the quick card from a flag card, a roster row and the huddle: phone number and crisis plan', async () => {
    const flagged = board.clients.find((c) => c.open_flags.length === 0 && ![actionClient, visitClient, oldClient, depotClient].includes(c))!
    await raiseFlag(maria, teamId, flagged.id, 'urgent', 'E2E: card from the flag', 'housing')
    const card = await maria.call<Schemas['ClientCard']>('GET', `/api/teams/${teamId}/clients/${flagged.id}/card`)
    expect(card.client.details?.phone).toBeTruthy()
    expect(card.client.details?.crisis_plan).toBeTruthy()

    await page.goto(`${ctx.server.base}/teams/${teamId}/board`)
    await waitLive(page)
    // From the flag card in the pinned strip.
    const flagCard = page.getByTestId('flag').filter({ hasText: flagged.display_name })
    await flagCard.getByRole('button', { name: `Quick card for ${flagged.display_name}` }).click()
    const dialog = page.getByRole('dialog', { name: `Quick card: ${flagged.display_name}` })
    await dialog.getByTestId('card-phone').waitFor()
    expect(await dialog.getByTestId('card-phone').innerText()).toBe(`Call ${card.client.details!.phone}`)
    expect(await dialog.getByTestId('card-crisis-plan').innerText()).toBe(card.client.details!.crisis_plan)
    await shot(page, 'board-card-1920.png')
    await expectAccessible(page, 'quick card dialog over the board (1920)')
    await page.keyboard.press('Escape')
    await expect.poll(() => dialog.count()).toBe(0)

    // From a roster row.
    const other = board.clients.find((c) => c.open_flags.length === 0 && c.id !== flagged.id)!
    const otherCard = await maria.call<Schemas['ClientCard']>('GET', `/api/teams/${teamId}/clients/${other.id}/card`)
    await page.getByTestId('client-row').filter({ hasText: other.display_name }).getByRole('button', { name: `Quick card for ${other.display_name}` }).click()
    const d2 = page.getByRole('dialog', { name: `Quick card: ${other.display_name}` })
    await d2.getByTestId('card-crisis-plan').waitFor()
    expect(await d2.getByTestId('card-phone').innerText()).toBe(`Call ${otherCard.client.details!.phone}`)
    await d2.getByRole('button', { name: 'Close' }).click()
    await expect.poll(() => d2.count()).toBe(0)

    // From the huddle, for the client on screen.
    await page.goto(`${ctx.server.base}/teams/${teamId}/board?huddle=1`)
    await waitLive(page)
    const open = page.getByTestId('huddle-controls').getByRole('button', { name: /^Quick card for / })
    const onScreen = (await open.getAttribute('aria-label'))!.replace(/^Quick card for /, '')
    expect(await page.locator('.focus-card h2').innerText()).toContain(onScreen)
    await open.click()
    const d3 = page.getByRole('dialog', { name: `Quick card: ${onScreen}` })
    await d3.getByTestId('card-phone').waitFor()
    await d3.getByTestId('card-crisis-plan').waitFor()
    await shot(page, 'huddle-card-1920.png')
    await expectAccessible(page, 'quick card dialog over the huddle (1920)')
    await page.keyboard.press('Escape')
  })

  test('390×844: the board row\'s "☎ Card" opens the same card, readable on a phone', async () => {
    const { page: phone } = await newPage(ctx.browser, PHONE, { mobile: true })
    await signIn(phone, ctx.server.base, 'maria.lopez', `/teams/${teamId}/board`)
    await waitLive(phone)
    const c = board.clients.find((x) => x.open_flags.length === 0)!
    const details = (await maria.call<Schemas['ClientCard']>('GET', `/api/teams/${teamId}/clients/${c.id}/card`)).client.details!
    await phone.getByTestId('client-row').filter({ hasText: c.display_name }).getByRole('button', { name: `Quick card for ${c.display_name}` }).click()
    const dialog = phone.getByRole('dialog', { name: `Quick card: ${c.display_name}` })
    await dialog.getByTestId('card-phone').waitFor()
    expect(await dialog.getByTestId('card-phone').innerText()).toBe(`Call ${details.phone}`)
    expect(await dialog.getByTestId('card-crisis-plan').innerText()).toBe(details.crisis_plan)
    expect(await overflowing(phone)).toEqual([])
    await shot(phone, 'board-card-390.png')
    await expectAccessible(phone, 'quick card dialog over the board (390)')
    await phone.context().close()
  })
})
