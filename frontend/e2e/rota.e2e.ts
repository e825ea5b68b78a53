// The on-call rota (issue 12), all through the page: a lead enters a weekly pattern
// (weeknights 17:00–09:00, weekend days 09:00–17:00), sees a row error in words, applies it
// for two weeks (the demo's week of shifts is skipped, in words), sees the uncovered hours in
// red, covers a gap with an exception shift and deletes it again; another member's board shows
// who is on call and follows a change live. Axe and screenshots at both sizes.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { Api, DESKTOP, PHONE, e2eSuite, newPage, overflowing, settle, shot, signIn, teamDay, waitLive, type Schemas } from './server'
import { expectAccessible } from './axe'

const ctx = e2eSuite()

/** "Wed 9 Dec" of a YYYY-MM-DD day: the app's one day format. */
function longDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number)
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' }).formatToParts(new Date(Date.UTC(y, m - 1, d)))
  const get = (t: string) => parts.find((p) => p.type === t)!.value
  return `${get('weekday')} ${get('day')} ${get('month')}`
}
function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number)
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10)
}
const isoWeekday = (day: string) => ((new Date(`${day}T12:00:00Z`).getUTCDay() + 6) % 7) + 1
/** Team-local "YYYY-MM-DDTHH:MM" of an instant. */
function localAt(tz: string, ms: number): string {
  const p = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(ms))
  const g = (t: string) => p.find((x) => x.type === t)!.value
  return `${g('year')}-${g('month')}-${g('day')}T${g('hour')}:${g('minute')}`
}

