// Referral, screening and the decision (issue 14), through the page only: a lead opens the
// Referrals screen from the team's navigation, enters a referral (name, source, day, reason),
// opens the client page, screens the person (diagnosis, years, impairment, indicators), reads
// the recommendation with its reasons in words, and accepts them to a case manager picked with
// each one's caseload (ICM, n / 15): the client is active. A decision against the
// recommendation asks for a reason. Screenshots at 1920×1080 and 390×844.
import { beforeAll, describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { expectAccessible } from './axe'
import { Api, DESKTOP, PHONE, e2eSuite, newPage, overflowing, shot, signIn, waitLive, type Schemas } from './server'

const ctx = e2eSuite()

describe('referral to admission', () => {
  let dana: Api
  let teamId: string
  let page: Page
  let clientId = ''

  beforeAll(async () => {
    dana = await Api.login(ctx.server.base, 'dana.white')
    teamId = dana.team('Northside ICM').team_id
    page = (await newPage(ctx.browser, DESKTOP)).page
    await signIn(page, ctx.server.base, 'dana.white', `/teams/${teamId}/board`)
    await waitLive(page)
  })

  const panel = () => page.getByRole('region', { name: 'Screening' })

  test('the Referrals screen lists who waits, high need first, with the intake bars', async () => {
    await page.getByRole('navigation', { name: 'Team' }).getByRole('link', { name: 'Referrals' }).click()
    await page.waitForURL(/\/referrals$/)
    await page.getByTestId('referrals-summary').waitFor()
    const rows = page.getByTestId('referral')
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(4)
    // High need first: the first row is marked at or above the line.
    expect(await rows.first().getAttribute('class')).toContain('high')
    await expect.poll(() => page.getByTestId('intake-note').innerText()).toMatch(/O2 intake rate: [1-5] of 5/)
    expect(await page.getByRole('row').count()).toBe(12)
    await expectAccessible(page)
    await shot(page, 'referrals-1920.png', true)
  })

  test('a lead enters a referral through the form', async () => {
    await page.getByRole('button', { name: 'New referral…' }).click()
    await page.getByLabel('Given name').fill('Imani')
    await page.getByLabel('Family name').fill('Referral')
    await page.getByLabel('Referred by (ward, GP, court, self…)').fill('County hospital, ward 3')
    await page.getByLabel('Reason for the referral (optional)').fill('Second admission in four months; no fixed address.')
    await page.getByRole('button', { name: 'Refer', exact: true }).click()
    const ok = page.getByRole('status').filter({ hasText: 'Imani Referral is referred.' })
    await ok.waitFor()
    // The list follows: the new referral waits, not screened yet.
    const row = page.getByTestId('referral').filter({ hasText: 'Imani Referral' })
    await expect.poll(() => row.innerText()).toContain('County hospital, ward 3')
    expect(await row.innerText()).toContain('not yet')
    await ok.getByRole('link', { name: 'Open the client page' }).click()
    await page.waitForURL(/\/clients\//)
    clientId = page.url().split('/clients/')[1]
    await expect.poll(() => panel().innerText()).toContain('Referred by County hospital, ward 3')
    await expect.poll(() => panel().innerText()).toContain('Not screened yet.')
    // The lead corrects where it came from while it waits.
    await panel().getByRole('button', { name: 'Correct the referral…' }).click()
    await panel().getByLabel('Referred by').fill('County hospital, ward 3 (Dr. Amari)')
    await panel().getByRole('button', { name: 'Save referral' }).click()
    await panel().getByRole('status').filter({ hasText: 'Referral saved.' }).waitFor()
    await expect.poll(() => panel().innerText()).toContain('Referred by County hospital, ward 3 (Dr. Amari)')
  })

  test('the lead screens the person and reads the recommendation in words', async () => {
    await panel().getByRole('button', { name: 'Screen…' }).click()
    const record = panel().getByRole('button', { name: 'Record screening' })
    expect(await record.isDisabled()).toBe(true)
    await page.getByLabel('Diagnosis').selectOption('schizophrenia_spectrum')
    await page.getByLabel('Years of illness').fill('6')
    await panel().getByRole('group', { name: 'Impairments' }).getByLabel('Housing').check()
    await panel().getByRole('group', { name: 'Impairments' }).getByLabel('Self-care').check()
    await page.getByLabel('Hospital days, last 24 months').fill('110')
    await page.getByLabel('Psychiatric admissions, last 12 months').fill('2')
    await panel().getByRole('group', { name: 'Indicators' }).getByLabel('Homeless').check()
    await expect.poll(() => panel().innerText()).toContain('4.6 a month')
    await expectAccessible(page)
    await shot(page, 'screening-form-1920.png', true)
    await record.click()
    await panel().getByRole('status').filter({ hasText: 'Screened: Accept to ICM.' }).waitFor()
    const result = panel().getByTestId('screening-result')
    await expect.poll(() => result.textContent()).toContain('Recommendation Accept to ICM')
    const text = await result.innerText()
    expect(text).toContain('Qualifying diagnosis: a schizophrenia-spectrum disorder.')
    expect(text).toContain('Ill for 6 years (at least 2 years).')
    expect(text).toContain('110 hospital days in 24 months')
    expect(text).toContain('at or above the line of 4')
    await expect.poll(() => page.locator('main p strong').first().innerText()).toBe('in screening')
  })

  test('declining against the recommendation asks why', async () => {
    await panel().getByRole('radiogroup', { name: 'Accept or decline' }).getByLabel('Decline').check()
    await expect.poll(() => panel().innerText()).toContain('Why, against the recommendation (required)')
    expect(await panel().getByRole('button', { name: 'Decline referral' }).isDisabled()).toBe(true)
  })

  test('the lead accepts to a case manager with room; the client is active', async () => {
    await panel().getByRole('radiogroup', { name: 'Accept or decline' }).getByLabel('Accept').check()
    const select = panel().getByLabel('Accept with case manager')
    // Each one's caseload is shown; a full one cannot be picked.
    const options = await select.locator('option').allInnerTexts()
    expect(options.some((o) => /\(15 \/ 15, full\)/.test(o))).toBe(true)
    const kelly = options.find((o) => o.startsWith('Kelly Ward'))!
    expect(kelly).toMatch(/\(\d+ \/ 15\)/)
    await select.selectOption({ label: kelly })
    expect(await panel().getByRole('button', { name: 'Accept and admit' }).isDisabled()).toBe(false)
    await shot(page, 'screening-decision-1920.png', true)
    await panel().getByRole('button', { name: 'Accept and admit' }).click()
    await panel().getByRole('status').filter({ hasText: 'Imani Referral is accepted and active with Kelly Ward.' }).waitFor()
    await expect.poll(() => page.locator('main p strong').first().innerText()).toBe('active')
    await expect.poll(() => panel().innerText()).toContain('Accepted')
    const stored = await dana.call<Schemas['ClientOut']>('GET', `/api/teams/${teamId}/clients/${clientId}`)
    expect(stored.status).toBe('active')
    expect(stored.enrolled_on).toBeTruthy()
    expect(stored.case_manager_id).toBeTruthy()
  })

  test('on a phone: the Referrals screen and a screened client read without zooming', async () => {
    const phone = (await newPage(ctx.browser, PHONE, { mobile: true })).page
    await signIn(phone, ctx.server.base, 'dana.white', `/teams/${teamId}/referrals`)
    await phone.getByTestId('referrals-summary').waitFor()
    await phone.getByTestId('intake-note').waitFor()
    expect(await overflowing(phone)).toEqual([])
    await shot(phone, 'referrals-390.png', true)
    const first = phone.getByTestId('referral').filter({ hasText: 'in screening' }).first()
    await first.getByRole('link').click()
    await phone.waitForURL(/\/clients\//)
    await phone.getByTestId('screening-result').waitFor()
    await phone.getByRole('region', { name: 'Screening' }).scrollIntoViewIfNeeded()
    expect(await overflowing(phone)).toEqual([])
    await shot(phone, 'screening-390.png')
  })
})

describe('declining and narrowing (Riverside ACT)', () => {
  let maria: Api
  let teamId: string
  let page: Page

  beforeAll(async () => {
    maria = await Api.login(ctx.server.base, 'maria.lopez')
    teamId = maria.team('Riverside ACT').team_id
    page = (await newPage(ctx.browser, DESKTOP)).page
    await signIn(page, ctx.server.base, 'maria.lopez', `/teams/${teamId}/referrals`)
    await waitLive(page)
  })

  test('a lead declines against the recommendation with a reason; the client reads as declined', async () => {
    const row = page.getByTestId('referral').filter({ hasText: 'ACT · high need' }).first()
    const name = (await row.getByRole('link').innerText()).trim()
    await row.getByRole('link').click()
    await page.waitForURL(/\/clients\//)
    const clientId = page.url().split('/clients/')[1]
    const panel = page.getByRole('region', { name: 'Screening' })
    await panel.getByTestId('screening-result').waitFor()
    await panel.getByRole('radiogroup', { name: 'Accept or decline' }).getByLabel('Decline').check()
    const button = panel.getByRole('button', { name: 'Decline referral' })
    expect(await button.isDisabled()).toBe(true)
    await panel.getByLabel('Why, against the recommendation (required)').fill('Prefers to stay with her own psychiatrist; agreed to a review in three months.')
    await button.click()
    await panel.getByRole('status').filter({ hasText: `${name} is declined.` }).waitFor()
    await expect.poll(() => page.locator('main p strong').first().innerText()).toBe('declined after screening')
    await expect.poll(() => panel.innerText()).toMatch(/Declined .* \(against the recommendation\): .?Prefers to stay with her own psychiatrist/)
    const stored = await maria.call<Schemas['ScreeningOut']>('GET', `/api/teams/${teamId}/clients/${clientId}/screening`)
    expect(stored.decision).toBe('decline')
    expect(stored.against_recommendation).toBe(true)
    // No longer waiting.
    await page.getByRole('navigation', { name: 'Team' }).getByRole('link', { name: 'Referrals' }).click()
    await page.getByTestId('referrals-summary').waitFor()
    await expect.poll(() => page.getByTestId('referral').filter({ hasText: name }).count()).toBe(0)
  })

  test('a lead narrows the qualifying diagnoses in Settings', async () => {
    await page.getByRole('navigation', { name: 'Team' }).getByRole('link', { name: 'Settings' }).click()
    const group = page.getByRole('group', { name: 'Diagnoses that qualify at screening' })
    await group.getByLabel('Personality disorder').uncheck()
    await group.scrollIntoViewIfNeeded()
    await shot(page, 'settings-qualifying-1920.png')
    await page.getByRole('button', { name: 'Save settings' }).click()
    await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor()
    const t = await maria.call<Schemas['TeamOut']>('GET', `/api/teams/${teamId}`)
    expect(t.qualifying_diagnoses_narrowed).toBe(true)
    expect(t.qualifying_diagnoses).not.toContain('personality')
    await expect.poll(() => group.innerText()).toContain('Narrowed for this team.')
    await group.getByLabel('Personality disorder').check()
    await page.getByRole('button', { name: 'Save settings' }).click()
    await expect.poll(async () => (await maria.call<Schemas['TeamOut']>('GET', `/api/teams/${teamId}`)).qualifying_diagnoses_narrowed).toBe(false)
  })
})
