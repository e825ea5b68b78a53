// The audit trail (issue 13): a lead opens a client's page; the administrator then finds that
// view on /admin/audit by picking the client by name and the lead as staff, sorts by time,
// exports the search as CSV (a real download, itself recorded) and verifies the hash chain —
// all through the page. Checked at 1920×1080 and 390×844, with axe on both.
import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { expectAccessible } from './axe'
import { Api, DESKTOP, PHONE, e2eSuite, newPage, overflowing, shot, signIn, smallTargets, type Schemas } from './server'

const ctx = e2eSuite()

describe('audit trail', () => {
  let admin: Api
  let client: Schemas['ClientOut']
  let label: string
  let page: Page

  beforeAll(async () => {
    const maria = await Api.login(ctx.server.base, 'maria.lopez')
    const team = maria.team('Riverside ACT')
    const clients = await maria.call<Schemas['ClientOut'][]>('GET', `/api/teams/${team.team_id}/clients`)
    client = clients[7]
    label = `${client.given_name} ${client.family_name} (Riverside ACT)`
    // Maria opens the client's page in her browser: a view of the record.
    const lead = await newPage(ctx.browser, DESKTOP)
    await signIn(lead.page, ctx.server.base, 'maria.lopez', `/teams/${team.team_id}/clients/${client.id}`)
    await lead.page.getByRole('heading', { name: new RegExp(client.family_name) }).first().waitFor()
    await lead.context.close()

    admin = await Api.login(ctx.server.base, 'admin')
    ;({ page } = await newPage(ctx.browser, DESKTOP))
    await signIn(page, ctx.server.base, 'admin', '/')
  })

  test('the administration page links an administrator to the audit trail', async () => {
    // An administrator on no team lands on /admin, whose navigation names the audit trail.
    await page.getByRole('link', { name: 'Audit trail', exact: true }).click()
    await page.getByRole('heading', { name: 'Audit trail' }).waitFor()
    expect(new URL(page.url()).pathname).toBe('/admin/audit')
    // Newest first from the start: the admin's own sign-in is among the first rows.
    await expect.poll(() => page.locator('.audit-table tbody tr').count()).toBeGreaterThan(10)
  })

  test('searching by client and staff finds the lead opening the record', async () => {
    await page.locator('#audit-client').fill(label)
    await page.locator('#audit-staff').selectOption({ label: 'Maria Lopez (maria.lopez)' })
    await page.getByRole('button', { name: 'Search' }).click()
    const rows = page.locator('.audit-table tbody tr')
    // Every row is about this client and by Maria (polled: the unfiltered table is on screen
    // until the search answers).
    const onlyHers = async () => {
      const all = await rows.allInnerTexts()
      return all.length > 0 && all.every((t) => t.includes('Maria Lopez') && t.includes(`${client.given_name} ${client.family_name}`))
    }
    await expect.poll(onlyHers).toBe(true)
    await expect.poll(() => rows.filter({ hasText: 'record' }).count()).toBeGreaterThanOrEqual(1)
    const texts = await rows.allInnerTexts()
    expect(texts.length).toBeGreaterThan(0)
    for (const t of texts) {
      expect(t).toContain('Maria Lopez')
      expect(t).toContain(`${client.given_name} ${client.family_name}`)
    }
    const view = rows.filter({ hasText: 'record' }).first()
    await expect.poll(() => view.innerText()).toContain('Viewed')
    await expectAccessible(page, 'audit trail, searched (1920)')
    await shot(page, 'audit-search-1920.png')

    // Sorted by time: the header toggles oldest first and back.
    const header = page.getByRole('columnheader', { name: /Time/ })
    expect(await header.getAttribute('aria-sort')).toBe('descending')
    await header.getByRole('button').click()
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('ascending')
    await expect.poll(() => rows.count()).toBe(texts.length)
    const asc = await rows.allInnerTexts()
    expect(asc).toEqual([...texts].reverse())
    await header.getByRole('button').click()
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('descending')
  })

  test('Export CSV downloads the search, and the export is recorded', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ])
    expect(download.suggestedFilename()).toMatch(/^audit-\d{8}T\d{6}Z\.csv$/)
    const text = readFileSync((await download.path())!, 'utf8')
    const lines = text.trim().split('\n')
    expect(lines[0]).toBe('at,action,staff_id,staff_name,team_id,client_id,client_name,detail,id,seq,hash')
    expect(lines.length).toBeGreaterThan(1)
    for (const l of lines.slice(1)) expect(l).toContain(client.id)
    expect(text).toContain(',view,')
    await page.getByText(/^Downloaded audit-.*\.csv\. The export is recorded/).waitFor()
    const exports = await admin.call<Schemas['AuditPage']>('GET', `/api/audit?action=export&client_id=${client.id}`)
    expect(exports.entries.length).toBe(1)
    expect(exports.entries[0].staff_name).toBe(admin.me.user.display_name)
  })

  test('Verify chain says the chain is intact', async () => {
    await page.getByRole('button', { name: 'Verify chain' }).click()
    const ok = page.getByText(/Chain intact:/)
    await ok.waitFor()
    const words = await page.locator('.verify').innerText()
    expect(words).toMatch(/\d+ entries, every hash matches/)
    // The demo's hundreds of changes are in the chain.
    expect(Number(/(\d+) entries/.exec(words)![1])).toBeGreaterThan(100)
    await expectAccessible(page, 'audit trail, verified (1920)')
    await shot(page, 'audit-verified-1920.png')
  })

  test('on a phone: readable, no sideways scrolling, thumb-sized controls', async () => {
    const phone = await newPage(ctx.browser, PHONE, { mobile: true })
    await signIn(phone.page, ctx.server.base, 'admin', '/admin/audit')
    await phone.page.getByRole('heading', { name: 'Audit trail' }).waitFor()
    await phone.page.locator('#audit-client').fill(label)
    await phone.page.getByRole('button', { name: 'Search' }).click()
    await expect.poll(() => phone.page.locator('.audit-table tbody tr').filter({ hasText: 'record' }).count()).toBeGreaterThanOrEqual(1)
    await phone.page.getByRole('button', { name: 'Verify chain' }).click()
    await phone.page.getByText(/Chain intact:/).waitFor()
    expect(await overflowing(phone.page)).toEqual([])
    expect(await smallTargets(phone.page)).toEqual([])
    await expectAccessible(phone.page, 'audit trail (390)')
    await shot(phone.page, 'audit-390.png')
    // The rows as cards: each field labelled, readable without zoom.
    await phone.page.locator('.audit-table tbody tr').first().scrollIntoViewIfNeeded()
    await shot(phone.page, 'audit-390-rows.png')
    await phone.context.close()
  })

  test('a member is told the trail is for administrators', async () => {
    const m = await newPage(ctx.browser, DESKTOP)
    await signIn(m.page, ctx.server.base, 'sam.okafor', '/admin/audit')
    await m.page.getByText('Only an administrator can read the audit trail.').waitFor()
    await m.context.close()
  })
})