describe('on-call rota', () => {
  let maria: Api
  let team: Schemas['MyTeam']
  let teamId: string
  let today: string
  let staff: Schemas['BoardStaff'][]
  let lead: Page
  let leadCtx: BrowserContext
  let member: Page
  let memberCtx: BrowserContext
  const rota = () => `${ctx.server.base}/teams/${teamId}/rota`

  beforeAll(async () => {
    maria = await Api.login(ctx.server.base, 'maria.lopez')
    team = maria.team('Riverside ACT')
    teamId = team.team_id
    today = teamDay(team.timezone)
    staff = (await maria.call<Schemas['Board']>('GET', `/api/teams/${teamId}/board`)).staff
    ;({ context: leadCtx, page: lead } = await newPage(ctx.browser, DESKTOP))
    await signIn(lead, ctx.server.base, 'maria.lopez', `/teams/${teamId}/rota`)
    await waitLive(lead)
    ;({ context: memberCtx, page: member } = await newPage(ctx.browser, DESKTOP))
    await signIn(member, ctx.server.base, 'sam.okafor', `/teams/${teamId}/board`)
    await waitLive(member)
    await member.evaluate(() => ((window as any).__e2eNoReload = true))
  }, 60_000)
  afterAll(async () => { await leadCtx?.close(); await memberCtx?.close() })

  const gap = (page: Page, words: string) => page.getByTestId('gap').filter({ hasText: words })

  test('the demo leaves the second week uncovered, marked in red', async () => {
    await lead.getByTestId('cov-day').nth(13).waitFor()
    // The demo has on call from yesterday for 8 days; the last of the two weeks is empty.
    const last = addDays(today, 13)
    await gap(lead, `No one on call ${longDay(last)} 00:00–24:00`).waitFor()
    await expect.poll(() => lead.getByTestId('gap-summary').textContent()).toMatch(/gaps? with no one on call/)
  })

  test('a lead enters a weekly pattern; a row error is shown on its row, in words', async () => {
    const night = staff[1]
    const weekend = staff[2]
    const rows = [1, 2, 3, 4, 5].map((d) => ({ d, start: '17:00', end: '09:00', who: night })).concat([6, 7].map((d) => ({ d, start: '09:00', end: '17:00', who: weekend })))
    // One more row that overlaps Monday night: refused, on that row.
    rows.push({ d: 1, start: '20:00', end: '23:00', who: weekend })
    for (let i = 0; i < rows.length; i++) {
      await lead.getByRole('button', { name: '+ Add row' }).click()
      const r = rows[i]
      await lead.getByLabel(`Day, row ${i + 1}`, { exact: true }).selectOption(String(r.d))
      await lead.getByLabel(`Start, row ${i + 1}`, { exact: true }).fill(r.start)
      await lead.getByLabel(`End, row ${i + 1}`, { exact: true }).fill(r.end)
      await lead.getByLabel(`Person, row ${i + 1}`, { exact: true }).selectOption(r.who.id)
    }
    await lead.getByRole('button', { name: 'Save pattern' }).click()
    await expect.poll(() => lead.getByTestId('row-error').textContent()).toMatch(/^Row 8: Start: overlaps row 1/)
    await lead.getByTestId('pattern-error').getByText('Not saved: 1 row to correct').waitFor()
    await lead.getByRole('button', { name: 'Remove row 8' }).click()
    await lead.getByRole('button', { name: 'Save pattern' }).click()
    await lead.getByText('Saved: 7 slots a week.').waitFor()
    expect(await lead.getByTestId('row-error').count()).toBe(0)
  })

  test('applying two weeks: created and skipped in words, and the gaps left are marked', async () => {
    await lead.getByLabel('Weeks', { exact: true }).selectOption('2')
    await lead.getByRole('button', { name: 'Apply to the next 2 weeks' }).click()
    const words = await lead.getByTestId('apply-result').textContent()
    // The demo's week of shifts overlaps the first days: skipped, with whose shift.
    expect(words).toMatch(/^\d+ shifts created, \d+ skipped: \w{3} \d+ \w{3} \d\d:\d\d overlaps [^;]+'s shift/)
    // The second week: weekdays 09:00–17:00 are nobody's.
    const day = [8, 9, 10, 11, 12, 13].map((n) => addDays(today, n)).find((d) => isoWeekday(d) <= 4)!
    await gap(lead, `No one on call ${longDay(day)} 09:00–17:00`).waitFor()
    // The nights are covered now: the last day is no longer a whole-day gap.
    await expect.poll(() => gap(lead, `No one on call ${longDay(addDays(today, 13))} 00:00–24:00`).count()).toBe(0)
  })

  test('a pattern saved elsewhere meanwhile: said in words, my rows kept, saving again puts mine', async () => {
    // This lead changes Sunday's person (unsaved)…
    await lead.getByLabel('Person, row 7', { exact: true }).selectOption(staff[4].id)
    // …while another lead saves the pattern from elsewhere (one slot fewer).
    const p = await maria.call<Schemas['PatternOut']>('GET', `/api/teams/${teamId}/oncall/pattern`)
    await maria.call('PUT', `/api/teams/${teamId}/oncall/pattern`, { version: p.version, slots: p.slots.slice(0, 6).map(({ weekday, start, end, staff_id }) => ({ weekday, start, end, staff_id })) })
    await lead.getByText('Someone else saved the pattern meanwhile.').waitFor()
    await lead.getByRole('button', { name: 'Save pattern' }).click()
    await expect.poll(() => lead.getByTestId('pattern-error').textContent()).toMatch(/^Not saved: Maria Lopez changed the pattern at .* \(now 6 slots\)/)
    expect(await lead.getByLabel('Person, row 7', { exact: true }).inputValue()).toBe(staff[4].id)
    await lead.getByRole('button', { name: 'Save pattern' }).click()
    await lead.getByText('Saved: 7 slots a week.').waitFor()
    const after = await maria.call<Schemas['PatternOut']>('GET', `/api/teams/${teamId}/oncall/pattern`)
    expect(after.slots.find((x) => x.weekday === 7)!.staff_id).toBe(staff[4].id)
  })

  test('an exception shift closes a gap; deleting it (confirmed in the page) opens it again', async () => {
    const day = [8, 9, 10, 11, 12, 13].map((n) => addDays(today, n)).find((d) => isoWeekday(d) <= 4)!
    const words = `No one on call ${longDay(day)} 09:00–17:00`
    await gap(lead, words).getByRole('button', { name: 'Cover…' }).click()
    const who = staff[3]
    const exc = lead.locator('form.exception')
    await exc.getByLabel('Person', { exact: true }).selectOption(who.id)
    expect(await exc.getByLabel('From', { exact: true }).inputValue()).toBe(`${day}T09:00`)
    await lead.getByRole('button', { name: 'Add shift' }).click()
    await lead.getByText(`Added: ${who.display_name} on call ${longDay(day)} 09:00–17:00.`).waitFor()
    await expect.poll(() => gap(lead, words).count()).toBe(0)

    await lead.getByRole('button', { name: `Delete ${who.display_name}'s shift ${longDay(day)} 09:00–17:00` }).click()
    const ask = lead.getByRole('group', { name: 'Confirm deleting the shift' })
    await ask.getByText(`Delete ${who.display_name}'s shift`).waitFor()
    // Keeping it changes nothing.
    await ask.getByRole('button', { name: 'Keep it' }).click()
    expect(await gap(lead, words).count()).toBe(0)
    await lead.getByRole('button', { name: `Delete ${who.display_name}'s shift ${longDay(day)} 09:00–17:00` }).click()
    await lead.getByRole('button', { name: 'Delete shift' }).click()
    await gap(lead, words).waitFor()
  })

  test("another member's board shows who is on call, and follows a change live", async () => {
    const now = await maria.call<Schemas['ShiftOut']>('GET', `/api/teams/${teamId}/oncall/now`)
    const short = (n: string) => n.replace(/^(.*) (\S)\S*$/, '$1 $2.')
    const bar = member.getByTestId('oncall-now')
    await expect.poll(() => bar.textContent()).toContain(`On call: ${short(now.staff_name)} until`)
    // The lead puts someone else on call from now for two hours (overlapping: asked first).
    const board = await maria.call<Schemas['Board']>('GET', `/api/teams/${teamId}/board`)
    const who = staff.find((s) => s.id !== now.staff_id && s.id !== board.on_call_next?.staff_id)!
    const from = localAt(team.timezone, Date.now() - 60_000)
    const to = localAt(team.timezone, Date.now() + 2 * 3600_000)
    const form = lead.locator('form.exception')
    await form.getByLabel('Person', { exact: true }).selectOption(who.id)
    await form.getByLabel('From', { exact: true }).fill(from)
    await form.getByLabel('To', { exact: true }).fill(to)
    await form.getByRole('button', { name: 'Add shift' }).click()
    await form.getByTestId('shift-error').getByText(/overlaps/).waitFor()
    await form.getByRole('button', { name: 'Add it anyway (two people on call)' }).click()
    await expect.poll(() => bar.textContent(), { timeout: 10_000 }).toContain(`On call: ${short(who.display_name)} until`)
    // The lead's own bar too.
    await expect.poll(() => lead.getByTestId('oncall-now').textContent()).toContain(short(who.display_name))
    expect(await member.evaluate(() => (window as any).__e2eNoReload)).toBe(true)
  })

  test('a member reads the rota but cannot change it', async () => {
    await member.goto(rota())
    await waitLive(member)
    await member.getByTestId('cov-day').nth(13).waitFor()
    await member.getByTestId('pattern-row').first().waitFor()
    expect(await member.getByRole('button', { name: 'Save pattern' }).count()).toBe(0)
    expect(await member.getByRole('button', { name: /^Delete / }).count()).toBe(0)
    await member.getByText('Only team leads change the rota').waitFor()
  })

  for (const [tag, size] of [['1920', DESKTOP], ['390', PHONE]] as const) {
    test(`accessible, readable and screenshotted at ${tag}`, async () => {
      const { context, page } = await newPage(ctx.browser, size, { mobile: size.width < 700 })
      await signIn(page, ctx.server.base, 'maria.lopez', `/teams/${teamId}/rota`)
      await waitLive(page)
      await page.getByTestId('cov-day').nth(13).waitFor()
      await page.getByTestId('pattern-row').first().waitFor()
      await settle(page)
      await expectAccessible(page, `rota at ${tag}`)
      if (size.width < 700) expect(await overflowing(page)).toEqual([])
      await shot(page, `rota-${tag}.png`)
      await shot(page, `rota-${tag}-full.png`, true)
      await page.getByTestId('gap').first().scrollIntoViewIfNeeded()
      await shot(page, `rota-${tag}-gaps.png`)
      await page.locator('.rota-pattern').scrollIntoViewIfNeeded()
      await shot(page, `rota-${tag}-pattern.png`)
      await context.close()
    })
  }
})
