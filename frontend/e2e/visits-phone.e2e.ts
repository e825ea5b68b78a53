// The phone (390×844) closes out planned visits on the same record (Done at a set time,
// Attempted) and opens the client quick card from a flag: a tel: link and the crisis plan.
import { beforeAll, describe, expect, test } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { Api, PHONE, e2eSuite, newPage, raiseFlag, settle, shot, signIn, smallTargets, teamDay, waitLive, type Schemas } from './server'
import { expectAccessible } from './axe'
import { randomUUID } from 'node:crypto'

const ctx = e2eSuite()

type Contact = Schemas['ContactOut']

const toMin = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`

describe('phone: close out visits, client quick card', () => {
  let sam: Api
  let teamId: string
  let tz: string
  let day: string
  let clients: Schemas['BoardClient'][]
  let page: Page
  let context: BrowserContext

  const contactsOf = (clientId: string) => sam.call<Contact[]>('GET', `/api/teams/${teamId}/contacts?day=${day}&client_id=${clientId}`)

  /** A planned visit for Sam today at `start`, booked through the API (the setup only). */
  async function plan(clientId: string, start: string, end: string): Promise<Contact> {
    return sam.call<Contact>('PUT', `/api/teams/${teamId}/contacts/${randomUUID()}`, {
      client_id: clientId, staff_ids: [sam.me.user.id], day, start, end, kind: 'face_to_face', place: 'home',
      activity: 'medication', status: 'planned', allow_overlap: true,
    } satisfies Schemas['ContactIn'])
  }

  /** A 20-minute slot today in which Sam has no planned or completed visit (so Done is not double-booked). */
  async function freeSlot(): Promise<string> {
    const mine = (await sam.call<Contact[]>('GET', `/api/teams/${teamId}/contacts?day=${day}&staff_id=${sam.me.user.id}&limit=1000`))
      .filter((c) => (c.status === 'planned' || c.status === 'completed') && c.start)
    for (let m = 5; m < 23 * 60; m += 25) {
      const clash = mine.some((c) => {
        const s = toMin(c.start!)
        const e = c.end ? toMin(c.end) : s + (c.minutes ?? 60)
        return s < m + 20 && m < e
      })
      if (!clash) return hhmm(m)
    }
    throw new Error('no free slot today')
  }

  beforeAll(async () => {
    sam = await Api.login(ctx.server.base, 'sam.okafor')
    const team = sam.team('Riverside ACT')
    teamId = team.team_id
    tz = team.timezone
    day = teamDay(tz)
    clients = (await sam.call<Schemas['Board']>('GET', `/api/teams/${teamId}/board`)).clients
    ;({ context, page } = await newPage(ctx.browser, PHONE, { mobile: true }))
    await signIn(page, ctx.server.base, 'sam.okafor')
    await page.waitForURL(`**/teams/${teamId}/oncall`)
    await waitLive(page)
  })

  test('Done at a set time closes out the SAME planned record; Attempted is one tap', async () => {
    const done = clients[3]
    const tried = clients[4]
    const at = await freeSlot()
    const v1 = await plan(done.id, '23:41', '23:59')
    const v2 = await plan(tried.id, '23:42', '23:58')
    const before = await contactsOf(done.id)

    await page.getByRole('navigation', { name: 'On-call' }).getByRole('button', { name: 'Log contact' }).click()
    const card = page.getByTestId('my-visit').filter({ hasText: done.display_name }).filter({ hasText: '23:41' })
    await card.waitFor()
    await card.getByRole('button', { name: 'Done', exact: true }).click()
    await card.getByLabel('Time it happened').fill(at)
    await card.getByRole('button', { name: '20', exact: true }).click()
    await card.getByLabel('Short note (optional)').fill('E2E done on the phone')
    await settle(page)
    await shot(page, 'phone-closeout-390.png')
    await expectAccessible(page, 'phone close-out (390)')
    expect(await smallTargets(page, 44)).toEqual([])
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width)
    await card.getByRole('button', { name: 'Save: done' }).click()
    await page.getByRole('status').filter({ hasText: `${done.display_name}: done at ${at}.` }).waitFor({ timeout: 10_000 })

    const after = await contactsOf(done.id)
    expect(after.map((c) => c.id).sort()).toEqual(before.map((c) => c.id).sort())
    const same = after.find((c) => c.id === v1.id)!
    expect(same).toMatchObject({ status: 'completed', start: at, end: hhmm(toMin(at) + 20), minutes: 20, note: 'E2E done on the phone' })
    expect(same.version).toBeGreaterThan(v1.version)
    await card.waitFor({ state: 'detached' })

    const card2 = page.getByTestId('my-visit').filter({ hasText: tried.display_name }).filter({ hasText: '23:42' })
    await card2.getByRole('button', { name: 'Attempted', exact: true }).click()
    await card2.getByRole('button', { name: 'Save: attempted, no answer' }).click()
    await page.getByRole('status').filter({ hasText: `${tried.display_name}: attempted, no answer.` }).waitFor({ timeout: 10_000 })
    const t = (await contactsOf(tried.id)).filter((c) => c.id === v2.id || c.created_at > v2.created_at)
    expect(t).toHaveLength(1)
    expect(t[0]).toMatchObject({ id: v2.id, status: 'attempted' })
  })

  test('log a new contact as "attempted, no answer" at a set time', async () => {
    const client = clients[5]
    const before = await contactsOf(client.id)
    await page.getByRole('navigation', { name: 'On-call' }).getByRole('button', { name: 'Log contact' }).click()
    await page.getByLabel('Client', { exact: true }).fill(client.display_name)
    await page.getByRole('button', { name: client.display_name, exact: true }).click()
    await page.getByRole('button', { name: 'Attempted, no answer', exact: true }).click()
    await page.getByLabel('Time', { exact: true }).fill('00:03')
    await page.getByRole('button', { name: 'Save contact' }).click()
    await page.getByRole('status').filter({ hasText: 'Contact logged.' }).waitFor({ timeout: 10_000 })
    const added = (await contactsOf(client.id)).filter((c) => !before.some((b) => b.id === c.id))
    expect(added).toHaveLength(1)
    expect(added[0]).toMatchObject({ status: 'attempted', start: '00:03' })
  })

  test('the quick card opens from a flag: a tel: link and the crisis plan', async () => {
    const client = clients[6]
    const reason = `E2E card flag ${Date.now()}`
    await raiseFlag(sam, teamId, client.id, 'urgent', reason)
    await page.getByRole('navigation', { name: 'On-call' }).getByRole('button', { name: /^Flags/ }).click()
    const flag = page.getByTestId('phone-flag').filter({ hasText: reason })
    await flag.waitFor({ timeout: 10_000 })
    await flag.getByRole('button', { name: /Client card/ }).click()
    const card = page.getByTestId('client-card')
    const tel = card.getByTestId('card-phone')
    await tel.waitFor({ timeout: 10_000 })
    expect(await tel.getAttribute('href')).toMatch(/^tel:555\d{4}$/)
    expect((await card.getByTestId('card-crisis-plan').innerText()).length).toBeGreaterThan(20)
    await expect.poll(() => card.innerText()).toContain(reason)
    await settle(page)
    const sw = await page.evaluate(() => document.documentElement.scrollWidth)
    expect(sw).toBeLessThanOrEqual(PHONE.width)
    await shot(page, 'phone-client-card-390.png', true)
    await expectAccessible(page, 'phone client card (390)')
    expect(await smallTargets(page, 44)).toEqual([])
    await card.getByRole('button', { name: 'Close' }).click()
    await flag.waitFor()
  })

  test('Done at a time that overlaps another of my visits: said in words, nothing saved until "Save anyway"', async () => {
    const client = clients[11]
    const at = await freeSlot()
    // Setup: another completed visit of mine in that slot, and the planned one to close out.
    await sam.call('PUT', `/api/teams/${teamId}/contacts/${randomUUID()}`, {
      client_id: clients[12].id, staff_ids: [sam.me.user.id], day, start: at, end: hhmm(toMin(at) + 15), kind: 'phone', place: 'office',
      activity: 'check-in', status: 'completed', allow_overlap: true,
    } satisfies Schemas['ContactIn'])
    const v = await plan(client.id, '23:43', '23:57')
    await page.getByRole('navigation', { name: 'On-call' }).getByRole('button', { name: 'Log contact' }).click()
    const card = page.getByTestId('my-visit').filter({ hasText: client.display_name }).filter({ hasText: '23:43' })
    await card.getByRole('button', { name: 'Done', exact: true }).click()
    await card.getByLabel('Time it happened').fill(at)
    await card.getByRole('button', { name: 'Save: done' }).click()
    await card.getByTestId('conflict').filter({ hasText: 'overlaps another visit of yours' }).waitFor({ timeout: 10_000 })
    expect((await contactsOf(client.id)).find((c) => c.id === v.id)!.status).toBe('planned')
    await card.getByRole('button', { name: 'Save anyway (overlap)' }).click()
    await page.getByRole('status').filter({ hasText: `${client.display_name}: done at ${at}.` }).waitFor({ timeout: 10_000 })
    expect((await contactsOf(client.id)).find((c) => c.id === v.id)).toMatchObject({ status: 'completed', start: at })
  })

  test('offline: "Saved on this phone" shows while queued and goes once the contact is sent', async () => {
    const client = clients[13]
    await page.getByRole('navigation', { name: 'On-call' }).getByRole('button', { name: 'Log contact' }).click()
    await context.setOffline(true)
    try {
      await expect.poll(() => page.evaluate(() => navigator.onLine)).toBe(false)
      await page.getByLabel('Client', { exact: true }).fill(client.display_name)
      await page.getByRole('button', { name: client.display_name, exact: true }).click()
      await page.getByRole('button', { name: 'Save contact' }).click()
      await page.getByRole('status').filter({ hasText: 'Saved on this phone' }).waitFor({ timeout: 5_000 })
    } finally {
      await context.setOffline(false)
    }
    await page.getByTestId('queued').waitFor({ state: 'detached', timeout: 20_000 })
    await page.getByRole('status').filter({ hasText: 'Contact sent.' }).waitFor({ timeout: 5_000 })
    expect(await page.getByText('Saved on this phone').count()).toBe(0)
  })
})
