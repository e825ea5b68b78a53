// An emergency nobody answers escalates (issue 11): with the team's escalate_after_minutes
// at 1 and the server scanning every 200 ms, the phone of the on-call person (390×844)
// shows the escalation banner and vibrates; so does a lead's locked phone, without a name;
// a colleague the event does not name gets neither; the wall board marks the flag
// ESCALATED with the time. "I'm responding" on the banner answers it everywhere.
import { beforeAll, describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { Api, DESKTOP, PHONE, e2eSuite, newPage, overflowing, raiseFlag, settle, shot, signIn, smallTargets, waitLive, type Schemas } from './server'

const ctx = e2eSuite({ env: { ACTBOARD_ESCALATION_SCAN_MS: '200' } })

type Flag = Schemas['FlagOut']

/** Record navigator.vibrate and system notifications (a granted permission), before any page script. */
function recordAlerts() {
  const w = window as unknown as { __vibrations: unknown[]; __notifications: { title: string; body?: string }[] }
  w.__vibrations = []
  w.__notifications = []
  Object.defineProperty(navigator, 'vibrate', { configurable: true, value: (p: unknown) => (w.__vibrations.push(p), true) })
  class RecordedNotification {
    static permission = 'granted'
    static requestPermission = async () => 'granted'
    constructor(title: string, opts?: { body?: string }) {
      w.__notifications.push({ title, body: opts?.body })
    }
  }
  Object.defineProperty(window, 'Notification', { configurable: true, writable: true, value: RecordedNotification })
}

const vibrations = (page: Page) => page.evaluate(() => (window as unknown as { __vibrations: number[][] }).__vibrations)
const notifications = (page: Page) => page.evaluate(() => (window as unknown as { __notifications: { title: string; body?: string }[] }).__notifications)

describe('escalation', () => {
  let maria: Api
  let teamId: string
  let board: Schemas['Board']
  let onCall: { username: string; name: string }
  let bystander: { username: string; name: string }

  beforeAll(async () => {
    maria = await Api.login(ctx.server.base, 'maria.lopez')
    teamId = maria.team('Riverside ACT').team_id
    board = await maria.call<Schemas['Board']>('GET', `/api/teams/${teamId}/board`)
    // The demo's open emergency would escalate too: resolve it, so the one raised here is the only one.
    for (const f of await maria.call<Flag[]>('GET', `/api/teams/${teamId}/flags?open=true`)) {
      if (f.severity === 'emergency') await maria.call('POST', `/api/teams/${teamId}/flags/${f.id}/resolve`, { outcome: 'e2e: cleared for the escalation test' } satisfies Schemas['Resolve'])
    }
    const team = await maria.call<Schemas['TeamOut']>('GET', `/api/teams/${teamId}`)
    await maria.call('PATCH', `/api/teams/${teamId}`, { version: team.version, escalate_after_minutes: 1 } satisfies Schemas['TeamPatch'])
    const members = await maria.call<Schemas['MemberOut'][]>('GET', `/api/teams/${teamId}/members`)
    const on = board.on_call
    expect(on, 'the demo has someone on call around the clock').toBeTruthy()
    const m = members.find((x) => x.staff_id === on!.staff_id)!
    expect(m.role).not.toBe('lead')
    onCall = { username: m.username, name: m.display_name }
    const b = members.find((x) => x.role === 'member' && x.staff_id !== on!.staff_id)!
    bystander = { username: b.username, name: b.display_name }
  })

  test('an emergency unanswered for a minute: banner and vibration on the on-call phone and on a locked lead\'s phone, nothing on a colleague\'s, ESCALATED on the board', async () => {
    // The on-call person's phone.
    const phone = await newPage(ctx.browser, PHONE, { mobile: true })
    await phone.page.addInitScript(recordAlerts)
    await signIn(phone.page, ctx.server.base, onCall.username)
    await phone.page.goto(`${ctx.server.base}/teams/${teamId}/oncall`)
    await waitLive(phone.page)
    // A colleague's phone: not on call, not a lead.
    const other = await newPage(ctx.browser, PHONE, { mobile: true })
    await other.page.addInitScript(recordAlerts)
    await signIn(other.page, ctx.server.base, bystander.username)
    await other.page.goto(`${ctx.server.base}/teams/${teamId}/oncall`)
    await waitLive(other.page)
    // The lead's phone, locked after 16 idle minutes (its clock is Playwright's).
    const locked = await newPage(ctx.browser, PHONE, { mobile: true })
    await locked.page.addInitScript(recordAlerts)
    await locked.page.clock.install()
    await signIn(locked.page, ctx.server.base, 'maria.lopez')
    await locked.page.goto(`${ctx.server.base}/teams/${teamId}/oncall`)
    await waitLive(locked.page)
    await locked.page.clock.fastForward('16:00')
    await locked.page.getByTestId('lock-screen').waitFor()
    await waitLive(locked.page)
    // The wall board.
    const wall = await newPage(ctx.browser, DESKTOP)
    await signIn(wall.page, ctx.server.base, 'maria.lopez')
    await wall.page.goto(`${ctx.server.base}/teams/${teamId}/board`)
    await waitLive(wall.page)

    try {
      const client = board.clients.find((c) => c.open_flags.length === 0)!
      const reason = `E2E nobody answers ${Date.now()}`
      const flag = await raiseFlag(maria, teamId, client.id, 'emergency', reason, 'self_harm')
      // A new emergency buzzes [400, 150, …] (5 steps); an escalation longer (7 steps).
      const long = async (page: Page) => (await vibrations(page)).filter((p) => p.length > 5).length

      // About a minute later, on the on-call phone: the banner, and a long buzz.
      const banner = phone.page.getByTestId('escalation-banner')
      await banner.waitFor({ timeout: 100_000 })
      const escalated = (await maria.call<Flag[]>('GET', `/api/teams/${teamId}/flags?open=true`)).find((f) => f.id === flag.id)!
      expect(escalated.escalated_at).toBeTruthy()
      const text = await banner.innerText()
      console.log(`banner: ${text.replace(/\s+/g, ' ')}`)
      expect(text).toContain('ESCALATED emergency')
      expect(text).toContain(client.display_name)
      expect(text).toMatch(/no one responding (for \d+ min|yet)/)
      expect(await long(phone.page)).toBe(1)
      expect((await notifications(phone.page)).at(-1)).toEqual({ title: 'ESCALATED emergency — Riverside ACT', body: 'No one is responding yet. Open actboard.' })
      // The flag card on the phone says it too.
      expect(await phone.page.getByTestId('phone-flag').filter({ hasText: reason }).innerText()).toMatch(/ESCALATED \d\d:\d\d/)
      await settle(phone.page)
      await shot(phone.page, 'phone-escalated-390.png')
      const sw = await phone.page.evaluate(() => document.documentElement.scrollWidth)
      expect(sw, (await overflowing(phone.page)).join('; ')).toBeLessThanOrEqual(PHONE.width)
      expect(await smallTargets(phone.page)).toEqual([])

      // The locked lead's phone: a banner without a name, and the buzz.
      const lockBanner = locked.page.getByTestId('lock-escalation')
      await lockBanner.waitFor({ timeout: 5_000 })
      expect(await lockBanner.innerText()).toMatch(/^ESCALATED emergency — no one responding.* — unlock to respond$/)
      const lockedText = await locked.page.evaluate(() => document.body.innerText)
      expect(lockedText).not.toContain(client.display_name)
      expect(lockedText).not.toContain(reason)
      expect(await long(locked.page)).toBe(1)
      await shot(locked.page, 'lock-escalated-390.png')

      // The wall: ESCALATED with the time, and for how long nobody has answered.
      const card = wall.page.getByTestId('flag').filter({ hasText: reason })
      const mark = card.getByTestId('escalated')
      await mark.waitFor({ timeout: 5_000 })
      expect(await mark.innerText()).toMatch(/^ESCALATED \d\d:\d\d — no one responding (for \d+ min|yet)$/)
      await settle(wall.page)
      await shot(wall.page, 'board-escalated-1920.png')

      // The colleague the event does not name: the flag is marked, but no banner, no buzz.
      await other.page.getByTestId('phone-flag').filter({ hasText: reason }).filter({ hasText: 'ESCALATED' }).waitFor({ timeout: 5_000 })
      expect(await other.page.getByTestId('escalation-banner').count()).toBe(0)
      expect(await long(other.page)).toBe(0)

      // "I'm responding" on the banner: the banner goes, the wall names the responder.
      await banner.getByRole('button', { name: "I'm responding" }).click()
      await banner.waitFor({ state: 'detached', timeout: 5_000 })
      await expect.poll(() => card.innerText(), { timeout: 5_000 }).toContain(`Responding: ${short(onCall.name)}`)
      expect(await mark.innerText()).toMatch(/^ESCALATED \d\d:\d\d$/)
      await locked.page.getByTestId('lock-escalation').waitFor({ state: 'detached', timeout: 5_000 })
    } finally {
      for (const p of [phone, other, locked, wall]) await p.context.close()
    }
  }, 180_000)
})

/** "Sam O.": how flag cards name responders. */
function short(full: string): string {
  const parts = full.replace(/^Dr\.\s*/, 'Dr ').trim().split(/\s+/)
  return parts.length < 2 ? full : `${parts.slice(0, -1).join(' ')} ${parts[parts.length - 1][0]}.`
}
