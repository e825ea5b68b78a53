// CSV import (issue 13) through the page: a lead opens the import from team settings, uploads
// a file with errors and reads them in words (errors first), uploads the corrected file,
// imports it, and the clients appear on a live board without a reload; the same file again
// is all unchanged. An administrator imports staff (new accounts have no password). Both
// screens at 1920×1080 and 390×844, checked with axe.
import { beforeAll, describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { expectAccessible } from './axe'
import { Api, DESKTOP, PHONE, e2eSuite, newPage, overflowing, shot, signIn, smallTargets, waitLive, type Schemas } from './server'

const ctx = e2eSuite()

const HEADER = 'external_id,given_name,family_name,preferred_name,status,case_manager_username,risk_tier\n'
const WITH_ERRORS =
  HEADER +
  'E2E-1,Nadia,Importova,,active,jordan.blake,high\n' +
  'E2E-2,Omar,Importado,,referred,,\n' +
  'E2E-3,Pia,Importer,,discharged,,\n' +
  'E2E-4,Quinn,Importwell,,active,nobody.here,\n'
const FIXED =
  HEADER +
  'E2E-1,Nadia,Importova,,active,jordan.blake,high\n' +
  'E2E-2,Omar,Importado,,referred,,\n' +
  'E2E-3,Pia,Importer,,referred,,\n' +
  'E2E-4,Quinn,Importwell,,active,alex.kim,\n'

const csv = (name: string, text: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) })

async function choose(page: Page, name: string, text: string) {
  await page.locator('#import-file').setInputFiles(csv(name, text))
  await page.getByRole('heading', { name: '2. Check the rows' }).waitFor()
}

