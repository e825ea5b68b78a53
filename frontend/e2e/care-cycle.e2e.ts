// The whole care cycle of issue 14 in one pass, as a lead does it in the web app and nothing
// else: a referral is entered on the Referrals screen, screened on the client page, accepted
// (the client becomes active and enrolled), assessed (the tier is computed), given a support
// plan with two goals in the client's own words, a progress note on one goal, a transition
// (readiness over six areas, a discharge plan) that is completed, and the first check-in
// recorded. Each step is checked through the page; the stored record is read back at the end.
import { beforeAll, describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { Api, DESKTOP, PHONE, e2eSuite, newPage, overflowing, shot, signIn, waitLive, type Schemas } from './server'

const ctx = e2eSuite()

/** A day `months` from now, as the date inputs take it. */
function monthsAhead(months: number): string {
  const d = new Date()
  d.setMonth(d.getMonth() + months)
  return d.toISOString().slice(0, 10)
}

describe('the care cycle, referral to check-in, in the web app', () => {
  let maria: Api
  let teamId: string
  let page: Page
  let clientId = ''
  const status = () => page.locator('main p strong').first().innerText()

  beforeAll(async () => {
    maria = await Api.login(ctx.server.base, 'maria.lopez')
    teamId = maria.team('Riverside ACT').team_id
    page = (await newPage(ctx.browser, DESKTOP)).page
    await signIn(page, ctx.server.base, 'maria.lopez', `/teams/${teamId}/board`)
    await waitLive(page)
  })

  test('referral: entered on the Referrals screen', async () => {
    await page.getByRole('navigation', { name: 'Team' }).getByRole('link', { name: 'Referrals' }).click()
    await page.getByTestId('referrals-summary').waitFor()
    await page.getByRole('button', { name: 'New referral…' }).click()
    await page.getByLabel('Given name').fill('Cyrus')
    await page.getByLabel('Family name').fill('Cycle')
    await page.getByLabel('Referred by (ward, GP, court, self…)').fill('Crisis team, night shift')
    await page.getByLabel('Reason for the referral (optional)').fill('Three emergency visits this year; lost his flat.')
    await page.getByRole('button', { name: 'Refer', exact: true }).click()
    const ok = page.getByRole('status').filter({ hasText: 'Cyrus Cycle is referred.' })
    await ok.waitFor()
    await ok.getByRole('link', { name: 'Open the client page' }).click()
    await page.waitForURL(/\/clients\//)
    clientId = page.url().split('/clients/')[1]
    await expect.poll(status).toBe('referred')
  })

  test('screening: the recommendation in words, then accepted and enrolled', async () => {
    const panel = page.getByRole('region', { name: 'Screening' })
    await panel.getByRole('button', { name: 'Screen…' }).click()
    await page.getByLabel('Diagnosis').selectOption('bipolar')
    await page.getByLabel('Years of illness').fill('9')
    await panel.getByRole('group', { name: 'Impairments' }).getByLabel('Housing').check()
    await page.getByLabel('Emergency visits, last 12 months').fill('4')
    await panel.getByRole('group', { name: 'Indicators' }).getByLabel('Homeless').check()
    await panel.getByRole('button', { name: 'Record screening' }).click()
    await panel.getByRole('status').filter({ hasText: 'Screened: Accept to ACT.' }).waitFor()
    await expect.poll(status).toBe('in screening')
    await panel.getByRole('radiogroup', { name: 'Accept or decline' }).getByLabel('Accept').check()
    await panel.getByRole('button', { name: /^Accept and admit/ }).click()
    await panel.getByRole('status').filter({ hasText: /Cyrus Cycle is accepted and active/ }).waitFor()
    await expect.poll(status).toBe('active')
  })

  test('assessment: three factors with evidence, the tier computed', async () => {
    const section = page.getByRole('region', { name: 'Assessment' })
    await section.getByRole('button', { name: 'New assessment…' }).click()
    const rate = (factor: string, n: number) =>
      section.getByRole('radiogroup', { name: `${factor} rating` }).getByLabel(new RegExp(`^${n} `)).check()
    await rate('Biomedical', 1)
    await rate('Behavioural', 2)
    await rate('Circumstantial', 2)
    await page.getByLabel('Biomedical evidence').fill('Lithium levels unchecked since spring')
    await page.getByLabel('Behavioural evidence').fill('Missed two appointments, sleeping in the day')
    await page.getByLabel('Circumstantial evidence').fill('Staying with a friend, no tenancy')
    await section.getByRole('button', { name: 'Save assessment' }).click()
    // 1 + 2 + 2 = 5: medium by the documented rule.
    await section.getByRole('status').filter({ hasText: 'Saved: medium tier.' }).waitFor()
  })

  test('support plan: two goals in his own words, then progress on one', async () => {
    const plan = page.getByRole('region', { name: 'Support plan' })
    await plan.getByRole('button', { name: 'Write the plan…' }).click()
    await plan.getByRole('button', { name: 'Add a goal' }).click()
    await page.getByLabel("In the client's own words").fill('I want my own place again')
    await page.getByLabel('Measurable objective').fill('A tenancy signed and rent paid for three months')
    await page.getByLabel('Target date').fill(monthsAhead(6))
    await plan.getByRole('button', { name: 'Add a goal' }).click()
    await page.locator('#g-words-1').fill('Keep my moods steady')
    await page.locator('#g-obj-1').fill('Lithium level checked every month')
    await page.locator('#g-target-1').fill(monthsAhead(3))
    await page.getByLabel('Natural supports (family, friends, peers)').fill('His brother Omid, Sunday dinners')
    await plan.getByRole('button', { name: 'Save the plan' }).click()
    await plan.getByRole('status').filter({ hasText: 'Plan saved. Next review due' }).waitFor()
    await plan.getByRole('button', { name: 'Add progress…' }).first().click()
    const form = plan.getByRole('form', { name: 'Progress on “I want my own place again”' })
    await form.getByLabel('How it is going').selectOption('improving')
    await form.getByLabel('Progress note').fill('Viewing a flat on Elm Road on Friday')
    await form.getByRole('button', { name: 'Save progress' }).click()
    await expect.poll(() => plan.innerText()).toContain('Viewing a flat on Elm Road on Friday')
  })

  test('transition: readiness over six areas, completed as a discharge, a check-in recorded', async () => {
    const panel = page.getByRole('region', { name: 'Transition' })
    await panel.getByRole('button', { name: 'Plan a transition…' }).click()
    const form = panel.getByRole('form', { name: 'Plan a transition' })
    for (const area of ['Housing', 'Hospitalization', 'Emergency use', 'Engagement', 'Medication', 'Justice']) {
      await form.getByRole('radiogroup', { name: area }).getByLabel('Ready', { exact: true }).check()
    }
    await form.getByLabel('Discharge (standard or primary care)').check()
    await form.getByLabel('Why (in words)').fill('Housed and steady; his GP takes over')
    await form.getByRole('button', { name: 'Start transition' }).click()
    await panel.getByRole('status').filter({ hasText: 'Transition started' }).waitFor()
    expect(await panel.getByTestId('readiness-summary').innerText()).toContain('Consider a transition')
    await expect.poll(() => page.locator('.client-page').innerText()).toContain('status transitioning')

    await panel.getByLabel('Discharge reason').selectOption({ label: 'Goals met' })
    await panel.getByRole('button', { name: 'Complete: discharge' }).click()
    await panel.getByRole('status').filter({ hasText: 'check-ins at 30, 60 and 90 days are scheduled' }).waitFor()
    await expect.poll(() => panel.getByTestId('checkin').count()).toBe(3)

    const first = panel.getByTestId('checkin').filter({ hasText: 'Day 30' })
    await first.getByRole('button', { name: 'Record check-in' }).click()
    const checkin = panel.getByRole('form', { name: 'Record the day 30 check-in' })
    await checkin.getByLabel('Outcome').selectOption({ label: 'Reached — doing well' })
    await checkin.getByLabel('Note').fill('Rang early: settled in the flat, GP seen')
    await checkin.getByRole('button', { name: 'Save' }).click()
    await panel.getByRole('status').filter({ hasText: 'Day 30 check-in recorded.' }).waitFor()
    await shot(page, 'care-cycle-1920.png')
  })

  test('the record holds every step, and the page reads on a phone', async () => {
    const c = await maria.call<Schemas['ClientOut']>('GET', `/api/teams/${teamId}/clients/${clientId}`)
    expect(c.status).toBe('discharged')
    expect(c.discharge_reason).toBe('goals_met')
    expect(c.enrolled_on).toBeTruthy()
    expect(c.referral?.source).toBe('Crisis team, night shift')
    const screening = await maria.call<Schemas['ScreeningOut']>('GET', `/api/teams/${teamId}/clients/${clientId}/screening`)
    expect(screening.decision).toBe('accept')
    const plan = await maria.call<{ goals: unknown[] }>('GET', `/api/teams/${teamId}/clients/${clientId}/plan`)
    expect(plan.goals.length).toBe(2)

    const phone = (await newPage(ctx.browser, PHONE, { mobile: true })).page
    await signIn(phone, ctx.server.base, 'maria.lopez', `/teams/${teamId}/clients/${clientId}`)
    await phone.getByRole('region', { name: 'Transition' }).getByTestId('checkins').waitFor()
    expect(await overflowing(phone)).toEqual([])
    await shot(phone, 'care-cycle-390.png')
  })
})
