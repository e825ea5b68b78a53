// The client's whole lifecycle through the page, as the lead of Northside ICM: a new
// referral in the planner, screening and admission with a case manager (a full one is
// shown 15 / 15 and disabled), changing the case manager, a transfer to a second team
// (set up through the API) with a confirmation that names the open flag going along, and a
// discharge with a reason and a confirmation that resolves the open flag in the same step.
import { beforeAll, describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { expectAccessible } from './axe'
import { Api, DESKTOP, PHONE, e2eSuite, newPage, overflowing, raiseFlag, shot, signIn, waitLive, type Schemas } from './server'

const ctx = e2eSuite()

describe('client lifecycle on the client page', () => {
  let dana: Api
  let teamId: string
  let west: Schemas['TeamOut']
  let page: Page
  let clientId: string
  const staff: Record<string, string> = {}
  const alert = () => page.getByRole('alert').filter({ hasText: /\S/ })
  const get = (team: string) => dana.call<Schemas['ClientOut']>('GET', `/api/teams/${team}/clients/${clientId}`)

  beforeAll(async () => {
    dana = await Api.login(ctx.server.base, 'dana.white')
    teamId = dana.team('Northside ICM').team_id
    for (const m of await dana.call<Schemas['MemberOut'][]>('GET', `/api/teams/${teamId}/members`)) staff[m.display_name] = m.staff_id
    // A second ICM team, led by Dana, where Robin Clark works.
    const admin = await Api.login(ctx.server.base, 'admin')
    west = await admin.call<Schemas['TeamOut']>('POST', '/api/teams', { name: 'Westside ICM', mode: 'icm', timezone: 'America/Chicago' } satisfies Schemas['NewTeam'])
    await admin.call('PUT', `/api/teams/${west.id}/members/${dana.me.user.id}`, { role: 'lead' } satisfies Schemas['MemberRole'])
    await admin.call('PUT', `/api/teams/${west.id}/members/${staff['Robin Clark']}`, { role: 'member' } satisfies Schemas['MemberRole'])
    page = (await newPage(ctx.browser, DESKTOP)).page
    await signIn(page, ctx.server.base, 'dana.white', `/teams/${teamId}/planner`)
    await waitLive(page)
  })

  test('refer a new client in the planner', async () => {
    await page.getByRole('button', { name: 'New referral…' }).click()
    await page.getByLabel('Given name').fill('Quinn')
    await page.getByLabel('Family name').fill('Lifecycle')
    await page.getByLabel('Record number (optional)').fill('EHR-77001')
    await page.getByLabel('Referred by (ward, GP, court, self…)').fill('St Mary\'s ward 7')
    await page.getByRole('button', { name: 'Refer', exact: true }).click()
    const ok = page.getByRole('status').filter({ hasText: 'Quinn Lifecycle is referred.' })
    await ok.waitFor()
    await ok.getByRole('link', { name: 'Open the client page' }).click()
    await page.waitForURL(/\/clients\//)
    clientId = page.url().split('/clients/')[1]
    expect(await get(teamId)).toMatchObject({ status: 'referred', external_id: 'EHR-77001', given_name: 'Quinn' })
  })

  test('screen, then admit with a case manager: Chris Adams (15 / 15) is disabled', async () => {
    await page.getByRole('button', { name: 'Move to screening' }).click()
    await expect.poll(async () => (await get(teamId)).status).toBe('screening')
    await page.getByRole('button', { name: 'Admit…' }).click()
    const select = page.getByLabel('Admit with case manager')
    const chris = select.locator('option', { hasText: 'Chris Adams' })
    expect(await chris.innerText()).toBe('Chris Adams (15 / 15, full)')
    expect(await chris.isDisabled()).toBe(true)
    await select.selectOption({ label: 'Kelly Ward (9 / 15)' })
    await page.getByRole('button', { name: 'Admit', exact: true }).click()
    await page.getByRole('status').filter({ hasText: 'Quinn Lifecycle is admitted with Kelly Ward.' }).waitFor()
    expect(await get(teamId)).toMatchObject({ status: 'active', case_manager_id: staff['Kelly Ward'] })
  })

  test('change the case manager: a full one is disabled, Pat Nguyen takes the client', async () => {
    const select = page.getByLabel('Case manager', { exact: true })
    await expect.poll(() => select.inputValue()).toBe(staff['Kelly Ward'])
    expect(await select.locator('option', { hasText: 'Chris Adams' }).isDisabled()).toBe(true)
    await select.selectOption(staff['Pat Nguyen'])
    await page.getByRole('button', { name: 'Change case manager' }).click()
    await page.getByRole('status').filter({ hasText: 'Quinn Lifecycle is now with Pat Nguyen.' }).waitFor()
    expect((await get(teamId)).case_manager_id).toBe(staff['Pat Nguyen'])
    expect(await alert().count()).toBe(0)
  })

  test('a change made elsewhere meanwhile is said in words, and the record reloaded', async () => {
    const c = await get(teamId)
    await dana.call('PATCH', `/api/teams/${teamId}/clients/${clientId}`, { version: c.version, preferred_name: 'Q' } satisfies Schemas['ClientPatch'])
    await page.getByRole('button', { name: 'Move to transitioning' }).click()
    await expect.poll(() => alert().allInnerTexts()).toContain('Someone else changed this record meanwhile; it has been reloaded. Try again.')
    await expect.poll(() => page.locator('h1').innerText()).toBe('Q Lifecycle')
    await dana.call('PATCH', `/api/teams/${teamId}/clients/${clientId}`, { version: (await get(teamId)).version, preferred_name: null } satisfies Schemas['ClientPatch'])
  })

  test('transfer to Westside ICM: the confirmation names the open flag, which moves to that board', async () => {
    const flag = await raiseFlag(dana, teamId, clientId, 'urgent', 'E2E: missed two appointments, phone off.', 'missing')
    await page.reload()
    await waitLive(page)
    await page.getByRole('button', { name: 'Transfer…' }).click()
    await page.getByLabel('Move to team').selectOption({ label: 'Westside ICM (ICM)' })
    const cm = page.getByLabel(/^Case manager there/)
    await expect.poll(() => cm.isDisabled()).toBe(false)
    await cm.selectOption({ label: 'Robin Clark (0 / 15)' })
    await page.getByRole('button', { name: 'Transfer…' }).last().click()
    const dialog = page.getByRole('dialog')
    await dialog.waitFor()
    const words = await dialog.innerText()
    expect(words).toContain('Transfer Quinn Lifecycle to Westside ICM?')
    expect(words).toContain('1 open crisis flag')
    expect(words).toContain('missed two appointments')
    expect(words).toContain('Robin Clark')
    await shot(page, 'client-transfer-confirm-1920.png')
    await expectAccessible(page, 'transfer confirmation at 1920×1080')
    await dialog.getByRole('button', { name: 'Transfer to Westside ICM' }).click()
    await page.waitForURL(`**/teams/${west.id}/clients/${clientId}`)
    await waitLive(page)
    expect(await alert().count(), 'no error after moving to the receiving team').toBe(0)
    expect(await get(west.id)).toMatchObject({ team_id: west.id, case_manager_id: staff['Robin Clark'], status: 'active' })
    const westBoard = await dana.call<Schemas['Board']>('GET', `/api/teams/${west.id}/board`)
    expect(westBoard.open_flags.map((f) => f.id)).toContain(flag.id)
    const northBoard = await dana.call<Schemas['Board']>('GET', `/api/teams/${teamId}/board`)
    expect(northBoard.open_flags.map((f) => f.id)).not.toContain(flag.id)
    // The client page on the receiving team shows the flag as open.
    await expect.poll(() => page.getByRole('region', { name: 'Status and care' }).count()).toBe(1)
    await expect.poll(() => page.locator('main').innerText()).toContain('missed two appointments')
  })

  test('discharge with a reason and a confirmation that resolves the open flag', async () => {
    await waitLive(page)
    await page.getByRole('button', { name: 'Discharge…' }).click()
    await page.getByLabel('Reason for discharge').selectOption({ label: 'Moved away' })
    await page.getByLabel(/^Outcome for the open flag/).fill('Moved to his sister in Ohio; handed over to the local team.')
    await page.getByRole('form', { name: 'Discharge' }).getByRole('button', { name: 'Discharge…' }).click()
    const dialog = page.getByRole('dialog')
    await dialog.waitFor()
    const words = await dialog.innerText()
    expect(words).toContain('Discharge Quinn Lifecycle?')
    expect(words).toContain('Reason: Moved away')
    expect(words).toContain('missed two appointments')
    await shot(page, 'client-discharge-confirm-1920.png')
    await dialog.getByRole('button', { name: 'Yes, discharge' }).click()
    await page.getByRole('status').filter({ hasText: 'Quinn Lifecycle is discharged (Moved away).' }).waitFor()
    expect(await get(west.id)).toMatchObject({ status: 'discharged', discharge_reason: 'moved' })
    const open = await dana.call<Schemas['FlagOut'][]>('GET', `/api/teams/${west.id}/flags?open=true`)
    expect(open.filter((f) => f.client_id === clientId)).toEqual([])
  })

  test('the client page actions on a phone (390×844): no sideways scrolling', async () => {
    // Back on Northside: another client, admitted, to show the lead's tools.
    const active = (await dana.call<Schemas['ClientOut'][]>('GET', `/api/teams/${teamId}/clients`)).find((c) => c.status === 'active')!
    const { page: phone } = await newPage(ctx.browser, PHONE, { mobile: true })
    await signIn(phone, ctx.server.base, 'dana.white', `/teams/${teamId}/clients/${active.id}`)
    await phone.getByRole('button', { name: 'Discharge…' }).click()
    await phone.getByLabel('Reason for discharge').waitFor()
    expect(await overflowing(phone)).toEqual([])
    await shot(phone, 'client-actions-390.png', true)
    await expectAccessible(phone, 'client page with the discharge form at 390×844')
    await page.goto(`${ctx.server.base}/teams/${teamId}/clients/${active.id}`)
    await page.getByRole('button', { name: 'Transfer…' }).click()
    await page.getByRole('region', { name: 'Status and care' }).waitFor()
    await shot(page, 'client-actions-1920.png')
    await expectAccessible(page, 'client page with the transfer form at 1920×1080')
  })
})
