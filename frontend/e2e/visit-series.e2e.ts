// The planner (1920×1080): "Add a visit" that repeats every 14 days — the clash is shown
// first (nothing booked) and "Book anyway" books the series — then "End series".
import { beforeAll, describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { Api, DESKTOP, e2eSuite, newPage, settle, shot, signIn, teamDay, waitLive, type Schemas } from './server'
import { randomUUID } from 'node:crypto'

const ctx = e2eSuite()

type Contact = Schemas['ContactOut']

function plusDays(day: string, n: number): string {
  const d = new Date(`${day}T12:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

describe('planner: recurring visits', () => {
  let maria: Api
  let teamId: string
  let board: Schemas['Board']
  let page: Page

  beforeAll(async () => {
    maria = await Api.login(ctx.server.base, 'maria.lopez')
    const team = maria.team('Riverside ACT')
    teamId = team.team_id
    board = await maria.call<Schemas['Board']>('GET', `/api/teams/${teamId}/board`)
    ;({ page } = await newPage(ctx.browser, DESKTOP))
    await signIn(page, ctx.server.base, 'maria.lopez', `/teams/${teamId}/planner`)
    await waitLive(page)
  })

  test('every 14 days: the clash first, "Book anyway" books the series, "End series" cancels what is left', async () => {
    const first = plusDays(teamDay(board.team.timezone), 2)
    const until = plusDays(first, 60) // visits on +0, +14, +28, +42, +56
    const client = board.clients[7]
    const worker = board.staff.filter((s) => s.role !== 'viewer')[1]
    // Setup: the worker already has a visit in the slot of the third visit.
    await maria.call('PUT', `/api/teams/${teamId}/contacts/${randomUUID()}`, {
      client_id: board.clients[8].id, staff_ids: [worker.id], day: plusDays(first, 28), start: '06:10', end: '06:20',
      kind: 'face_to_face', place: 'home', activity: 'check-in', status: 'planned', allow_overlap: true,
    } satisfies Schemas['ContactIn'])

    await page.locator('#day').fill(first)
    await page.getByRole('heading', { name: /^Add a visit on/ }).waitFor()
    await page.locator('#nv-client').selectOption(client.id)
    await page.locator('#nv-staff').selectOption(worker.id)
    await page.locator('#nv-start').fill('06:00')
    await page.locator('#nv-end').fill('06:30')
    await page.getByLabel('Repeats', { exact: true }).check()
    await page.locator('#nv-every').fill('14')
    await page.locator('#nv-until').fill(until)
    await page.getByRole('button', { name: 'Add recurring visits' }).click()

    const conflict = page.getByTestId('conflict')
    await conflict.waitFor({ timeout: 10_000 })
    expect(await conflict.innerText()).toContain(worker.display_name)
    expect((await maria.call<Schemas['SeriesOut'][]>('GET', `/api/teams/${teamId}/visit-series`)).filter((s) => s.client_id === client.id)).toHaveLength(0)
    await settle(page)
    await shot(page, 'planner-recurring-1920.png', true)

    await conflict.getByRole('button', { name: 'Book anyway (overlap)' }).click()
    await page.getByTestId('series-result').filter({ hasText: 'Booked 5 visits' }).waitFor({ timeout: 10_000 })
    const series = (await maria.call<Schemas['SeriesOut'][]>('GET', `/api/teams/${teamId}/visit-series`)).filter((s) => s.client_id === client.id)
    expect(series).toHaveLength(1)
    expect(series[0]).toMatchObject({ every_days: 14, first_day: first, until, start: '06:00', end: '06:30', staff_ids: [worker.id] })
    const booked = await maria.call<Contact[]>('GET', `/api/teams/${teamId}/contacts?from=${first}&to=${until}&client_id=${client.id}&limit=1000`)
    expect(booked.filter((c) => c.series_id === series[0].id).map((c) => c.day).sort()).toEqual([0, 14, 28, 42, 56].map((n) => plusDays(first, n)))

    const row = page.getByTestId('series').filter({ hasText: client.display_name })
    await row.scrollIntoViewIfNeeded()
    await settle(page)
    await shot(page, 'planner-recurring-list-1920.png')
    await row.getByRole('button', { name: 'End series' }).click()
    await row.getByRole('button', { name: 'Yes, end series' }).click()
    await page.getByRole('status').filter({ hasText: `Ended the series for ${client.display_name}: 5 planned visits cancelled.` }).waitFor({ timeout: 10_000 })
    await row.waitFor({ state: 'detached' })
    const after = await maria.call<Contact[]>('GET', `/api/teams/${teamId}/contacts?from=${first}&to=${until}&client_id=${client.id}&limit=1000`)
    expect(after.filter((c) => c.series_id === series[0].id).every((c) => c.status === 'cancelled')).toBe(true)
  })
})
