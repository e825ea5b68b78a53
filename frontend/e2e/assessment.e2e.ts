// Assessments on the client page (issue 14): a member rates the three factors with evidence
// and the server computes the tier, which the client's badge and the board follow; a lead
// overrides with a reason; the tier can no longer be set by hand. Through the page only.
import { beforeAll, describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { expectAccessible } from './axe'
import { Api, DESKTOP, PHONE, e2eSuite, newPage, overflowing, shot, signIn, waitLive, type Schemas } from './server'

const ctx = e2eSuite()

describe('assessment on the client page', () => {
  let maria: Api
  let teamId: string
  let client: Schemas['ClientOut']
  let page: Page

  beforeAll(async () => {
    maria = await Api.login(ctx.server.base, 'maria.lopez')
    teamId = maria.team('Riverside ACT').team_id
    const clients = await maria.call<Schemas['ClientOut'][]>('GET', `/api/teams/${teamId}/clients?status=active`)
    client = clients.find((c) => c.risk_tier !== 'high')!
    page = (await newPage(ctx.browser, DESKTOP)).page
    await signIn(page, ctx.server.base, 'sam.okafor', `/teams/${teamId}/clients/${client.id}`)
    await waitLive(page)
  })

  const section = () => page.getByRole('region', { name: 'Assessment' })
  const rate = (factor: string, n: number) =>
    section().getByRole('radiogroup', { name: `${factor} rating` }).getByLabel(new RegExp(`^${n} `)).check()

  test('the demo client has an assessment with its evidence and next due day', async () => {
    await expect.poll(() => section().innerText()).toMatch(/Next assessment due|Reassessment overdue since/)
    expect(await page.getByLabel('Risk tier').count()).toBe(0)
  })

  test('a member records an assessment; the tier is computed and the badge follows', async () => {
    await section().getByRole('button', { name: 'New assessment…' }).click()
    const save = section().getByRole('button', { name: 'Save assessment' })
    expect(await save.isDisabled()).toBe(true)
    await rate('Biomedical', 0)
    await rate('Behavioural', 3)
    await rate('Circumstantial', 1)
    // A rating above 0 needs its evidence.
    await expect.poll(() => section().innerText()).toContain('Say what the behavioural, circumstantial rating rests on.')
    await page.getByLabel('Behavioural evidence').fill('E2E: stopped the depot, voices louder at night')
    await page.getByLabel('Circumstantial evidence').fill('E2E: rent arrears letter')
    // Members see no override.
    expect(await page.getByLabel(/Override the computed tier/).count()).toBe(0)
    await expectAccessible(page)
    await shot(page, 'assessment-form-1920.png', true)
    await save.click()
    await section().getByRole('status').filter({ hasText: 'Saved: high tier.' }).waitFor()
    await expect.poll(() => section().innerText()).toContain('High: behavioral rated 3 (the maximum).')
    await expect.poll(() => page.locator('p .risk').first().innerText()).toContain('HIGH')
    const stored = await maria.call<Schemas['ClientOut']>('GET', `/api/teams/${teamId}/clients/${client.id}`)
    expect(stored.risk_tier).toBe('high')
  })

  test('a lead overrides the computed tier with a reason', async () => {
    const lead = (await newPage(ctx.browser, PHONE, { mobile: true })).page
    await signIn(lead, ctx.server.base, 'maria.lopez', `/teams/${teamId}/clients/${client.id}`)
    const sec = lead.getByRole('region', { name: 'Assessment' })
    await sec.getByRole('button', { name: 'New assessment…' }).click()
    for (const f of ['Biomedical', 'Behavioural', 'Circumstantial']) {
      await sec.getByRole('radiogroup', { name: `${f} rating` }).getByLabel(/^0 /).check()
    }
    await lead.getByLabel(/Override the computed tier/).selectOption('medium')
    expect(await sec.getByRole('button', { name: 'Save assessment' }).isDisabled()).toBe(true)
    await lead.getByLabel('Why (required)').fill('E2E: discharged from hospital last week')
    expect(await overflowing(lead)).toEqual([])
    await expectAccessible(lead)
    await lead.getByLabel('Why (required)').scrollIntoViewIfNeeded()
    await shot(lead, 'assessment-override-390.png')
    await sec.getByRole('button', { name: 'Save assessment' }).click()
    await sec.getByRole('status').filter({ hasText: 'Saved: medium tier.' }).waitFor()
    await expect.poll(() => sec.innerText()).toContain('Overridden to medium by a lead: E2E: discharged from hospital last week')
    // The member's open page follows live.
    await expect.poll(() => section().innerText()).toContain('Overridden to medium')
    await expect.poll(() => section().getByText(/Earlier assessments/).innerText()).toMatch(/Earlier assessments \(\d+\)/)
    await shot(page, 'assessment-1920.png')
  })
})
