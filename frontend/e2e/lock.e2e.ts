// The idle lock (issue 11): after 15 minutes without input the screen locks, but the session
// keeps renewing and the live connection stays open, so a locked on-call phone still alerts
// to a new emergency. The lock shows counts by severity only (no client name or flag text
// anywhere in the page); unlocking takes the password. The page's clock is Playwright's, so
// the 15 minutes and the token's lifetime pass in seconds.
import { beforeAll, describe, expect, test } from 'vitest'
import type { Page, WebSocket } from 'playwright-core'
import { Api, DESKTOP, PASSWORD, PHONE, e2eSuite, newPage, raiseFlag, shot, signIn, sleep, waitLive, type Schemas } from './server'

const ctx = e2eSuite()

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

const vibrations = (page: Page) => page.evaluate(() => (window as unknown as { __vibrations: unknown[] }).__vibrations.length)
const notifications = (page: Page) => page.evaluate(() => (window as unknown as { __notifications: { title: string; body?: string }[] }).__notifications)

/** The next frame of `type` the page receives on `ws`. */
function nextFrame(ws: WebSocket, type: string, timeout = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const on = (f: { payload: string | Buffer }) => {
      if (!String(f.payload).includes(`"type":"${type}"`)) return
      clearTimeout(t)
      ws.off('framereceived', on)
      resolve()
    }
    const t = setTimeout(() => { ws.off('framereceived', on); reject(new Error(`no "${type}" frame within ${timeout} ms`)) }, timeout)
    ws.on('framereceived', on)
  })
}

/**
 * Let `minutes` pass on the page's clock without input, in 30 s steps. Each step fires the
 * client's ping and waits for the server's pong: the server runs on real time, so without
 * it the client would rightly think a connection silent for 35 s (of its time) dead. After
 * a step that asked for a token, one real second passes: the server's tokens count whole
 * seconds, and a renewal within the second of the last one gets no newer token (the
 * client then retries, as it should).
 */
async function idle(page: Page, ws: WebSocket, minutes: number, refreshing: { n: number }) {
  for (let i = 0; i < minutes * 2; i++) {
    const asked = refreshing.n
    const pong = nextFrame(ws, 'pong')
    await page.clock.fastForward(30_000)
    await pong
    if (refreshing.n !== asked) await sleep(1_100)
  }
}

/** Text that must never be in a locked page: every client's name and every open flag's reason. */
async function clinicalText(api: Api, teamId: string): Promise<string[]> {
  const board = await api.call<Schemas['Board']>('GET', `/api/teams/${teamId}/board`)
  const names = board.clients.flatMap((c) => [c.display_name, `${c.given_name} ${c.family_name}`])
  return [...new Set([...names, ...board.open_flags.map((f) => f.reason)])]
}

async function expectNoneIn(page: Page, forbidden: string[]) {
  const text = await page.evaluate(() => document.body.innerText)
  const html = await page.content()
  expect(forbidden.filter((s) => text.includes(s) || html.includes(s))).toEqual([])
}

