// Raising crisis flags through the web app (issue 12): from a board row at 1920×1080 and
// from the phone at 390×844, seen live on a second screen with NEW, the time and who raised
// it; "I'm responding" through the page; the huddle with ten open flags keeps its controls
// on a 1080p screen and a review can be undone; the compact board shows the whole roster.
import { beforeAll, describe, expect, test } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { Api, DESKTOP, PHONE, e2eSuite, newPage, overflowing, raiseFlag, settle, shot, signIn, smallTargets, waitLive, type Schemas } from './server'

const ctx = e2eSuite()

type Board = Schemas['Board']

/** Counts the oscillators the page starts (each beep is one), without playing anything. */
const COUNT_BEEPS = `(() => {
  window.__beeps = 0
  const C = window.AudioContext
  if (!C) return
  const orig = C.prototype.createOscillator
  C.prototype.createOscillator = function () { window.__beeps++; return orig.call(this) }
})()`

describe('flags from the web app', () => {
  let maria: Api
  let sam: Api
  let teamId: string
  let used: Set<string>

  const board = () => maria.call<Board>('GET', `/api/teams/${teamId}/board`)
  /** A client with no open flag that no test here used yet. */
  async function freshClient() {
    const c = (await board()).clients.find((x) => x.open_flags.length === 0 && !used.has(x.id))!
    used.add(c.id)
    return c
  }
  async function openPage(size: typeof DESKTOP, user: string, path: string, mobile = false): Promise<{ context: BrowserContext; page: Page }> {
    const p = await newPage(ctx.browser, size, { mobile })
    await p.context.addInitScript(COUNT_BEEPS)
    await signIn(p.page, ctx.server.base, user, path)
    // The client page has no live connection of its own.
    if (!path.includes('/clients/')) await waitLive(p.page)
    return p
  }
  const beeps = (page: Page) => page.evaluate(() => (window as any).__beeps as number)

  beforeAll(async () => {
    maria = await Api.login(ctx.server.base, 'maria.lopez')
    sam = await Api.login(ctx.server.base, 'sam.okafor')
    teamId = maria.team('Riverside ACT').team_id
    used = new Set()
  })

  test('board 1920×1080: raise a flag from a client row; a second board shows it live with NEW, the time and "by Maria L."; a double click raises one flag; it beeps', async () => {
    const raiser = await openPage(DESKTOP, 'maria.lopez', `/teams/${teamId}/board`)
    const watcher = await openPage(DESKTOP, 'sam.okafor', `/teams/${teamId}/board`)
    try {
      const client = await freshClient()
      const reason = 'E2E raised on the board: fell at home'
      await raiser.page.getByTestId('client-row').nth(99).waitFor()
      await watcher.page.getByTestId('client-row').nth(99).waitFor()
      expect(await watcher.page.getByTestId('sound-toggle').innerText()).toContain('Sound on')
      const before = await beeps(watcher.page)

      const row = raiser.page.getByTestId('client-row').filter({ hasText: client.display_name }).first()
      await row.getByRole('button', { name: `Raise a flag for ${client.display_name}` }).click()
      const dialog = raiser.page.getByRole('dialog')
      await dialog.getByRole('button', { name: /EMERGENCY/ }).click()
      // The category starts at "Other", visibly chosen; here it is changed.
      expect(await dialog.getByRole('button', { name: /^(✓ )?Other$/ }).getAttribute('aria-pressed')).toBe('true')
      await dialog.getByRole('button', { name: /^Medical$/ }).click()
      await dialog.getByLabel(/What is happening/).fill(reason)
      await settle(raiser.page)
      await shot(raiser.page, 'raise-flag-1920.png')
      // Two quick clicks: one flag (Send is disabled while the first is on its way).
      await dialog.getByRole('button', { name: /^Send/ }).dblclick()
      await dialog.waitFor({ state: 'detached', timeout: 5_000 })
      await raiser.page.getByText(`✓ Flag raised for ${client.display_name}`).waitFor()

      const card = watcher.page.getByTestId('flag').filter({ hasText: reason })
      await card.waitFor({ timeout: 3_000 })
      const text = await card.innerText()
      expect(text).toContain('NEW')
      expect(text).toContain(client.display_name)
      expect(text).toMatch(/EMERGENCY · Medical/)
      expect(text).toMatch(/Raised \d\d:\d\d by Maria L\./)
      expect(text).toContain('No one responding yet')
      await expect.poll(() => beeps(watcher.page)).toBeGreaterThan(before)

      const flags = await maria.call<Schemas['FlagOut'][]>('GET', `/api/teams/${teamId}/flags?open=true`)
      expect(flags.filter((f) => f.reason === reason)).toHaveLength(1)

      // Sound off is remembered on this device, and a new flag then makes no sound.
      await watcher.page.getByTestId('sound-toggle').click()
      expect(await watcher.page.getByTestId('sound-toggle').innerText()).toContain('Sound off')
      await watcher.page.reload()
      await waitLive(watcher.page)
      expect(await watcher.page.getByTestId('sound-toggle').innerText()).toContain('Sound off')
      const quiet = await beeps(watcher.page)
      await raiseFlag(maria, teamId, (await freshClient()).id, 'urgent', 'E2E while the sound is off', 'housing')
      await watcher.page.getByTestId('flag').filter({ hasText: 'E2E while the sound is off' }).waitFor({ timeout: 3_000 })
      await settle(watcher.page)
      expect(await beeps(watcher.page)).toBe(quiet)
    } finally {
      await raiser.context.close()
      await watcher.context.close()
    }
  })

  test('a refused flag says why in words and keeps what was typed', async () => {
    const p = await openPage(DESKTOP, 'maria.lopez', `/teams/${teamId}/board`)
    try {
      const client = await freshClient()
      await p.page.getByTestId('client-row').filter({ hasText: client.display_name }).first().getByRole('button', { name: /Raise a flag/ }).click()
      const dialog = p.page.getByRole('dialog')
      await dialog.getByLabel(/What is happening/).fill('E2E no severity chosen')
      await dialog.getByRole('button', { name: /^Send/ }).click()
      expect(await dialog.getByRole('alert').innerText()).toContain('Choose how serious it is')
      expect(await dialog.getByLabel(/What is happening/).inputValue()).toBe('E2E no severity chosen')
      await dialog.getByRole('button', { name: 'Cancel' }).click()
      await dialog.waitFor({ state: 'detached' })
      const open = await maria.call<Schemas['FlagOut'][]>('GET', `/api/teams/${teamId}/flags?open=true`)
      expect(open.filter((f) => f.reason === 'E2E no severity chosen')).toHaveLength(0)
    } finally {
      await p.context.close()
    }
  })

  test('phone 390×844: Raise flag → client → URGENT → type → Send; the board shows it; "I\'m responding" on the phone names the responders on the board', async () => {
    const phone = await openPage(PHONE, 'sam.okafor', '/', true)
    const wall = await openPage(DESKTOP, 'maria.lopez', `/teams/${teamId}/board`)
    try {
      await phone.page.waitForURL(`**/teams/${teamId}/oncall`)
      const client = await freshClient()
      const reason = 'E2E from the phone: not answering the door'
      await phone.page.getByRole('button', { name: '⚑ Raise flag' }).click()
      const dialog = phone.page.getByRole('dialog')
      await dialog.getByLabel('Client').fill(client.display_name)
      await dialog.getByRole('button', { name: client.display_name, exact: true }).click()
      await dialog.getByRole('button', { name: /URGENT/ }).click()
      expect(await dialog.getByRole('button', { name: /^(✓ )?Other$/ }).getAttribute('aria-pressed')).toBe('true')
      // The severity tap puts the cursor in the text: typing follows at once.
      await expect.poll(() => phone.page.evaluate(() => document.activeElement?.id)).toBe('raise-reason')
      await phone.page.keyboard.type(reason)
      await settle(phone.page)
      await shot(phone.page, 'raise-flag-390.png')
      expect(await overflowing(phone.page)).toEqual([])
      expect(await smallTargets(phone.page)).toEqual([])
      const send = dialog.getByRole('button', { name: /^Send/ })
      const box = (await send.boundingBox())!
      expect(box.y + box.height).toBeLessThanOrEqual(PHONE.height)
      await send.click()
      await dialog.waitFor({ state: 'detached', timeout: 5_000 })

      const card = wall.page.getByTestId('flag').filter({ hasText: reason })
      await card.waitFor({ timeout: 3_000 })
      expect(await card.innerText()).toMatch(/NEW[\s\S]*URGENT · Other/)
      expect(await card.innerText()).toMatch(/Raised \d\d:\d\d by Sam O\./)
      const mine = phone.page.getByTestId('phone-flag').filter({ hasText: reason })
      expect(await mine.innerText()).toMatch(/Raised \d\d:\d\d by Sam O\./)

      // Responding through the page: the NEW mark goes, the responder is named.
      await mine.getByRole('button', { name: "I'm responding" }).click()
      await expect.poll(() => card.innerText(), { timeout: 5_000 }).toContain('Responding: Sam O.')
      expect(await card.getByTestId('new-mark').count()).toBe(0)
      // A second responder: both are named, in the order they said so.
      const flag = (await maria.call<Schemas['FlagOut'][]>('GET', `/api/teams/${teamId}/flags?open=true`)).find((f) => f.reason === reason)!
      await maria.call('POST', `/api/teams/${teamId}/flags/${flag.id}/acknowledge`)
      await expect.poll(() => card.innerText(), { timeout: 5_000 }).toContain('Responding: Sam O., Maria L.')
      await expect.poll(() => mine.innerText(), { timeout: 5_000 }).toContain('Responding: Sam O., Maria L.')
    } finally {
      await phone.context.close()
      await wall.context.close()
    }
  })

  test('phone: from the client chosen in Log contact, "Raise flag for …" → severity → type → Send: one flag, and no contact logged by it', async () => {
    const phone = await openPage(PHONE, 'sam.okafor', '/', true)
    try {
      await phone.page.waitForURL(`**/teams/${teamId}/oncall`)
      const client = await freshClient()
      const contacts = () => sam.call<Schemas['ContactOut'][]>('GET', `/api/teams/${teamId}/contacts?client_id=${client.id}`)
      const before = (await contacts()).length
      await phone.page.getByRole('navigation', { name: 'On-call' }).getByRole('button', { name: 'Log contact' }).click()
      await phone.page.getByLabel('Client', { exact: true }).fill(client.display_name)
      await phone.page.getByRole('button', { name: client.display_name, exact: true }).click()
      // Tap 1: on the client; tap 2: the severity; then typing and Send.
      await phone.page.getByRole('button', { name: `⚑ Raise flag for ${client.display_name}` }).click()
      const dialog = phone.page.getByRole('dialog')
      await dialog.getByRole('button', { name: /EMERGENCY/ }).click()
      await phone.page.keyboard.type('E2E during a visit: chest pain')
      await dialog.getByRole('button', { name: /^Send/ }).click()
      await dialog.waitFor({ state: 'detached', timeout: 5_000 })
      const open = await sam.call<Schemas['FlagOut'][]>('GET', `/api/teams/${teamId}/flags?open=true`)
      expect(open.filter((f) => f.client_id === client.id && f.reason === 'E2E during a visit: chest pain' && f.severity === 'emergency')).toHaveLength(1)
      expect((await contacts()).length).toBe(before)
    } finally {
      await phone.context.close()
    }
  })

  test('client page 1920: "⚑ Raise flag" raises one and the page lists it with its time', async () => {
    const client = await freshClient()
    const p = await openPage(DESKTOP, 'maria.lopez', `/teams/${teamId}/clients/${client.id}`)
    try {
      const section = p.page.locator('section.card').filter({ hasText: 'Crisis flags' })
      await section.getByRole('button', { name: '⚑ Raise flag' }).click()
      const dialog = p.page.getByRole('dialog')
      await dialog.getByRole('button', { name: /WATCH/ }).click()
      await dialog.getByRole('button', { name: /^Housing$/ }).click()
      await dialog.getByLabel(/What is happening/).fill('E2E from the client page: rent arrears letter')
      await dialog.getByRole('button', { name: /^Send/ }).click()
      await dialog.waitFor({ state: 'detached', timeout: 5_000 })
      await expect.poll(() => section.innerText(), { timeout: 5_000 }).toContain('E2E from the client page: rent arrears letter')
      expect(await section.innerText()).toMatch(/WATCH Housing · \d\d:\d\d: E2E from the client page/)
    } finally {
      await p.context.close()
    }
  })

  test('the huddle with ten open flags at 1920×1080: flags in one row, Previous / Mark reviewed / Next on screen; Undo review', async () => {
    let open = (await board()).open_flags.length
    while (open < 10) {
      await raiseFlag(sam, teamId, (await freshClient()).id, open % 3 === 0 ? 'emergency' : open % 3 === 1 ? 'urgent' : 'watch', `E2E huddle flag ${open + 1}: a long reason that would take a second line on a card`, 'self_harm')
      open++
    }
    expect((await board()).open_flags.length).toBe(10)
    const p = await openPage(DESKTOP, 'maria.lopez', `/teams/${teamId}/board?huddle=1`)
    try {
      const focus = p.page.locator('.focus-card')
      await expect.poll(() => focus.innerText()).toContain('Client 1 of 100')
      await settle(p.page)
      await shot(p.page, 'huddle-10-flags-1920.png')
      const inside = async (name: string | RegExp) => {
        const b = (await p.page.getByRole('button', { name, exact: true }).boundingBox())!
        expect(b, `${name}`).not.toBeNull()
        expect(b.y, `${name} top`).toBeGreaterThanOrEqual(0)
        expect(b.y + b.height, `${name} bottom at ${Math.round(b.y + b.height)} px`).toBeLessThanOrEqual(DESKTOP.height)
        expect(b.x + b.width, `${name} right`).toBeLessThanOrEqual(DESKTOP.width)
      }
      await inside('← Previous')
      await inside(/^(Mark reviewed|✓ Reviewed — next)$/)
      await inside('Next →')
      // One row of flags; the rest behind "+N more".
      const tops = await p.page.locator('.flags > .flag').evaluateAll((els) => [...new Set(els.map((e) => Math.round(e.getBoundingClientRect().top)))])
      expect(tops).toHaveLength(1)
      const more = p.page.getByTestId('more-flags')
      expect(await more.innerText()).toMatch(/^\+\d+ more/)
      await more.click()
      expect(await p.page.getByRole('region', { name: 'More open flags' }).getByTestId('flag').count()).toBe(10 - (await p.page.locator('.flags > .flag').count()))
      await inside('Next →') // the list lies over the card; it does not push the controls
      await more.click()

      // Review, step back, undo.
      const first = (await focus.locator('h2').innerText()).replace(/\s*[▲◆○].*$/, '').trim()
      await p.page.getByRole('button', { name: 'Mark reviewed', exact: true }).click()
      await expect.poll(() => focus.innerText()).toContain('Client 2 of 100')
      await p.page.getByRole('button', { name: '← Previous' }).click()
      await expect.poll(() => focus.innerText()).toContain('Client 1 of 100')
      await p.page.getByTestId('undo-review').click()
      await expect.poll(async () => (await board()).clients.find((c) => c.display_name === first)?.reviewed, { timeout: 5_000 }).toBe(false)
      await p.page.getByTestId('undo-review').waitFor({ state: 'detached' })
      expect(await p.page.getByRole('button', { name: 'Mark reviewed', exact: true }).count()).toBe(1)
    } finally {
      await p.context.close()
    }
    const phone = await openPage(PHONE, 'maria.lopez', `/teams/${teamId}/board?huddle=1`, true)
    try {
      await phone.page.locator('.focus-card').waitFor()
      await settle(phone.page)
      await shot(phone.page, 'huddle-10-flags-390.png')
      expect(await overflowing(phone.page)).toEqual([])
    } finally {
      await phone.context.close()
    }
  })

  test('the compact board shows the whole roster of 100 on one 1920×1080 screen, and stays compact on this device', async () => {
    const p = await openPage(DESKTOP, 'maria.lopez', `/teams/${teamId}/board`)
    try {
      await p.page.getByTestId('client-row').nth(99).waitFor()
      await p.page.getByTestId('compact-toggle').click()
      await p.page.locator('.roster.compact').waitFor()
      await settle(p.page)
      const visible = async () => p.page.getByTestId('client-row').evaluateAll((els) => els.filter((e) => e.getBoundingClientRect().bottom <= window.innerHeight).length)
      const n = await visible()
      console.log(`compact board: ${n} of 100 rows on one 1920×1080 screen`)
      await shot(p.page, 'board-compact-1920.png')
      expect(n).toBeGreaterThanOrEqual(60)
      await p.page.reload()
      await p.page.locator('.roster.compact').waitFor()
    } finally {
      await p.context.close()
    }
    const phone = await openPage(PHONE, 'maria.lopez', `/teams/${teamId}/board`, true)
    try {
      await phone.page.getByTestId('compact-toggle').click()
      await phone.page.locator('.roster.compact').waitFor()
      await settle(phone.page)
      await shot(phone.page, 'board-compact-390.png')
      expect(await overflowing(phone.page)).toEqual([])
    } finally {
      await phone.context.close()
    }
  })
})
