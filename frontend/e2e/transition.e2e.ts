// Transition on the client page (issue 14): a lead rates readiness over six areas, plans a
// discharge, starts the transition (the summary in the server's words), completes it (the
// check-ins at 30, 60 and 90 days appear); in the huddle the overdue check-in of a client
// discharged last month stands out in "Due today", its name opens the client's page, the
// check-in is recorded right there and leaves the list live. The board's rows carry care items
// due this week. Every action through the page; screenshots at 1920×1080 and 390×844.
import { beforeAll, describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { expectAccessible } from './axe'
import { Api, DESKTOP, PHONE, e2eSuite, newPage, overflowing, shot, signIn, waitLive, type Schemas } from './server'

const ctx = e2eSuite()

describe('transition, check-ins and due items', () => {
  let maria: Api
  let teamId: string
  let client: Schemas['BoardClient']
  let page: Page
  const panel = () => page.getByRole('region', { name: 'Transition' })

  beforeAll(async () => {
    maria = await Api.login(ctx.server.base, 'maria.lopez')
    teamId = maria.team('Riverside ACT').team_id
    const board = await maria.call<Schemas['Board']>('GET', `/api/teams/${teamId}/board`)
    client = board.clients.filter((c) => c.status === 'active' && c.open_flags.length === 0)[7]
    page = (await newPage(ctx.browser, DESKTOP)).page
    await signIn(page, ctx.server.base, 'maria.lopez', `/teams/${teamId}/clients/${client.id}`)
    await waitLive(page)
  })

  test('a lead starts a transition: readiness over six areas, the plan, the summary in words', async () => {
    await panel().getByRole('button', { name: 'Plan a transition…' }).click()
    const form = panel().getByRole('form', { name: 'Plan a transition' })
    for (const area of ['Housing', 'Hospitalization', 'Emergency use', 'Engagement', 'Medication']) {
      await form.getByRole('radiogroup', { name: area }).getByLabel('Ready', { exact: true }).check()
    }
    // Not every area rated: said in words, nothing sent.
    await form.getByRole('button', { name: 'Start transition' }).click()
    await expect.poll(() => panel().getByRole('alert').innerText()).toContain('Rate every area: Justice')
    await form.getByRole('radiogroup', { name: 'Justice' }).getByLabel('Unclear').check()
    await form.getByLabel('Discharge (standard or primary care)').check()
    await form.getByLabel('Why (in words)').fill('Stable for two years; her GP will follow up')
    await expectAccessible(page, 'transition form (1920)')
    await shot(page, 'transition-form-1920.png', true)
    await form.getByRole('button', { name: 'Start transition' }).click()
    await panel().getByRole('status').filter({ hasText: 'Transition started' }).waitFor()
    const summary = await panel().getByTestId('readiness-summary').innerText()
    expect(summary).toContain('Consider a transition')
    expect(summary).toContain('Unclear: justice.')
    await expect.poll(() => page.locator('.client-page').innerText()).toContain('status transitioning')
    await shot(page, 'transition-open-1920.png', true)
  })

  test('completing it discharges the client and schedules check-ins at 30, 60 and 90 days', async () => {
    await panel().getByLabel('Discharge reason').selectOption({ label: 'Goals met' })
    await panel().getByRole('button', { name: 'Complete: discharge' }).click()
    await panel().getByRole('status').filter({ hasText: 'check-ins at 30, 60 and 90 days are scheduled' }).waitFor()
    await expect.poll(() => panel().getByTestId('checkin').count()).toBe(3)
    const words = await panel().getByTestId('checkins').innerText()
    expect(words).toContain('Day 30')
    expect(words).toContain('Day 90')
    await expect.poll(() => page.locator('.client-page').innerText()).toContain('status discharged')
    // A client discharged within the year may return: the button is there.
    expect(await panel().getByRole('button', { name: 'Return to the caseload' }).count()).toBe(1)
  })

  test('a check-in is recorded on the client page by clicks', async () => {
    const first = panel().getByTestId('checkin').filter({ hasText: 'Day 30' })
    await first.getByRole('button', { name: 'Record check-in' }).click()
    const form = panel().getByRole('form', { name: 'Record the day 30 check-in' })
    await form.getByLabel('Outcome').selectOption({ label: 'Reached — needs support' })
    await form.getByLabel('Note').fill('Called early: new GP appointment missed')
    await form.getByRole('button', { name: 'Save' }).click()
    await panel().getByRole('status').filter({ hasText: 'Day 30 check-in recorded.' }).waitFor()
    await expect.poll(() => panel().getByTestId('checkins').innerText()).toContain('Needs support: Called early: new GP appointment missed')
    await shot(page, 'transition-checkins-1920.png', true)
  })

  test('the overdue check-in stands out in the huddle, is recorded there, and leaves the list live', async () => {
    await page.goto(`${ctx.server.base}/teams/${teamId}/board?huddle=1`)
    await waitLive(page)
    const due = page.getByTestId('due-panel')
    const item = due.getByTestId('due-item').filter({ hasText: 'Helen Marsh' })
    await item.waitFor()
    expect(await item.getAttribute('data-kind')).toBe('checkin')
    expect(await item.innerText()).toContain('OVERDUE')
    expect(await item.getAttribute('class')).toContain('late')
    // Her name opens her page (she is discharged: not on the roster).
    expect(await item.getByRole('link', { name: 'Helen Marsh' }).getAttribute('href')).toMatch(/\/clients\//)
    await shot(page, 'transition-huddle-due-1920.png')
    await item.getByRole('button', { name: 'Record check-in for Helen Marsh' }).click()
    const form = item.getByRole('form', { name: 'Record check-in for Helen Marsh' })
    await form.getByLabel('Outcome').selectOption({ label: 'Reached — doing well' })
    await form.getByLabel('Note').fill('Settled with her GP, back at work')
    await form.getByRole('button', { name: 'Save' }).click()
    // The board reads its due list again on checkin.recorded: the item goes without a reload.
    await expect.poll(() => due.getByTestId('due-item').filter({ hasText: 'Helen Marsh' }).count(), { timeout: 10_000 }).toBe(0)
    const stored = await maria.call<Schemas['DueItemOut'][]>('GET', `/api/teams/${teamId}/due?within_days=0`)
    expect(stored.some((d) => d.display_name === 'Helen Marsh')).toBe(false)
  })

  test('the board shows care items due this week on the rows and in the header', async () => {
    await page.goto(`${ctx.server.base}/teams/${teamId}/board`)
    await waitLive(page)
    await page.getByTestId('care-count').waitFor()
    expect(await page.getByTestId('care-count').innerText()).toMatch(/Care items: \d+ due this week/)
    await page.getByTestId('care-due').first().waitFor()
    await expectAccessible(page, 'board with care items (1920)')
    await shot(page, 'transition-board-1920.png')
  })

  test('the transition panel on a phone (390×844): readable, no sideways scrolling', async () => {
    const phone = (await newPage(ctx.browser, PHONE, { mobile: true })).page
    const other = (await maria.call<Schemas['Board']>('GET', `/api/teams/${teamId}/board`)).clients.find((c) => c.status === 'transitioning')!
    await signIn(phone, ctx.server.base, 'maria.lopez', `/teams/${teamId}/clients/${other.id}`)
    const p = phone.getByRole('region', { name: 'Transition' })
    await p.getByTestId('readiness-summary').waitFor()
    await p.scrollIntoViewIfNeeded()
    expect(await overflowing(phone)).toEqual([])
    await expectAccessible(phone, 'transition panel (390)')
    await shot(phone, 'transition-390.png')
    // The form on a phone: six areas one under another, thumb-sized choices.
    const active = (await maria.call<Schemas['Board']>('GET', `/api/teams/${teamId}/board`)).clients.filter((c) => c.status === 'active')[20]
    await phone.goto(`${ctx.server.base}/teams/${teamId}/clients/${active.id}`)
    await p.getByRole('button', { name: 'Plan a transition…' }).click()
    const form = p.getByRole('form', { name: 'Plan a transition' })
    await form.getByRole('radiogroup', { name: 'Housing' }).getByLabel('Not ready').check()
    await form.getByLabel('Step down to an ICM team').check()
    await form.scrollIntoViewIfNeeded()
    expect(await overflowing(phone)).toEqual([])
    await expectAccessible(phone, 'transition form (390)')
    await form.getByRole('radiogroup', { name: 'Housing' }).scrollIntoViewIfNeeded()
    await shot(phone, 'transition-form-390.png')
  })
})
