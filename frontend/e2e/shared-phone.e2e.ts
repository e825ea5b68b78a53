// The on-call phone changes hands (issue 11): contacts queued offline belong to the person
// who logged them. Signing out with some still queued asks first (stay, keep them for me,
// delete them); another person signed in on the phone never sees or sends them, and their
// author's next sign-in sends them as the author's.
import { beforeAll, describe, expect, test } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { Api, PHONE, e2eSuite, newPage, shot, signIn, teamDay, waitLive, type Schemas } from './server'

const ctx = e2eSuite()

type Contact = Schemas['ContactOut']

describe('shared on-call phone: the offline queue is per person', () => {
  let sam: Api
  let priya: Api
  let teamId: string
  let tz: string
  let clients: Schemas['BoardClient'][]
  let context: BrowserContext
  let page: Page

  beforeAll(async () => {
    sam = await Api.login(ctx.server.base, 'sam.okafor')
    priya = await Api.login(ctx.server.base, 'priya.nair')
    const team = sam.team('Riverside ACT')
    teamId = team.team_id
    tz = team.timezone
    clients = (await sam.call<Schemas['Board']>('GET', `/api/teams/${teamId}/board`)).clients
    ;({ context, page } = await newPage(ctx.browser, PHONE, { mobile: true }))
  })

  /** Today's contacts of the team carrying this note. */
  const withNote = async (note: string) =>
    (await sam.call<Contact[]>('GET', `/api/teams/${teamId}/contacts?day=${teamDay(tz)}`)).filter((c) => c.note === note)

  /** What is stored in the phone's queue (whoever it belongs to). */
  const stored = () => page.evaluate(() => JSON.parse(localStorage.getItem('actboard.queue') ?? '[]') as { id: string; author?: { username: string }; body: { note?: string } }[])

  async function signInOnCall(username: string) {
    await signIn(page, ctx.server.base, username)
    await page.waitForURL(`**/teams/${teamId}/oncall`)
    await waitLive(page)
  }

  async function logContact(client: Schemas['BoardClient'], note: string) {
    await page.getByRole('navigation', { name: 'On-call' }).getByRole('button', { name: 'Log contact' }).click()
    await page.getByLabel('Client', { exact: true }).fill(client.display_name)
    await page.getByRole('button', { name: client.display_name, exact: true }).click()
    await page.getByLabel('Short note (optional)').fill(note)
    await page.getByRole('button', { name: 'Save contact' }).click()
  }

  async function queueOffline(client: Schemas['BoardClient'], note: string) {
    await context.setOffline(true)
    await expect.poll(() => page.evaluate(() => navigator.onLine)).toBe(false)
    await logContact(client, note)
    await expect.poll(() => page.getByTestId('queued').innerText(), { timeout: 5_000 }).toBe('Offline — 1 contact queued')
  }

  const signOutButton = () => page.locator('header.bar').getByRole('button', { name: 'Sign out' })
  const dialog = () => page.getByRole('dialog', { name: /not sent yet/ })

  test('stay, then keep: A\'s contact waits on the phone; B signed in never sees or sends it; A\'s next sign-in sends it as A\'s', async () => {
    await signInOnCall('sam.okafor')
    const note = `E2E kept for sam ${Date.now()}`
    await queueOffline(clients[40], note)

    // Sign out asks first. "Stay signed in" changes nothing.
    await signOutButton().click()
    await dialog().waitFor()
    expect(await dialog().getByRole('heading').innerText()).toBe('1 contact not sent yet — it will be deleted from this phone')
    await shot(page, 'phone-signout-ask-390.png')
    await dialog().getByRole('button', { name: 'Stay signed in' }).click()
    await dialog().waitFor({ state: 'detached' })
    expect(await page.getByTestId('queued').innerText()).toBe('Offline — 1 contact queued')
    expect(page.url()).toContain('/oncall')

    // Keep it for me: signed out, the contact stays on the phone under Sam's name.
    await signOutButton().click()
    await dialog().getByRole('button', { name: 'Keep it for me, sign out' }).click()
    await page.locator('#username').waitFor()
    expect((await stored()).map((i) => [i.author?.username, i.body.note])).toEqual([['sam.okafor', note]])

    // Priya signs in on the same phone, online, and logs one of her own (which sends the
    // queue): hers goes, Sam's is neither shown nor sent.
    await context.setOffline(false)
    await signInOnCall('priya.nair')
    expect(await page.getByTestId('queued').count()).toBe(0)
    const hers = `E2E priya's own ${Date.now()}`
    await logContact(clients[41], hers)
    await page.getByRole('status').filter({ hasText: 'Contact logged.' }).waitFor({ timeout: 10_000 })
    expect((await withNote(hers)).map((c) => c.staff_ids)).toEqual([[priya.me.user.id]])
    expect(await withNote(note)).toEqual([])
    expect(await page.getByTestId('queued').count()).toBe(0)
    expect((await stored()).map((i) => i.body.note)).toEqual([note])

    // Priya has nothing queued: signing out asks nothing.
    await signOutButton().click()
    await page.locator('#username').waitFor()
    expect(await dialog().count()).toBe(0)

    // Sam again: his contact is sent, as his.
    await signInOnCall('sam.okafor')
    await expect.poll(async () => (await withNote(note)).map((c) => c.staff_ids), { timeout: 20_000 }).toEqual([[sam.me.user.id]])
    await page.getByTestId('queued').waitFor({ state: 'detached', timeout: 20_000 })
    expect(await stored()).toEqual([])
  })

  test('delete: signing out and told to clears A\'s queued contact from the phone; it is never sent', async () => {
    if (!page.url().includes('/oncall')) await signInOnCall('sam.okafor')
    const note = `E2E deleted ${Date.now()}`
    await queueOffline(clients[42], note)
    await signOutButton().click()
    await dialog().getByRole('button', { name: 'Delete it, sign out' }).click()
    await page.locator('#username').waitFor()
    expect(await stored()).toEqual([])

    // Back online and signed in again: a contact of Sam's goes through, the deleted one never.
    await context.setOffline(false)
    await signInOnCall('sam.okafor')
    const later = `E2E after delete ${Date.now()}`
    await logContact(clients[43], later)
    await page.getByRole('status').filter({ hasText: 'Contact logged.' }).waitFor({ timeout: 10_000 })
    expect(await withNote(later)).toHaveLength(1)
    expect(await withNote(note)).toEqual([])
  })
})