describe('idle lock', () => {
  let sam: Api
  let teamId: string

  beforeAll(async () => {
    sam = await Api.login(ctx.server.base, 'sam.okafor')
    teamId = sam.team('Riverside ACT').team_id
  })

  test('a locked phone at 390×844 keeps its connection and token, alerts to a new emergency with counts only, and unlocks with the password', async () => {
    const { context, page } = await newPage(ctx.browser, PHONE, { mobile: true })
    const sockets: WebSocket[] = []
    page.on('websocket', (ws) => sockets.push(ws))
    let refreshes = 0
    const refreshing = { n: 0 }
    page.on('request', (r) => { if (r.url().endsWith('/api/auth/refresh')) refreshing.n++ })
    page.on('response', (r) => { if (r.url().endsWith('/api/auth/refresh') && r.status() === 200) refreshes++ })
    await page.addInitScript(recordAlerts)
    await page.clock.install()
    try {
      // The token's lifetime, as the sign-in answers it.
      const login = await (await fetch(`${ctx.server.base}/api/auth/login`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'priya.nair', password: PASSWORD }),
      })).json() as Schemas['TokenResponse']
      const lifetimeMin = login.expires_in / 60
      expect(lifetimeMin).toBeGreaterThan(1)

      await signIn(page, ctx.server.base, 'sam.okafor')
      await page.waitForURL(`**/teams/${teamId}/oncall`)
      await waitLive(page)
      expect(sockets).toHaveLength(1)
      const ws = sockets[0]
      const auths: string[] = []
      ws.on('framesent', (f) => { if (String(f.payload).includes('"type":"auth"')) auths.push(String(f.payload)) })
      const names = await clinicalText(sam, teamId)
      expect(await page.locator('body').innerText()).toMatch(/No one responding yet|Responding/) // the screen showed flags

      // 15 minutes without input: locked, and nothing clinical is left in the page.
      await idle(page, ws, 15.5, refreshing)
      await page.getByTestId('lock-screen').waitFor()
      expect(await page.getByTestId('phone-flag').count()).toBe(0)
      await expectNoneIn(page, names)
      expect(await page.evaluate(() => localStorage.getItem('actboard.locked'))).toBe(sam.me.user.id)
      expect(await vibrations(page)).toBe(0) // flags open before the lock are not news

      // Past the access token's lifetime (twice over, counting from the sign-in), locked:
      // it was renewed over the same connection, which never closed.
      const refreshesAtLock = refreshes
      const authsAtLock = auths.length
      await idle(page, ws, 2 * lifetimeMin - 15.5 + 1, refreshing)
      await expect.poll(() => refreshes).toBeGreaterThan(refreshesAtLock)
      await expect.poll(() => auths.length).toBeGreaterThan(authsAtLock)
      expect(sockets).toHaveLength(1)
      expect(ws.isClosed()).toBe(false)
      await waitLive(page)

      // An emergency raised elsewhere: the count says so, the phone vibrates, the
      // notification names neither client nor reason.
      const open = await sam.call<Flag[]>('GET', `/api/teams/${teamId}/flags?open=true`)
      const target = (await sam.call<Schemas['Board']>('GET', `/api/teams/${teamId}/board`)).clients.find((c) => c.open_flags.length === 0)!
      const reason = `E2E night emergency ${Date.now()}`
      await raiseFlag(sam, teamId, target.id, 'emergency', reason)
      const emergencies = open.filter((f) => f.severity === 'emergency').length + 1
      const count = page.getByTestId('lock-count').filter({ hasText: 'EMERGENCY' })
      await expect.poll(() => count.innerText(), { timeout: 5_000 }).toMatch(new RegExp(`^\\W*${emergencies}\\s+EMERGENCY flags?$`))
      await page.getByText('— unlock to see').first().waitFor()
      await page.getByRole('alert').filter({ hasText: /New EMERGENCY flag at .* — unlock to see/ }).waitFor()
      expect(await vibrations(page)).toBe(1)
      expect(await notifications(page)).toEqual([{ title: 'EMERGENCY flag — Riverside ACT', body: 'Open actboard to see it.' }])
      await expectNoneIn(page, [...names, reason])
      await shot(page, 'lock-390.png')

      // A wrong password: an error, still locked.
      await page.locator('#lock-password').fill('not-the-password')
      await page.getByRole('button', { name: 'Unlock' }).click()
      await page.getByRole('alert').filter({ hasText: 'Wrong password.' }).waitFor()
      expect(await page.getByTestId('lock-screen').count()).toBe(1)
      await expectNoneIn(page, [...names, reason])

      // The right one: the on-call screen is back, with the new flag, on the same connection.
      await page.locator('#lock-password').fill(PASSWORD)
      await page.getByRole('button', { name: 'Unlock' }).click()
      await page.getByTestId('lock-screen').waitFor({ state: 'detached' })
      const card = page.getByTestId('phone-flag').filter({ hasText: reason })
      await card.waitFor()
      expect(await card.innerText()).toContain(target.display_name)
      expect(await page.evaluate(() => localStorage.getItem('actboard.locked'))).toBeNull()
      expect(sockets).toHaveLength(1)
      expect(ws.isClosed()).toBe(false)
    } finally {
      await context.close()
    }
  })

  test('the board at 1920×1080 locks too: counts readable across the room, survives a reload, "Not you? Sign out" signs out', async () => {
    const maria = await Api.login(ctx.server.base, 'maria.lopez')
    const { context, page } = await newPage(ctx.browser, DESKTOP)
    await page.clock.install()
    try {
      await signIn(page, ctx.server.base, 'maria.lopez')
      await page.waitForURL(`**/teams/${teamId}/board`)
      await waitLive(page)
      await page.getByTestId('client-row').first().waitFor()
      const names = await clinicalText(maria, teamId)

      // The lid closed for 16 minutes: locked (and back live).
      await page.clock.fastForward('16:00')
      await page.getByTestId('lock-screen').waitFor()
      await waitLive(page)
      expect(await page.getByTestId('client-row').count()).toBe(0)
      await expectNoneIn(page, names)
      const open = await maria.call<Flag[]>('GET', `/api/teams/${teamId}/flags?open=true`)
      for (const sev of ['emergency', 'urgent', 'watch'] as const) {
        const n = open.filter((f) => f.severity === sev).length
        const row = page.locator(`[data-testid="lock-count"][data-severity="${sev}"]`)
        if (n === 0) expect(await row.count()).toBe(0)
        else expect((await row.innerText()).replace(/\s+/g, ' ')).toMatch(new RegExp(`${n} ${sev.toUpperCase()} flags?$`))
      }
      // Readable across a room: the numbers are big.
      const px = await page.locator('[data-testid="lock-count"] .n').first().evaluate((e) => parseFloat(getComputedStyle(e).fontSize))
      expect(px).toBeGreaterThanOrEqual(120)
      await shot(page, 'lock-1920.png')

      // A reload does not get past the lock.
      await page.reload()
      await page.getByTestId('lock-screen').waitFor()
      await expectNoneIn(page, names)

      // Not you? Sign out (no contacts queued: no question asked).
      await page.getByRole('button', { name: 'Not you? Sign out' }).click()
      await page.locator('#username').waitFor()
      expect(await page.evaluate(() => [localStorage.getItem('actboard.refresh'), localStorage.getItem('actboard.locked')])).toEqual([null, null])
    } finally {
      await context.close()
    }
  })
})
