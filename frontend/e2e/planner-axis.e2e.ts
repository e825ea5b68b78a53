// The planner's hour axis: a day's visits placed in hour rows (07:00–19:00 and wider when a
// visit is earlier or later) per staff column, visits without a time in an "any time" row on
// top; all 12 columns of Riverside ACT inside 1920 px; one person after another at 390 px.
// In an ICM team the caseload tools come first, and a day without visits is one line.
import { beforeAll, describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { randomUUID } from 'node:crypto'
import { Api, DESKTOP, PHONE, e2eSuite, newPage, overflowing, settle, shot, signIn, teamDay, waitLive, type Schemas } from './server'
import { expectAccessible } from './axe'

const ctx = e2eSuite()

describe('planner time axis', () => {
  let maria: Api
  let teamId: string
  let day: string
  let staff: Schemas['BoardStaff'][]
  let client: Schemas['BoardClient']
  let page: Page

  beforeAll(async () => {
    maria = await Api.login(ctx.server.base, 'maria.lopez')
    const team = maria.team('Riverside ACT')
    teamId = team.team_id
    day = teamDay(team.timezone)
    // A twelfth person who visits (the demo has eleven and a viewer): the planner must show 12.
    const admin = await Api.login(ctx.server.base, 'admin')
    const added = await admin.call<Schemas['StaffOut']>('POST', '/api/staff', {
      username: 'e2e.twelfth', display_name: 'Quinn Twelfth', discipline: 'peer_specialist', password: 'e2e twelfth person password',
    } satisfies Schemas['NewStaff'])
    await admin.call('PUT', `/api/teams/${teamId}/members/${added.id}`, { role: 'member' } satisfies Schemas['MemberRole'])
    const board = await maria.call<Schemas['Board']>('GET', `/api/teams/${teamId}/board`)
    staff = board.staff.filter((s) => s.role !== 'viewer')
    client = board.clients[20]
    // Two visits for one person: at 06:30 (widens the axis) and with no time.
    const who = staff[2].id
    for (const [start, end] of [['06:30', '06:50'], [null, null]] as const) {
      await maria.call('PUT', `/api/teams/${teamId}/contacts/${randomUUID()}`, {
        client_id: client.id, staff_ids: [who], day, start: start ?? undefined, end: end ?? undefined, kind: 'phone', place: 'office',
        activity: start ? 'E2E early call' : 'E2E any-time call', status: 'planned', allow_overlap: true,
      } satisfies Schemas['ContactIn'])
    }
    page = (await newPage(ctx.browser, DESKTOP)).page
    await signIn(page, ctx.server.base, 'maria.lopez', `/teams/${teamId}/planner`)
    await waitLive(page)
    await page.getByTestId('visit').first().waitFor()
  })

  test('1920×1080: 12 columns side by side, an hour axis from 06:00, visits in the row of their hour', async () => {
    expect(staff.length).toBe(12)
    const boxes = await Promise.all(staff.map((s) => page.getByTestId(`column-${s.display_name}`).boundingBox()))
    for (const b of boxes) {
      expect(b).toBeTruthy()
      expect(b!.x + b!.width).toBeLessThanOrEqual(1920)
      expect(b!.width).toBeGreaterThanOrEqual(130)
    }
    // Side by side: every column starts at the same height.
    expect(new Set(boxes.map((b) => Math.round(b!.y))).size).toBe(1)
    const hours = await page.locator('.timegrid .hours .hour').allInnerTexts()
    expect(hours[0]).toBe('Any time')
    expect(hours.slice(1)).toEqual(['06', '07', '08', '09', '10', '11', '12', '13', '14', '15', '16', '17', '18', '19'].map((h) => `${h}:00`))

    // Each visit sits in its hour's row: between that hour's label and the next one.
    const labelY = async (text: string) => (await page.locator('.timegrid .hours .hour', { hasText: text }).boundingBox())!.y
    const column = page.getByTestId(`column-${staff[2].display_name}`)
    const early = (await column.getByTestId('visit').filter({ hasText: 'E2E early call' }).boundingBox())!
    expect(early.y).toBeGreaterThanOrEqual(await labelY('06:00'))
    expect(early.y).toBeLessThan(await labelY('07:00'))
    const untimed = (await column.getByTestId('visit').filter({ hasText: 'E2E any-time call' }).boundingBox())!
    expect(untimed.y).toBeLessThan(await labelY('06:00'))
    // A demo visit of each column, wherever it is: in the row of its start hour.
    for (const v of (await page.getByTestId('visit').all()).slice(0, 20)) {
      const t = (await v.locator('.t').innerText()).trim()
      const m = /^(\d{2}):\d{2}/.exec(t)
      if (!m) continue
      const y = (await v.boundingBox())!.y
      const h = Number(m[1])
      expect(y).toBeGreaterThanOrEqual(await labelY(`${m[1]}:00`))
      if (h < 19) expect(y).toBeLessThan(await labelY(`${String(h + 1).padStart(2, '0')}:00`))
    }
    expect(await overflowing(page)).toEqual([])
    await settle(page)
    await shot(page, 'planner-axis-1920.png')
    await expectAccessible(page, 'planner with the hour axis (1920)')
  })

  test('390×844: one staff member after another, no sideways scrolling, the times on the cards', async () => {
    const { page: phone } = await newPage(ctx.browser, PHONE, { mobile: true })
    await signIn(phone, ctx.server.base, 'maria.lopez', `/teams/${teamId}/planner`)
    await waitLive(phone)
    await phone.getByTestId('visit').first().waitFor()
    expect(await overflowing(phone)).toEqual([])
    const a = (await phone.getByTestId(`column-${staff[0].display_name}`).boundingBox())!
    const b = (await phone.getByTestId(`column-${staff[1].display_name}`).boundingBox())!
    expect(b.y).toBeGreaterThanOrEqual(a.y + a.height)
    expect(a.width).toBeGreaterThan(300)
    expect(await phone.locator('.timegrid .hours').isVisible()).toBe(false)
    await phone.getByTestId(`column-${staff[2].display_name}`).getByTestId('visit').filter({ hasText: 'E2E early call' }).scrollIntoViewIfNeeded()
    await shot(phone, 'planner-axis-390.png')
    await expectAccessible(phone, 'planner at 390')
    await phone.context().close()
  })
})

describe('ICM planner: caseload tools first, an empty day in one line', () => {
  test('Northside ICM: caseloads and New referral above the day; a day without visits says so in one line', async () => {
    const dana = await Api.login(ctx.server.base, 'dana.white')
    const team = dana.team('Northside ICM')
    const { page } = await newPage(ctx.browser, DESKTOP)
    await signIn(page, ctx.server.base, 'dana.white', `/teams/${team.team_id}/planner`)
    await waitLive(page)
    const caseloads = page.getByRole('region', { name: 'Caseloads' })
    await caseloads.getByTestId('caseload').first().waitFor()
    const top = (await caseloads.boundingBox())!
    expect(top.y).toBeLessThan(1080)
    expect(await page.getByRole('region', { name: 'New referral' }).count()).toBe(1)
    // In the page's order: the caseloads, then the referral form, then absences and the day's visits.
    const order = await page.evaluate(() => {
      const at = (sel: string) => { const el = document.querySelector(sel); return el ? [...document.querySelectorAll('main *')].indexOf(el) : -1 }
      return { caseloads: at('[aria-label="Caseloads"]'), referral: at('[aria-label="New referral"]'), absence: at('.absence-form'), day: Math.max(at('.timegrid'), at('[data-testid="no-visits"]')) }
    })
    expect(order.caseloads).toBeGreaterThanOrEqual(0)
    expect(order.referral).toBeLessThan(order.absence)
    expect(order.caseloads).toBeLessThan(order.referral)
    expect(order.referral).toBeLessThan(order.day)
    await shot(page, 'planner-icm-1920.png')

    // Three weeks ahead nothing is planned: one line, no empty grid.
    const later = new Date(Date.now() + 21 * 86_400_000)
    const day = teamDay(team.timezone, later)
    await page.getByLabel('Day', { exact: true }).fill(day)
    const none = page.getByTestId('no-visits')
    await none.waitFor()
    expect(await none.innerText()).toMatch(/^No visits planned for [A-Z][a-z]{2} \d{1,2} [A-Z][a-z]{2}\.$/)
    expect((await none.boundingBox())!.height).toBeLessThan(60)
    expect(await page.locator('.timegrid').count()).toBe(0)
    await shot(page, 'planner-icm-empty-1920.png')
    await expectAccessible(page, 'ICM planner, empty day (1920)')
    await page.context().close()
  })
})
