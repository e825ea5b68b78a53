// On call on a phone (390×844): acknowledging a flag, logging a contact, the offline queue
// (sent once and only once), and the phone's layout rules (no horizontal scroll, 44 px taps).
import { beforeAll, describe, expect, test } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { Api, PHONE, e2eSuite, newPage, overflowing, settle, shot, signIn, smallTargets, teamDay, waitLive, type Schemas } from './server'

const ctx = e2eSuite()

type Contact = Schemas['ContactOut']
type BoardClient = Schemas['BoardClient']

describe('on-call phone', () => {
  let sam: Api
  let teamId: string
  let tz: string
  let clients: BoardClient[]
  let context: BrowserContext
  let page: Page

  const contactsOf = (clientId: string) =>
    sam.call<Contact[]>('GET', `/api/teams/${teamId}/contacts?day=${teamDay(tz)}&client_id=${clientId}`)

  /** Log a contact through the Log contact tab; returns nothing, leaves the form after Save. */
  async function logContact(clientName: string, chips: string[], note: string) {
    await page.getByRole('navigation', { name: 'On-call' }).getByRole('button', { name: 'Log contact' }).click()
    const search = page.getByLabel('Client', { exact: true })
    await search.fill(clientName)
    await page.getByRole('button', { name: clientName, exact: true }).click()
    await expect.poll(() => page.getByText(`Client: ${clientName}`).count()).toBe(1)
    for (const chip of chips) {
      const b = page.getByRole('button', { name: chip, exact: true })
      await b.click()
      await expect.poll(() => b.getAttribute('aria-pressed')).toBe('true')
    }
    await page.getByLabel('Short note (optional)').fill(note)
    await page.getByRole('button', { name: 'Save contact' }).click()
  }

  beforeAll(async () => {
    sam = await Api.login(ctx.server.base, 'sam.okafor')
    const team = sam.team('Riverside ACT')
    teamId = team.team_id
    tz = team.timezone
    clients = (await sam.call<Schemas['Board']>('GET', `/api/teams/${teamId}/board`)).clients
    ;({ context, page } = await newPage(ctx.browser, PHONE, { mobile: true }))
    await signIn(page, ctx.server.base, 'sam.okafor')
    // One team, a phone-width screen: the on-call view.
    await page.waitForURL(`**/teams/${teamId}/oncall`)
    await waitLive(page)
  })

  test('acknowledge a flag: "I\'m responding" → the card shows "Responding: Sam O."', async () => {
    const open = page.getByTestId('phone-flag').filter({ hasText: 'No one responding yet' })
    await open.first().waitFor()
    const who = (await open.first().locator('div').nth(1).innerText()).trim()
    const card = page.getByTestId('phone-flag').filter({ hasText: who })
    await card.getByRole('button', { name: "I'm responding" }).click()
    await expect.poll(() => card.innerText(), { timeout: 5_000 }).toContain('Responding: Sam O.')
    const flags = await sam.call<Schemas['FlagOut'][]>('GET', `/api/teams/${teamId}/flags?open=true`)
    const client = clients.find((c) => c.display_name === who)!
    expect(flags.find((f) => f.client_id === client.id)?.acknowledged_by).toBe(sam.me.user.id)
  })

  test('log a contact in the Log contact tab: exactly one new contact for that client today, as chosen', async () => {
    const client = clients[10]
    const before = await contactsOf(client.id)
    const note = `E2E phone note ${Date.now()}`
    await logContact(client.display_name, ['Home', 'medication', '45'], note)
    await page.getByRole('status').filter({ hasText: 'Contact logged.' }).waitFor({ timeout: 10_000 })

    const after = await contactsOf(client.id)
    const added = after.filter((c) => !before.some((b) => b.id === c.id))
    expect(added).toHaveLength(1)
    expect(added[0]).toMatchObject({
      client_id: client.id, staff_ids: [sam.me.user.id], day: teamDay(tz), kind: 'face_to_face', place: 'home',
      activity: 'medication', status: 'completed', minutes: 45, note,
    })
    // Nothing left in the queue.
    expect(await page.getByTestId('queued').count()).toBe(0)
  })

  test('offline: the contact is queued ("Offline — 1 contact queued") and sent exactly once when the network returns', async () => {
    const client = clients[20]
    const note = `E2E offline note ${Date.now()}`
    await context.setOffline(true)
    try {
      await expect.poll(() => page.evaluate(() => navigator.onLine)).toBe(false)
      await logContact(client.display_name, ['Phone', 'check-in', '10'], note)
      await expect.poll(() => page.getByTestId('queued').innerText(), { timeout: 5_000 }).toBe('Offline — 1 contact queued')
      await page.getByRole('status').filter({ hasText: 'sent when the network returns' }).waitFor()
      await shot(page, 'phone-offline-390.png')
      expect((await contactsOf(client.id)).filter((c) => c.note === note)).toHaveLength(0)
    } finally {
      await context.setOffline(false)
    }
    await page.getByTestId('queued').waitFor({ state: 'detached', timeout: 20_000 })
    await waitLive(page, 20_000)
    const sent = (await contactsOf(client.id)).filter((c) => c.note === note)
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatchObject({ kind: 'phone', activity: 'check-in', minutes: 10, staff_ids: [sam.me.user.id] })
    // And it stays one: later flushes do not send it again.
    await page.waitForTimeout(1_000)
    expect((await contactsOf(client.id)).filter((c) => c.note === note)).toHaveLength(1)
  })

  test('a send whose answer is lost is retried with the same id: still exactly one contact', async () => {
    const client = clients[30]
    const note = `E2E lost answer ${Date.now()}`
    let puts = 0
    // The first PUT reaches the server, but the phone never hears the answer.
    await page.route('**/api/teams/*/contacts/*', async (route) => {
      if (route.request().method() !== 'PUT') return route.continue()
      puts++
      try {
        if (puts === 1) {
          await route.fetch()
          return await route.abort('connectionreset')
        }
        return await route.continue()
      } catch (e) {
        console.warn(`route: ${(e as Error).message}`)
      }
    })
    try {
      await logContact(client.display_name, ['Video', 'housing', '20'], note)
      // The phone did not hear back: it keeps the contact and says so (online, so no "Offline —").
      await page.getByRole('status').filter({ hasText: 'sent when the network returns' }).waitFor({ timeout: 10_000 })
      expect(await page.getByTestId('queued').innerText()).toBe('1 contact queued')
      // …but the server did store it.
      expect((await contactsOf(client.id)).filter((c) => c.note === note)).toHaveLength(1)
      // Retried by the phone's own timer (every 15 s).
      await page.getByTestId('queued').waitFor({ state: 'detached', timeout: 25_000 })
    } finally {
      await page.unroute('**/api/teams/*/contacts/*')
    }
    expect(puts).toBeGreaterThanOrEqual(2)
    expect((await contactsOf(client.id)).filter((c) => c.note === note)).toHaveLength(1)
  })

  for (const width of [390, 360]) {
    test(`layout at ${width} px: no horizontal scroll and tap targets at least 44 px high on every tab`, async () => {
      await page.setViewportSize({ width, height: PHONE.height })
      try {
        const problems: string[] = []
        for (const tab of ['Flags', 'Handoff', 'Log contact']) {
          await page.getByRole('navigation', { name: 'On-call' }).getByRole('button', { name: new RegExp(`^${tab}`) }).click()
          await settle(page)
          if (tab === 'Log contact') {
            // With a client picked and a result list showing, too.
            await page.getByLabel('Client', { exact: true }).fill('a')
            await settle(page)
          }
          const sw = await page.evaluate(() => document.documentElement.scrollWidth)
          if (sw > width) problems.push(`${tab}: scrollWidth ${sw} > ${width}: ${(await overflowing(page)).join('; ')}`)
          for (const t of await smallTargets(page, 44)) problems.push(`${tab}: ${t}`)
        }
        expect(problems).toEqual([])
      } finally {
        await page.setViewportSize(PHONE)
      }
    })
  }
})
