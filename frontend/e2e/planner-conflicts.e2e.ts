// No silent double booking in the planner (issue 11): a drag onto someone busy shows the
// clash in words and moves nothing until the lead chooses; "Book anyway" books it and the
// column marks the overlap. Absences over date ranges: a clash with the cover's visits is
// shown first, the moved visits are checked through the API, another screen (the board)
// shows the person out, live, and the absence is cancelled from the list; undo of a bulk
// move cancels the absence and moves the visits back.
import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, test } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import { Api, DESKTOP, PHONE, e2eSuite, newPage, overflowing, settle, shot, signIn, smallTargets, teamDay, waitLive, type Schemas } from './server'

const ctx = e2eSuite()

type Contact = Schemas['ContactOut']
type Staff = Schemas['BoardStaff']
type Absence = Schemas['AbsenceOut']

/** YYYY-MM-DD plus `n` days. */
function plus(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number)
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10)
}

/** "Thu 3 Dec", as the screens write a day. */
function short(day: string): string {
  const [y, m, d] = day.split('-').map(Number)
  const t = new Date(Date.UTC(y, m - 1, d))
  const f = (o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('en-GB', { ...o, timeZone: 'UTC' }).format(t)
  return `${f({ weekday: 'short' })} ${d} ${f({ month: 'short' })}`
}

describe('planner: conflicts and absences', () => {
  let maria: Api
  let teamId: string
  let today: string
  let staff: Staff[]
  let names: Map<string, string>
  let clientIds: string[]
  let lead: Page

  const staffId = (name: string) => staff.find((s) => s.display_name === name)!.id
  const column = (page: Page, who: string) => page.getByTestId(`column-${who}`)
  // By the card's own time and client (an overlap mark names other visits' times and clients).
  const card = (page: Page, who: string, v: Contact) =>
    column(page, who).getByTestId('visit')
      .filter({ has: page.locator('.t', { hasText: `${v.start}–${v.end}` }) })
      .filter({ has: page.locator('.c', { hasText: names.get(v.client_id)! }) })
  const conflict = () => lead.getByTestId('conflict')
  const contactsOf = (from: string, to: string) => maria.call<Contact[]>('GET', `/api/teams/${teamId}/contacts?from=${from}&to=${to}&limit=1000`)
  const contact = async (v: Contact) => (await contactsOf(v.day, v.day)).find((c) => c.id === v.id)!

  /** A planned visit booked through the API (setup), overlap allowed. */
  async function book(who: string, clientId: string, day: string, start: string, end: string): Promise<Contact> {
    const body: Schemas['ContactIn'] = {
      client_id: clientId, staff_ids: [staffId(who)], day, start, end, kind: 'face_to_face', place: 'community',
      activity: 'e2e setup', status: 'planned', allow_overlap: true,
    }
    return maria.call<Contact>('PUT', `/api/teams/${teamId}/contacts/${randomUUID()}`, body)
  }

  /**
   * Drag `source` onto a column with the HTML5 drag-and-drop events the planner handles,
   * fired on the card and the column themselves: Playwright's mouse drag scrolls a drop
   * target that is out of view after pressing the mouse (the columns scroll sideways at
   * 1920 px), which can start the drag from another card.
   */
  async function drag(source: Locator, to: string) {
    await source.scrollIntoViewIfNeeded()
    const target = await column(lead, to).elementHandle()
    await source.evaluate((el, target) => {
      const dt = new DataTransfer()
      const fire = (node: Element, type: string) => node.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }))
      fire(el, 'dragstart')
      fire(target!, 'dragenter')
      fire(target!, 'dragover')
      fire(target!, 'drop')
      fire(el, 'dragend')
    }, target)
  }

  beforeAll(async () => {
    maria = await Api.login(ctx.server.base, 'maria.lopez')
    const team = maria.team('Riverside ACT')
    teamId = team.team_id
    today = teamDay(team.timezone)
    const board = await maria.call<Schemas['Board']>('GET', `/api/teams/${teamId}/board`)
    staff = board.staff
    names = new Map(board.clients.map((c) => [c.id, c.display_name]))
    clientIds = board.clients.map((c) => c.id)
    lead = (await newPage(ctx.browser, DESKTOP)).page
    await signIn(lead, ctx.server.base, 'maria.lopez')
    await lead.goto(`${ctx.server.base}/teams/${teamId}/planner`)
    await waitLive(lead)
    await lead.getByTestId('visit').first().waitFor()
  })

  test('a drag onto a busy colleague shows the clash and moves nothing; "Leave it" keeps it so; "Book anyway" moves it and marks the overlap', async () => {
    // Alex Kim's visit at 06:30–07:15, and Taylor Reed busy 06:45–07:30 (set up through the
    // API, before the demo's working day).
    const v = await book('Alex Kim', clientIds[10], today, '06:30', '07:15')
    const busy = await book('Taylor Reed', clientIds[11], today, '06:45', '07:30')
    const source = card(lead, 'Alex Kim', v)
    await source.waitFor()

    await drag(source, 'Taylor Reed')
    await conflict().waitFor()
    const words = await conflict().innerText()
    console.log(`conflict: ${words}`)
    expect(words).toContain(`Taylor Reed already has 06:45–07:30 with ${names.get(busy.client_id)} (the visit with ${names.get(v.client_id)} at 06:30–07:15 would overlap)`)
    expect((await contact(v)).staff_ids).toEqual([staffId('Alex Kim')])
    await settle(lead)
    await shot(lead, 'planner-conflict-1920.png')

    await conflict().getByRole('button', { name: 'Leave it' }).click()
    await conflict().waitFor({ state: 'detached' })
    expect((await contact(v)).staff_ids).toEqual([staffId('Alex Kim')])
    expect(await card(lead, 'Alex Kim', v).count()).toBe(1)
    expect(await card(lead, 'Taylor Reed', v).count()).toBe(0)

    await drag(card(lead, 'Alex Kim', v), 'Taylor Reed')
    await conflict().waitFor()
    await conflict().getByRole('button', { name: 'Book anyway (overlap)' }).click()
    await card(lead, 'Taylor Reed', v).waitFor()
    expect((await contact(v)).staff_ids).toEqual([staffId('Taylor Reed')])
    // Both visits are marked in Taylor Reed's column.
    const mark = card(lead, 'Taylor Reed', v).getByTestId('overlap')
    await mark.waitFor()
    expect(await mark.innerText()).toContain(`06:45–07:30 ${names.get(busy.client_id)}`)
    expect(await card(lead, 'Taylor Reed', busy).getByTestId('overlap').count()).toBe(1)
    expect(await card(lead, 'Alex Kim', v).count()).toBe(0)
  })

  test('a new visit that clashes is not booked until the lead says so', async () => {
    const busy = await book('Riley Park', clientIds[12], today, '19:00', '20:00')
    await lead.locator('#nv-client').selectOption(clientIds[13])
    await lead.locator('#nv-staff').selectOption(staffId('Riley Park'))
    await lead.locator('#nv-start').fill('19:30')
    await lead.locator('#nv-end').fill('20:15')
    await lead.getByRole('button', { name: 'Add visit' }).click()
    await conflict().waitFor()
    expect(await conflict().innerText()).toContain(`Riley Park already has 19:00–20:00 with ${names.get(busy.client_id)} (the visit with ${names.get(clientIds[13])} at 19:30–20:15 would overlap)`)
    const count = async () => (await contactsOf(today, today)).filter((c) => c.client_id === clientIds[13] && c.start === '19:30').length
    expect(await count()).toBe(0)
    await conflict().getByRole('button', { name: 'Book anyway (overlap)' }).click()
    await conflict().waitFor({ state: 'detached' })
    await expect.poll(count).toBe(1)
    await column(lead, 'Riley Park').getByTestId('overlap').first().waitFor()
  })

  test('an absence over 3 days whose cover has a clashing visit: the clash first, then "Book anyway" moves the visits; the board shows the person out, live; cancelled from the list', async () => {
    const last = plus(today, 2)
    const tomorrow = plus(today, 1)
    const plannedOf = async (who: string) => (await contactsOf(today, last)).filter((c) => c.status === 'planned' && c.staff_ids.includes(staffId(who)))
    // Jordan Blake is out, Casey Morgan covers. Casey's visits that would clash with
    // Jordan's are cancelled first (setup, through the API; the demo's days are random), so
    // that the clash on screen is the one set up here.
    const out = 'Jordan Blake'
    const cover = 'Casey Morgan'
    const all = await contactsOf(today, last)
    const timed = (who: string, statuses: string[]) =>
      all.filter((c) => c.staff_ids.includes(staffId(who)) && c.start && c.end && statuses.includes(c.status))
    const jordan = timed(out, ['planned'])
    for (const t of timed(cover, ['planned', 'completed'])) {
      if (jordan.some((m) => m.id !== t.id && m.day === t.day && t.start! < m.end! && m.start! < t.end!)) {
        await maria.call('PATCH', `/api/teams/${teamId}/contacts/${t.id}`, { version: t.version, status: 'cancelled' } satisfies Schemas['ContactPatch'])
      }
    }
    // A visit of theirs tomorrow and a clashing one of the cover's (set up through the API).
    const mine = await book(out, clientIds[20], tomorrow, '06:00', '06:45')
    const clash = await book(cover, clientIds[21], tomorrow, '06:15', '07:00')
    const before = (await plannedOf(out)).map((c) => c.id).sort()
    expect(before).toContain(mine.id)

    // The board, on another page, live.
    const board = (await newPage(ctx.browser, DESKTOP)).page
    await signIn(board, ctx.server.base, 'maria.lopez')
    await board.goto(`${ctx.server.base}/teams/${teamId}/board`)
    await waitLive(board)
    await board.evaluate(() => ((window as any).__e2eNoReload = true))
    expect(await board.getByTestId('out-person').filter({ hasText: out }).count()).toBe(0)
    // The wall display (privacy: initials), with a display token.
    const { token } = await maria.call<Schemas['DisplayTokenCreated']>('POST', `/api/teams/${teamId}/display-tokens`, { label: 'E2E out today', privacy: 'initials' } satisfies Schemas['NewDisplayToken'])
    const wall = (await newPage(ctx.browser, DESKTOP)).page
    await wall.goto(`${ctx.server.base}/display?token=${encodeURIComponent(token)}`)
    await waitLive(wall)

    await lead.locator('#abs-who').selectOption({ label: out })
    expect(await lead.locator('#abs-from').inputValue()).toBe(today)
    expect(await lead.locator('#abs-to').inputValue()).toBe(today)
    await lead.locator('#abs-to').fill(last)
    await lead.locator('#abs-cover').selectOption({ label: cover })
    await lead.locator('#abs-reason').fill('Flu (e2e)')
    await lead.getByRole('button', { name: 'Record absence' }).click()

    await conflict().waitFor()
    const words = await conflict().innerText()
    console.log(`absence conflict: ${words}`)
    expect(words.match(/already has|would get/g)).toHaveLength(1)
    expect(words).toContain(`${cover} already has 06:15–07:00 with ${names.get(clash.client_id)} on ${short(tomorrow)} (the visit with ${names.get(mine.client_id)} at 06:00–06:45 would overlap)`)
    // Nothing written: no absence, no visit moved.
    expect((await maria.call<Absence[]>('GET', `/api/teams/${teamId}/absences?from=${today}`)).filter((a) => a.staff_id === staffId(out))).toEqual([])
    expect((await plannedOf(out)).map((c) => c.id).sort()).toEqual(before)

    await conflict().getByRole('button', { name: 'Book anyway (overlap)' }).click()
    await lead.getByRole('status').filter({ hasText: `${out} is out ${short(today)} – ${short(last)}. ${before.length} planned visit${before.length === 1 ? '' : 's'} moved to ${cover}.` }).first().waitFor()
    // Through the API: every planned visit of theirs in the range is the cover's now.
    expect(await plannedOf(out)).toEqual([])
    const theirs = (await plannedOf(cover)).map((c) => c.id)
    for (const id of before) expect(theirs).toContain(id)
    const absences = (await maria.call<Absence[]>('GET', `/api/teams/${teamId}/absences?from=${today}`)).filter((a) => a.staff_id === staffId(out))
    expect(absences.map((a) => [a.from, a.to, a.covered_by])).toEqual([[today, last, staffId(cover)]])

    // The board shows it, live (never the reason); so do the planner's column and list.
    const person = board.getByTestId('out-person').filter({ hasText: out })
    await person.waitFor({ timeout: 5_000 })
    expect(await person.innerText()).toBe(`${out} Out today (until ${short(last)}) — covered by ${cover}`)
    expect(await board.getByTestId('out-today').innerText()).not.toContain('Flu')
    expect(await board.evaluate(() => (window as any).__e2eNoReload)).toBe(true)
    const onWall = wall.getByTestId('out-person').filter({ hasText: out })
    await onWall.waitFor({ timeout: 5_000 })
    expect(await onWall.innerText()).toBe(`${out} Out today (until ${short(last)}) — covered by ${cover}`)
    expect(await wall.evaluate(() => document.body.innerText)).not.toContain('Flu')
    expect(await column(lead, out).getByTestId('column-out').innerText()).toBe(`Out today (until ${short(last)}) — covered by ${cover}`)
    const row = lead.getByTestId('absence').filter({ hasText: out })
    expect(await row.innerText()).toContain(`${short(today)} – ${short(last)}`)
    await settle(board)
    await shot(board, 'board-out-1920.png')
    await row.scrollIntoViewIfNeeded()
    await shot(lead, 'planner-absences-1920.png')

    // Cancel it from the list: gone from the API and, live, from the board.
    await row.getByRole('button', { name: 'Cancel absence' }).click()
    await person.waitFor({ state: 'detached', timeout: 5_000 })
    await onWall.waitFor({ state: 'detached', timeout: 5_000 })
    await wall.context().close()
    expect((await maria.call<Absence[]>('GET', `/api/teams/${teamId}/absences?from=${today}`)).filter((a) => a.staff_id === staffId(out))).toEqual([])
    await expect.poll(() => lead.getByTestId('absence').filter({ hasText: out }).count()).toBe(0)
    // Cancelling moves nothing back (the server's rule): the visits stay with the cover.
    expect(await plannedOf(out)).toEqual([])
    await board.context().close()
  })

  test('undo after an absence cancels it and moves the visits back; a newer undo replaces the older one', async () => {
    const out = 'Devon Hughes'
    const cover = 'Priya Nair'
    const day = plus(today, 3)
    const a = await book(out, clientIds[30], day, '08:00', '08:30')
    const b = await book(out, clientIds[31], day, '08:30', '09:00')
    const planned = async (who: string) => (await contactsOf(day, day)).filter((c) => c.status === 'planned' && c.staff_ids.includes(staffId(who))).map((c) => c.id)
    const before = await planned(out)
    expect(before).toEqual(expect.arrayContaining([a.id, b.id]))

    // An older undo first (a move, at an hour nobody works), which the absence's replaces.
    const early = await book('Sam Okafor', clientIds[32], today, '05:00', '05:15')
    await card(lead, 'Sam Okafor', early).getByLabel(`Move ${names.get(early.client_id)} to`).selectOption({ label: 'Dr. Wei Chen' })
    await lead.locator('.toast').filter({ hasText: `Moved ${names.get(early.client_id)} to Dr. Wei Chen` }).waitFor()

    await lead.locator('#abs-who').selectOption({ label: out })
    await lead.locator('#abs-from').fill(day)
    await lead.locator('#abs-to').fill(day)
    await lead.locator('#abs-cover').selectOption({ label: cover })
    await lead.getByRole('button', { name: 'Record absence' }).click()
    await lead.locator('.toast, [data-testid="conflict"]').first().waitFor()
    if (await conflict().count()) await conflict().getByRole('button', { name: 'Book anyway (overlap)' }).click()
    const toast = lead.locator('.toast')
    await toast.filter({ hasText: `${out} is out ${short(day)}.` }).waitFor()
    expect(await lead.locator('.toast').count()).toBe(1)
    expect(await toast.innerText()).not.toContain('Moved')
    await expect.poll(() => planned(out)).toEqual([])

    await toast.getByRole('button', { name: 'Undo' }).click()
    const said = lead.getByTestId('undo-result')
    await said.waitFor()
    expect(await said.innerText()).toBe(`Absence cancelled. ${before.length} of ${before.length} visit${before.length === 1 ? '' : 's'} moved back to ${out}.`)
    expect((await planned(out)).sort()).toEqual([...before].sort())
    expect((await maria.call<Absence[]>('GET', `/api/teams/${teamId}/absences?from=${day}`)).filter((x) => x.staff_id === staffId(out))).toEqual([])
  })

  test('at 390×844 the conflict and the absence list read without zooming or sideways scrolling', async () => {
    const { page, context } = await newPage(ctx.browser, PHONE, { mobile: true })
    try {
      await signIn(page, ctx.server.base, 'maria.lopez')
      const v = await book('Alex Kim', clientIds[40], today, '21:00', '21:45')
      const busy = await book('Riley Park', clientIds[41], today, '21:30', '22:15')
      await maria.call('POST', `/api/teams/${teamId}/absences`, { staff_id: staffId('Jamie Fox'), from: plus(today, 1), to: plus(today, 4), reason: 'Training (e2e)' } satisfies Schemas['NewAbsenceBody'])
      await page.goto(`${ctx.server.base}/teams/${teamId}/planner`)
      await waitLive(page)
      await card(page, 'Alex Kim', v).getByLabel(`Move ${names.get(v.client_id)} to`).selectOption({ label: 'Riley Park' })
      const c = page.getByTestId('conflict')
      await c.waitFor()
      expect(await c.innerText()).toContain(`Riley Park already has 21:30–22:15 with ${names.get(busy.client_id)}`)
      await c.scrollIntoViewIfNeeded()
      await settle(page)
      await shot(page, 'planner-conflict-390.png')
      const sw = await page.evaluate(() => document.documentElement.scrollWidth)
      expect(sw, (await overflowing(page)).join('; ')).toBeLessThanOrEqual(PHONE.width)
      expect(await smallTargets(page)).toEqual([])
      const px = await c.locator('li').first().evaluate((e) => parseFloat(getComputedStyle(e).fontSize))
      expect(px).toBeGreaterThanOrEqual(16)
      await c.getByRole('button', { name: 'Leave it' }).click()
      expect((await contact(v)).staff_ids).toEqual([staffId('Alex Kim')])

      const row = page.getByTestId('absence').filter({ hasText: 'Jamie Fox' })
      await row.waitFor()
      expect(await row.innerText()).toContain(`${short(plus(today, 1))} – ${short(plus(today, 4))}`)
      await page.locator('.absences').scrollIntoViewIfNeeded()
      await settle(page)
      await shot(page, 'planner-absences-390.png')
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width)
    } finally {
      await context.close()
    }
  })
})
