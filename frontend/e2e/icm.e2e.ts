// The ICM caseload cap in the planner: the lead of Northside ICM assigns clients waiting
// for a case manager; a full caseload is refused in words, a free one takes the client.
import { beforeAll, describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { Api, DESKTOP, e2eSuite, newPage, signIn, waitLive, type Schemas } from './server'

const ctx = e2eSuite()

describe('ICM planner caseloads', () => {
  let dana: Api
  let teamId: string
  let page: Page
  let waiting: { id: string; name: string }[]

  const caseload = (who: string) => page.getByTestId('caseload').filter({ hasText: who })
  const alert = () => page.getByRole('alert').filter({ hasText: /\S/ })
  const staffId = async (name: string) =>
    (await dana.call<Schemas['MemberOut'][]>('GET', `/api/teams/${teamId}/members`)).find((m) => m.display_name === name)!.staff_id
  async function patchClient(id: string, body: Omit<Schemas['ClientPatch'], 'version'>) {
    const c = await dana.call<Schemas['ClientOut']>('GET', `/api/teams/${teamId}/clients/${id}`)
    await dana.call('PATCH', `/api/teams/${teamId}/clients/${id}`, { version: c.version, ...body } satisfies Schemas['ClientPatch'])
  }

  beforeAll(async () => {
    dana = await Api.login(ctx.server.base, 'dana.white')
    teamId = dana.team('Northside ICM').team_id
    const clients = await dana.call<Schemas['ClientOut'][]>('GET', `/api/teams/${teamId}/clients`)
    waiting = clients.filter((c) => !c.case_manager_id && c.status !== 'discharged').map((c) => ({ id: c.id, name: `${c.preferred_name ?? c.given_name} ${c.family_name}` }))
    expect(waiting).toHaveLength(3)

    page = (await newPage(ctx.browser, DESKTOP)).page
    await signIn(page, ctx.server.base, 'dana.white')
    await page.goto(`${ctx.server.base}/teams/${teamId}/planner`)
    await waitLive(page)
    await page.getByTestId('caseload').first().waitFor()
  })

  test('the caseloads read "15 / 15" for Chris Adams and "9 / 15" for Kelly Ward; 3 clients wait', async () => {
    expect(await caseload('Chris Adams').innerText()).toMatch(/15 \/ 15/)
    expect(await caseload('Pat Nguyen').innerText()).toMatch(/13 \/ 15/)
    expect(await caseload('Kelly Ward').innerText()).toMatch(/9 \/ 15/)
    expect(await page.getByText('Waiting for a case manager (3)').count()).toBe(1)
    for (const w of waiting) expect(await page.getByLabel(`Case manager for ${w.name}`).count()).toBe(1)
  })

  test('assigning a waiting client to Chris Adams (full) is refused in words naming him and the cap', async () => {
    const w = waiting[0]
    const select = page.getByLabel(`Case manager for ${w.name}`)
    await select.selectOption({ label: 'Chris Adams (15 / 15)' })
    await select.locator('xpath=ancestor::form').getByRole('button', { name: /^(Admit|Assign)$/ }).click()
    // Either the refusal shows, or the client leaves the waiting list (it was assigned).
    const settled = async () => (await alert().count()) > 0 || (await page.getByLabel(`Case manager for ${w.name}`).count()) === 0
    await expect.poll(settled, { timeout: 5_000 }).toBe(true)
    const assigned = (await dana.call<Schemas['ClientOut']>('GET', `/api/teams/${teamId}/clients/${w.id}`)).case_manager_id
    expect(assigned, `the planner assigned ${w.name} to Chris Adams (15 / 15) without a word`).toBeNull()
    const text = (await alert().allInnerTexts()).join(' ')
    console.log(`cap message: ${text}`)
    expect(text).toContain('15')
    expect(text).toContain('Chris Adams')
    expect(text).not.toMatch(/\b409\b/)
    // Nothing changed.
    expect(await caseload('Chris Adams').innerText()).toMatch(/15 \/ 15/)
    expect((await dana.call<Schemas['ClientOut']>('GET', `/api/teams/${teamId}/clients/${w.id}`)).case_manager_id).toBeNull()
    // What was chosen is kept, so the lead can pick someone else.
    expect(await page.getByLabel(`Case manager for ${w.name}`).count()).toBe(1)
  })

  test('assigning a waiting client to Kelly Ward works: her caseload reads "10 / 15"', async () => {
    const w = waiting[1]
    const select = page.getByLabel(`Case manager for ${w.name}`)
    await select.selectOption({ label: 'Kelly Ward (9 / 15)' })
    await select.locator('xpath=ancestor::form').getByRole('button', { name: /^(Admit|Assign)$/ }).click()
    // The client no longer waits.
    await expect.poll(() => page.getByLabel(`Case manager for ${w.name}`).count(), { timeout: 5_000 }).toBe(0)
    const kelly = await staffId('Kelly Ward')
    expect((await dana.call<Schemas['ClientOut']>('GET', `/api/teams/${teamId}/clients/${w.id}`)).case_manager_id).toBe(kelly)
    expect((await alert().allInnerTexts()).join(' ')).not.toContain('Kelly Ward')
    await expect.poll(() => caseload('Kelly Ward').innerText(), { timeout: 5_000, message: `${w.name} was admitted to Kelly Ward, but her caseload did not count it` }).toMatch(/10 \/ 15/)
  })

  // Where the server does enforce the cap today: admitting (screening → active) a client whose
  // case manager is full. The lead does it on the client page.
  test('admitting a client of Chris Adams (15 / 15) on the client page is refused in words naming him and the cap', async () => {
    const w = waiting[2]
    await dana.call('PUT', `/api/teams/${teamId}/clients/${w.id}/case-manager`, { staff_id: await staffId('Chris Adams') })
    await patchClient(w.id, { status: 'screening' })
    await page.goto(`${ctx.server.base}/teams/${teamId}/clients/${w.id}`)
    await page.getByRole('button', { name: 'Move to active' }).click()
    await expect.poll(() => alert().allInnerTexts(), { timeout: 5_000 }).not.toEqual([])
    const text = (await alert().allInnerTexts()).join(' ')
    console.log(`admission cap message: ${text}`)
    expect(text).toContain('15')
    expect(text).toContain('Chris Adams')
    expect((await dana.call<Schemas['ClientOut']>('GET', `/api/teams/${teamId}/clients/${w.id}`)).status).toBe('screening')
  })
})