describe('CSV import', () => {
  let maria: Api
  let teamId: string

  beforeAll(async () => {
    maria = await Api.login(ctx.server.base, 'maria.lopez')
    teamId = maria.team('Riverside ACT').team_id
  })

  test('a lead sees the errors in words, fixes the file, imports it, and the board shows the clients; again: all unchanged', async () => {
    const { page } = await newPage(ctx.browser, DESKTOP)
    // A live board in another tab: it reads the clients again on the import's event.
    const board = await newPage(ctx.browser, DESKTOP)
    await signIn(board.page, ctx.server.base, 'maria.lopez', `/teams/${teamId}/board`)
    await waitLive(board.page)
    await expect.poll(() => board.page.getByTestId('client-row').count(), { timeout: 15_000 }).toBe(100)

    await signIn(page, ctx.server.base, 'maria.lopez', `/teams/${teamId}/settings`)
    await page.getByRole('link', { name: 'Import clients from a CSV file' }).click()
    await page.getByRole('heading', { name: /^Import clients/ }).waitFor()
    expect(new URL(page.url()).pathname).toBe(`/teams/${teamId}/import`)

    await choose(page, 'caseload.csv', WITH_ERRORS)
    const status = page.getByRole('status').filter({ hasText: 'rows:' })
    await expect.poll(() => status.textContent()).toContain('4 rows: 2 new, 0 to update, 0 unchanged, 2 with errors')
    // Errors first, in words.
    const rows = page.locator('table.import-rows tbody tr')
    expect(await rows.count()).toBe(4)
    expect(await rows.nth(0).textContent()).toContain('E2E-3')
    expect(await rows.nth(0).textContent()).toContain("'discharged' is not a status an imported client can start in")
    expect(await rows.nth(1).textContent()).toContain("no staff member has the username 'nobody.here'")
    expect(await rows.nth(2).textContent()).toContain('+ New')
    expect(await page.getByRole('button', { name: /^Import \d+ rows?$/ }).count()).toBe(0)
    await page.getByRole('button', { name: 'Choose the corrected file' }).waitFor()
    await expectAccessible(page, 'import preview with errors (1920)')
    await shot(page, 'import-errors-1920.png')
    // Nothing was stored by the preview (the demo's 100 on the roster and 2 discharged; its
    // declined referral is a client of the team too, not on the roster).
    expect((await maria.call<Schemas['ClientOut'][]>('GET', `/api/teams/${teamId}/clients`)).filter((c) => c.status !== 'declined').length).toBe(102)

    await choose(page, 'caseload.csv', FIXED)
    await expect.poll(() => status.textContent()).toContain('4 rows: 4 new, 0 to update, 0 unchanged.')
    await page.getByRole('button', { name: 'Import 4 rows' }).click()
    await page.getByRole('heading', { name: 'Imported' }).waitFor()
    expect(await page.getByRole('status').filter({ hasText: 'Imported caseload.csv' }).textContent()).toContain('4 created, 0 updated, 0 unchanged')
    await expectAccessible(page, 'import result (1920)')
    await shot(page, 'import-done-1920.png')

    // The other tab's live board shows them without a reload.
    await expect.poll(() => board.page.getByTestId('client-row').count(), { timeout: 15_000 }).toBe(104)
    expect(await board.page.getByTestId('client-row').filter({ hasText: 'Importova' }).count()).toBe(1)
    await board.context.close()

    await page.getByRole('link', { name: 'Open the board' }).click()
    await waitLive(page)
    await expect.poll(() => page.getByTestId('client-row').filter({ hasText: 'Importwell' }).count(), { timeout: 15_000 }).toBe(1)

    // The same file again: every row unchanged, nothing to import.
    await page.goto(`${ctx.server.base}/teams/${teamId}/import`)
    await choose(page, 'caseload.csv', FIXED)
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'rows:' }).textContent()).toContain('4 rows: 0 new, 0 to update, 4 unchanged.')
    expect(await page.getByRole('button', { name: 'Nothing to import' }).isDisabled()).toBe(true)
    await page.context().close()
  })

  test('on a phone: readable without horizontal scrolling, and accessible', async () => {
    const { page, context } = await newPage(ctx.browser, PHONE, { mobile: true })
    await signIn(page, ctx.server.base, 'maria.lopez', `/teams/${teamId}/import`)
    await page.getByRole('heading', { name: /^Import clients/ }).waitFor()
    await choose(page, 'phone.csv', WITH_ERRORS.replace(/E2E-/g, 'PH-'))
    expect(await overflowing(page)).toEqual([])
    expect(await smallTargets(page)).toEqual([])
    await expectAccessible(page, 'import preview (390)')
    await shot(page, 'import-errors-390.png', true)
    await context.close()
  })

  test('an administrator imports staff: the report says the new accounts cannot sign in yet', async () => {
    for (const viewport of [DESKTOP, PHONE]) {
      const { page, context } = await newPage(ctx.browser, viewport, { mobile: viewport === PHONE })
      await signIn(page, ctx.server.base, 'admin', '/')
      // An administrator on no team lands on /admin; its navigation leads to the import.
      await page.getByRole('link', { name: 'Import', exact: true }).click()
      await page.getByRole('heading', { name: 'Import staff' }).waitFor()
      const n = viewport === PHONE ? 'p' : 'd'
      await choose(page, 'staff.csv', `username,display_name,discipline,team,role\nnew.nurse.${n},New Nurse,nurse,Riverside ACT,member\n`)
      await page.getByText('cannot sign in until an administrator sets one').first().waitFor()
      await page.getByRole('button', { name: 'Import 1 row' }).click()
      await page.getByRole('heading', { name: 'Imported' }).waitFor()
      expect(await overflowing(page)).toEqual([])
      await expectAccessible(page, `staff import result (${viewport.width})`)
      await shot(page, `import-staff-${viewport.width}.png`, viewport === PHONE)
      await context.close()
    }
    const members = await maria.call<{ username: string; role: string }[]>('GET', `/api/teams/${teamId}/members`)
    expect(members.filter((m) => m.username.startsWith('new.nurse.')).map((m) => m.role)).toEqual(['member', 'member'])
  })
})
