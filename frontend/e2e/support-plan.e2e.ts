// The support plan on the client page (issue 14): a case manager writes a plan with two goals
// in the client's own words (objective, target day, an intervention with who and how often),
// adds a progress note, sees that a goal with notes cannot be removed, and prints the plan for
// signature (the print stylesheet shows only the plan). Through the page only.
import { beforeAll, describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { expectAccessible } from './axe'
import { Api, DESKTOP, PHONE, e2eSuite, newPage, overflowing, shot, signIn, waitLive, type Schemas } from './server'

const ctx = e2eSuite()

describe('support plan on the client page', () => {
  let maria: Api
  let teamId: string
  let client: Schemas['ClientOut']
  let page: Page
  const plan = () => page.getByRole('region', { name: 'Support plan' })

  beforeAll(async () => {
    maria = await Api.login(ctx.server.base, 'maria.lopez')
    teamId = maria.team('Riverside ACT').team_id
    const clients = await maria.call<Schemas['ClientOut'][]>('GET', `/api/teams/${teamId}/clients?status=active`)
    client = clients[3]
    page = (await newPage(ctx.browser, DESKTOP)).page
    await signIn(page, ctx.server.base, 'priya.nair', `/teams/${teamId}/clients/${client.id}`)
    await waitLive(page)
  })

  test('write a plan with two goals', async () => {
    await plan().getByText('No support plan yet.').waitFor()
    await plan().getByRole('button', { name: 'Write the plan…' }).click()
    await plan().getByRole('button', { name: 'Add a goal' }).click()
    await page.getByLabel("In the client's own words").fill('I want to keep my flat')
    await page.getByLabel('Measurable objective').fill('Rent paid on time for six months')
    await page.getByLabel('Target date').fill('2027-06-01')
    await plan().getByRole('button', { name: 'Add an intervention' }).click()
    await page.getByLabel('Intervention 1: what').fill('Budgeting sessions')
    await page.getByLabel('Who').selectOption({ label: 'Priya Nair' })
    await page.getByLabel('How often').fill('weekly')
    await plan().getByRole('button', { name: 'Add a goal' }).click()
    await page.locator('#g-words-1').fill('See my daughter on Sundays')
    await page.locator('#g-obj-1').fill('Four supervised visits a month')
    // A goal without its target date is refused by field, in words.
    await plan().getByRole('button', { name: 'Save the plan' }).click()
    await expect.poll(() => plan().getByRole('alert').innerText()).toContain('target date is required')
    await page.locator('#g-target-1').fill('2027-03-01')
    await page.getByLabel('Natural supports (family, friends, peers)').fill('Sister Ana, weekly calls')
    await expectAccessible(page)
    await shot(page, 'plan-form-1920.png', true)
    await plan().getByRole('button', { name: 'Save the plan' }).click()
    await plan().getByRole('status').filter({ hasText: 'Plan saved. Next review due' }).waitFor()
    const words = await plan().innerText()
    expect(words).toContain('“I want to keep my flat”')
    expect(words).toContain('Budgeting sessions — Priya Nair — weekly')
    expect(words).toContain('Sister Ana, weekly calls')
    const stored = await maria.call<Schemas['PlanOut']>('GET', `/api/teams/${teamId}/clients/${client.id}/plan`)
    expect(stored.goals.map((g) => g.in_own_words)).toEqual(['I want to keep my flat', 'See my daughter on Sundays'])
  })

  test('add a progress note; a goal with notes cannot be removed', async () => {
    await plan().getByRole('button', { name: 'Add progress…' }).first().click()
    const form = plan().getByRole('form', { name: 'Progress on “I want to keep my flat”' })
    await form.getByLabel('How it is going').selectOption('improving')
    await form.getByLabel('Progress note').fill('Paid November rent on the 1st')
    await form.getByRole('button', { name: 'Save progress' }).click()
    await expect.poll(() => plan().innerText()).toContain('Improving')
    await expect.poll(() => plan().innerText()).toContain('Paid November rent on the 1st')
    await plan().getByRole('button', { name: 'Edit the plan…' }).click()
    expect(await plan().getByRole('button', { name: 'Remove goal 1' }).count()).toBe(0)
    expect(await plan().getByText('Has progress notes: mark it completed or cancelled rather than removing it.').count()).toBe(1)
    await plan().getByRole('button', { name: 'Cancel' }).last().click()
  })

  test('print for signature shows only the plan', async () => {
    await page.emulateMedia({ media: 'print' })
    await page.evaluate(() => { document.body.classList.add('print-plan'); window.scrollTo(0, 0) })
    await shot(page, 'plan-print.png', true)
    expect(await page.getByRole('heading', { name: /^Support plan for / }).isVisible()).toBe(true)
    expect(await page.getByRole('heading', { name: 'Contacts (last 30 days and next week)' }).isVisible()).toBe(false)
    expect(await page.getByText("Client's signature").isVisible()).toBe(true)
    expect(await page.getByRole('navigation', { name: 'Team' }).isVisible()).toBe(false)
    await page.evaluate(() => document.body.classList.remove('print-plan'))
    await page.emulateMedia({ media: 'screen' })
  })

  test('the plan on a phone (390×844): readable, no sideways scrolling', async () => {
    const phone = (await newPage(ctx.browser, PHONE, { mobile: true })).page
    await signIn(phone, ctx.server.base, 'maria.lopez', `/teams/${teamId}/clients/${client.id}`)
    const p = phone.getByRole('region', { name: 'Support plan' })
    await p.getByText('“See my daughter on Sundays”').waitFor()
    await p.scrollIntoViewIfNeeded()
    expect(await overflowing(phone)).toEqual([])
    await expectAccessible(phone)
    await shot(phone, 'plan-390.png')
  })
})
