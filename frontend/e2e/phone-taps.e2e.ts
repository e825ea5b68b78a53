// The on-call phone at 390×844, counted: the three most common actions — respond to a flag,
// log a contact, write a handoff — done through the page from the screen the app opens on,
// every tap counted in the page itself (trusted clicks; typing is not a tap, a tap into a
// field before typing is). The counts are asserted against a budget and written to
// target/e2e/taps.txt (docs/TAPS.md quotes them). Also: the header names the team whole
// (never "Riversi…"), and the client quick card opens from a handoff item.
import { beforeAll, describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { join } from 'node:path'
import { Api, OUT, PHONE, e2eSuite, newPage, raiseFlag, shot, signIn, waitLive, writeText, type Schemas } from './server'
import { expectAccessible } from './axe'

const ctx = e2eSuite()

/** The taps budget of each action (docs/TAPS.md). */
const BUDGET = { respond: 1, log: 5, handoffBase: 3 }

describe('the on-call phone: taps for the three daily actions', () => {
  let lead: Api
  let teamId: string
  let teamName: string
  let me: Schemas['MemberOut']
  let board: Schemas['Board']
  let page: Page
  const counts: string[] = []

  const taps = () => page.evaluate(() => (window as unknown as { __taps: number }).__taps)
  const resetTaps = () => page.evaluate(() => { (window as unknown as { __taps: number }).__taps = 0 })
  const tabs = () => page.getByRole('navigation', { name: 'On-call' })

  beforeAll(async () => {
    lead = await Api.login(ctx.server.base, 'maria.lopez')
    const team = lead.team('Riverside ACT')
    teamId = team.team_id
    teamName = team.name
    board = await lead.call<Schemas['Board']>('GET', `/api/teams/${teamId}/board`)
    expect(board.on_call, 'the demo has someone on call now').toBeTruthy()
    const members = await lead.call<Schemas['MemberOut'][]>('GET', `/api/teams/${teamId}/members`)
    me = members.find((m) => m.staff_id === board.on_call!.staff_id)!

    const opened = await newPage(ctx.browser, PHONE, { mobile: true })
    page = opened.page
    // Every trusted click (a tap) on any page of this phone, counted where it lands.
    await opened.context.addInitScript(() => {
      const w = window as unknown as { __taps: number }
      w.__taps = 0
      document.addEventListener('click', (e) => { if (e.isTrusted) w.__taps++ }, true)
    })
    await signIn(page, ctx.server.base, me.username, `/teams/${teamId}/oncall`)
    await waitLive(page)
  })

  test('the header shows the team name whole, also a long one (no "Riversi…")', async () => {
    const name = page.locator('.phone .bar .team-name')
    const clipped = () => name.evaluate((el) => ({ text: el.textContent, clipped: el.scrollWidth > el.clientWidth, right: el.getBoundingClientRect().right, width: document.documentElement.clientWidth }))
    let r = await clipped()
    expect(r.text).toBe(teamName)
    expect(r.clipped).toBe(false)
    expect(r.right).toBeLessThanOrEqual(r.width)
    // A long name wraps inside the header, still whole.
    const t = await lead.call<Schemas['TeamOut']>('GET', `/api/teams/${teamId}`)
    const long = 'Riverside Assertive Community Treatment North'
    await lead.call('PATCH', `/api/teams/${teamId}`, { version: t.version, name: long } satisfies Schemas['TeamPatch'])
    await page.reload()
    await waitLive(page)
    await expect.poll(async () => (await clipped()).text).toBe(long)
    r = await clipped()
    expect(r.clipped).toBe(false)
    expect(r.right).toBeLessThanOrEqual(r.width)
    await shot(page, 'phone-header-long-390.png')
    const t2 = await lead.call<Schemas['TeamOut']>('GET', `/api/teams/${teamId}`)
    await lead.call('PATCH', `/api/teams/${teamId}`, { version: t2.version, name: teamName } satisfies Schemas['TeamPatch'])
    await page.reload()
    await waitLive(page)
    await expect.poll(async () => (await clipped()).text).toBe(teamName)
    await shot(page, 'phone-header-390.png')
  })

  let flagged: Schemas['BoardClient']

  test(`respond to a flag: at most ${BUDGET.respond} tap from the screen the app opens on`, async () => {
    flagged = board.clients.find((c) => c.open_flags.length === 0 && c.case_manager_id !== me.staff_id)!
    const other = board.staff.find((s) => s.role !== 'viewer' && s.id !== me.staff_id && s.display_name !== 'Maria Lopez')!
    const raiser = await Api.login(ctx.server.base, (await lead.call<Schemas['MemberOut'][]>('GET', `/api/teams/${teamId}/members`)).find((m) => m.staff_id === other.id)!.username)
    const flag = await raiseFlag(raiser, teamId, flagged.id, 'emergency', 'E2E taps: says he will not be safe tonight', 'self_harm')
    const card = page.getByTestId('phone-flag').filter({ hasText: flagged.display_name })
    await card.waitFor({ timeout: 10_000 })
    await resetTaps()
    await card.getByRole('button', { name: "I'm responding" }).click()
    await expect.poll(async () => (await lead.call<Schemas['FlagOut'][]>('GET', `/api/teams/${teamId}/flags?open=true`)).find((f) => f.id === flag.id)!.responders.map((r) => r.staff_id)).toContain(me.staff_id)
    const n = await taps()
    counts.push(`Respond to a flag: ${n} tap ("I'm responding" on the flag, on the screen the app opens on).`)
    expect(n).toBeLessThanOrEqual(BUDGET.respond)
  })

  test(`log a contact (a phone call, reached): at most ${BUDGET.log} taps plus typing the name`, async () => {
    const client = board.clients.find((c) => c.id !== flagged.id && board.clients.filter((x) => x.display_name.includes(c.display_name)).length === 1)!
    await resetTaps()
    await tabs().getByRole('button', { name: 'Log contact' }).click()
    const search = page.locator('#client-search')
    await search.click()
    await page.keyboard.type(client.display_name)
    await page.locator('.results').getByRole('button', { name: client.display_name, exact: true }).click()
    await page.getByRole('group', { name: 'Kind' }).getByRole('button', { name: 'Phone', exact: true }).click()
    await page.getByRole('button', { name: 'Save contact' }).click()
    await page.getByRole('status').filter({ hasText: 'Contact logged.' }).waitFor()
    const n = await taps()
    counts.push(`Log a contact: ${n} taps (Log contact tab, the name field, the client, "Phone", Save) and the client's name typed; outcome "Reached", the time now, place, purpose and minutes are pre-set.`)
    expect(n).toBeLessThanOrEqual(BUDGET.log)
    const logged = (await lead.call<Schemas['ContactOut'][]>('GET', `/api/teams/${teamId}/contacts?client_id=${client.id}&staff_id=${me.staff_id}&status=completed&limit=1000`))
      .filter((c) => c.kind === 'phone' && c.created_by === me.staff_id)
    expect(logged).toHaveLength(1)
  })

  test('the quick card from a handoff item: the phone number and the crisis plan', async () => {
    await tabs().getByRole('button', { name: /^Handoff/ }).click()
    const open = page.getByRole('button', { name: 'Client card (phone, crisis plan)' }).first()
    await open.waitFor()
    await open.click()
    const card = page.getByTestId('client-card')
    await card.getByTestId('card-phone').waitFor()
    expect(await card.getByTestId('card-phone').innerText()).toMatch(/^Call \d{3}-\d{4}$/)
    expect((await card.getByTestId('card-crisis-plan').innerText()).length).toBeGreaterThan(20)
    await shot(page, 'phone-card-from-handoff-390.png')
    await expectAccessible(page, 'quick card from a handoff (390)')
    await card.getByRole('button', { name: 'Back' }).click()
    await card.waitFor({ state: 'detached' })
  })

  test('write a handoff: the tab, "Write a handoff", one tap per unstable client\'s contingency, Send', async () => {
    await tabs().getByRole('button', { name: /^Flags/ }).click()
    await resetTaps()
    await tabs().getByRole('button', { name: /^Handoff/ }).click()
    await page.getByRole('button', { name: 'Write a handoff' }).click()
    // Pre-filled: the receiver (on call next) and my clients with open flags or visits today.
    await expect.poll(() => page.getByLabel('To', { exact: true }).inputValue()).not.toBe('')
    const item = page.getByTestId('handoff-item').filter({ hasText: flagged.display_name })
    await item.waitFor()
    expect(await item.getByLabel('Summary').inputValue()).toContain('will not be safe tonight')
    const items = await page.getByTestId('handoff-item').all()
    let unstable = 0
    for (const it of items) {
      if ((await it.getByRole('button', { name: 'Unstable' }).getAttribute('aria-pressed')) !== 'true') continue
      const field = it.getByLabel(/^Contingency/)
      if ((await field.inputValue()).trim()) continue
      unstable++
      await field.click()
      await page.keyboard.type('If unsafe tonight: mobile crisis, then the on-call psychiatrist.')
    }
    await page.getByRole('button', { name: 'Send handoff' }).click()
    await page.getByRole('status').filter({ hasText: /^Handoff sent to / }).waitFor()
    const n = await taps()
    const budget = BUDGET.handoffBase + unstable
    counts.push(`Write a handoff: ${n} taps (Handoff tab, "Write a handoff", Send, and ${unstable === 1 ? '1 tap into the contingency of the unstable client' : `${unstable} taps into the contingencies of the ${unstable} unstable clients`}, typed); the receiver (on call next) and ${items.length} client${items.length === 1 ? '' : 's'} with summaries pre-filled.`)
    expect(n).toBeLessThanOrEqual(budget)
    const sent = await lead.call<Schemas['HandoffOut'][]>('GET', `/api/teams/${teamId}/handoffs?client_id=${flagged.id}`)
    expect(sent.find((h) => h.from_staff_id === me.staff_id)).toBeTruthy()
    console.log(counts.join('\n'))
    writeText(join(OUT, 'taps.txt'), `${counts.join('\n')}\n`)
  })
})
