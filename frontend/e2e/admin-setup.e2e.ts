// Day one at a new agency (issue 13), entirely through the page on an EMPTY database: the
// first administrator is made with the command line (`actboard user add … --admin
// --password-stdin`), then signs in to the set-up checklist, creates a team, three staff
// accounts, puts them on the team with roles, refers a client, enters the on-call week, makes
// a wall display link, and opens the board with the client on it — the checklist ticking
// itself off. Then a password reset (the old password refused, the temporary one leads to a
// forced change) and a deactivation with the client handed over. Axe on every screen and
// dialog; screenshots at 1920×1080 and 390×844.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { spawnSync } from 'node:child_process'
import type { Browser, Page } from 'playwright-core'
import { BINARY, DESKTOP, PHONE, launch, newPage, overflowing, settle, shot, startServer, waitLive, type Server } from './server'
import { expectAccessible } from './axe'

const ADA = 'harbor admin first words'
const LENA_FIRST = 'lena first harbor words'
const CARL_FIRST = 'carl first harbor words'
const NIA_FIRST = 'nia first harbor words'
const LENA_TEMP = 'temporary words for lena'
const LENA_OWN = 'lena chose these herself'

let server: Server
let browser: Browser
let page: Page
let teamPath = ''

beforeAll(async () => {
  server = await startServer(null)
  browser = await launch()
  // The only step outside the browser: the first administrator, on the command line.
  const r = spawnSync(BINARY, ['--database-url', server.url, 'user', 'add', 'ada', '--display-name', 'Ada Admin', '--admin', '--password-stdin'], { input: `${ADA}\n`, encoding: 'utf8', timeout: 60_000 })
  expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0)
  ;({ page } = await newPage(browser, DESKTOP))
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
}, 30_000)

/** Axe at both sizes, no sideways scroll on the phone, and a screenshot of each. */
async function look(p: Page, name: string) {
  await settle(p)
  await expectAccessible(p, `${name} at 1920×1080`)
  await shot(p, `admin-${name}-1920.png`)
  await p.setViewportSize(PHONE)
  await settle(p)
  await expectAccessible(p, `${name} at 390×844`)
  expect(await overflowing(p), `${name}: wider than the phone`).toEqual([])
  await shot(p, `admin-${name}-390.png`)
  await p.setViewportSize(DESKTOP)
  await settle(p)
}

async function signInAs(p: Page, username: string, password: string) {
  await p.goto(server.base + '/')
  await p.locator('#username').fill(username)
  await p.locator('#password').fill(password)
  await p.getByRole('button', { name: 'Sign in' }).click()
}

/** The value of the option of `select` whose text contains `text`. */
async function optionWith(p: Page, select: string, text: string): Promise<string> {
  const v = await p.locator(`${select} option`, { hasText: text }).first().getAttribute('value')
  if (!v) throw new Error(`no option "${text}" in ${select}`)
  return v
}

const steps = () => page.getByTestId('checklist').locator('li')
const doneSteps = async () => (await steps().evaluateAll((els) => els.map((e) => `${e.getAttribute('data-step')}:${e.getAttribute('data-done')}`)))

describe('an administrator sets up a new agency from an empty database', () => {
  test('the first admin signs in to the set-up checklist, nothing done yet', async () => {
    await signInAs(page, 'ada', ADA)
    await page.waitForURL(`${server.base}/admin`)
    await page.getByRole('heading', { name: 'Setting up: what to do first' }).waitFor()
    expect(await doneSteps()).toEqual(['team:no', 'staff:no', 'members:no', 'clients:no', 'oncall:no', 'display:no'])
    await look(page, 'landing-empty')
  })

  test('creates a team: model, time zone from the list, escalation', async () => {
    await page.getByTestId('checklist').getByRole('link', { name: 'Teams' }).click()
    await page.getByRole('heading', { name: 'Teams', exact: true }).waitFor()
    await page.locator('#nt-name').fill('Harbor ACT')
    await page.locator('#nt-mode').selectOption('act')
    // The list offers every IANA name; a name that is not one is refused in words, before sending.
    expect(await page.locator('#nt-timezone-list option[value="America/Chicago"]').count()).toBe(1)
    await page.locator('#nt-timezone').fill('Mars/Olympus')
    await page.getByRole('button', { name: 'Create team' }).click()
    await page.getByText('"Mars/Olympus" is not a time zone name').waitFor()
    await page.locator('#nt-timezone').fill('America/Chicago')
    await page.locator('#nt-escalate').fill('15')
    await look(page, 'teams')
    await page.getByRole('button', { name: 'Create team' }).click()
    await page.waitForURL(/\/admin\/teams\/[0-9a-f-]{36}$/)
    teamPath = new URL(page.url()).pathname.replace('/admin', '')
    await page.getByRole('heading', { name: 'Harbor ACT' }).waitFor()
    expect(await page.locator('#set-timezone').inputValue()).toBe('America/Chicago')
    expect(await page.locator('#set-escalate').inputValue()).toBe('15')
  })

  test('creates three staff accounts, with the password rule shown', async () => {
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Staff' }).click()
    await page.getByRole('heading', { name: 'New staff account' }).waitFor()
    await page.getByText('12 to 256 characters, not a common password').first().waitFor()
    const people = [
      { name: 'Lena Lead', user: 'lena', discipline: 'team_lead', pw: LENA_FIRST, temporary: false },
      { name: 'Carl Case', user: 'carl', discipline: 'case_manager', pw: CARL_FIRST, temporary: true },
      { name: 'Nia Nurse', user: 'nia', discipline: 'nurse', pw: NIA_FIRST, temporary: true },
    ]
    for (const s of people) {
      await page.locator('#ns-display_name').fill(s.name)
      await page.locator('#ns-username').fill(s.user)
      await page.locator('#ns-discipline').selectOption(s.discipline)
      await page.locator('#ns-password').fill(s.pw)
      await page.getByLabel('They choose their own password when they first sign in').setChecked(s.temporary)
      await page.getByRole('button', { name: 'Create account' }).click()
      await page.getByText(`${s.name} can now sign in as ${s.user}`).waitFor()
    }
    for (const s of people) await page.getByRole('link', { name: `Manage ${s.name}` }).waitFor()
    // A password the rule refuses: the reason in words, the form kept.
    await page.locator('#ns-display_name').fill('Weak Password')
    await page.locator('#ns-username').fill('weak')
    await page.locator('#ns-password').fill('password1234')
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.getByRole('alert').filter({ hasText: /password/i }).waitFor()
    expect(await page.locator('#ns-username').inputValue()).toBe('weak')
    await look(page, 'staff')
    await page.locator('#ns-display_name').fill('')
    await page.locator('#ns-username').fill('')
    await page.locator('#ns-password').fill('')
  })

  test('puts them on the team with roles, and changes a role', async () => {
    await page.goto(`${server.base}/admin${teamPath}`)
    await page.getByRole('heading', { name: 'Members and roles' }).waitFor()
    for (const [name, role] of [['Lena Lead', 'lead'], ['Carl Case', 'member'], ['Nia Nurse', 'member']]) {
      await page.locator('#add-who').selectOption(await optionWith(page, '#add-who', name))
      await page.locator('#add-role').selectOption(role)
      await page.getByRole('button', { name: 'Add to team' }).click()
      await page.getByText(`${name} is on Harbor ACT as ${role}.`).waitFor()
    }
    await page.getByLabel('Role of Nia Nurse').selectOption('viewer')
    await page.getByText('Nia Nurse is now viewer.').waitFor()
    await page.getByLabel('Role of Nia Nurse').selectOption('member')
    await page.getByText('Nia Nurse is now member.').waitFor()
    await look(page, 'team')
  })

  test('refers a client from the planner', async () => {
    await page.getByRole('link', { name: 'Planner (new referral)' }).click()
    await page.getByRole('button', { name: 'New referral…' }).click()
    await page.locator('#ref-given_name').fill('Rosa')
    await page.locator('#ref-source').fill('Harbor Street shelter outreach')
    await page.locator('#ref-family_name').fill('Delgado')
    await page.locator('#ref-case_manager_id').selectOption(await optionWith(page, '#ref-case_manager_id', 'Carl'))
    await page.getByRole('button', { name: 'Refer' }).click()
    await page.getByText('Rosa Delgado is referred.').waitFor()
  })

  test('enters the on-call week and applies it', async () => {
    await page.getByRole('navigation', { name: 'Team' }).getByRole('link', { name: 'Rota' }).click()
    await page.getByRole('button', { name: '+ Add row' }).click()
    await page.getByLabel('Day, row 1', { exact: true }).selectOption('1')
    await page.getByLabel('Start, row 1', { exact: true }).fill('17:00')
    await page.getByLabel('End, row 1', { exact: true }).fill('09:00')
    const person = page.getByLabel('Person, row 1', { exact: true })
    await person.selectOption(await person.locator('option', { hasText: 'Carl' }).first().getAttribute('value') ?? '')
    await page.getByRole('button', { name: 'Save pattern' }).click()
    await page.getByText('Saved: 1 slot a week.').waitFor()
    await page.getByRole('button', { name: /^Apply to the next/ }).click()
    await expect.poll(() => page.getByTestId('apply-result').textContent()).toMatch(/shifts? created/)
  })

  test('makes a wall display link; the wall shows the client', async () => {
    await page.getByRole('navigation', { name: 'Team' }).getByRole('link', { name: 'Settings' }).click()
    await page.locator('#dt-label').fill('Harbor team room')
    await page.locator('#dt-privacy').selectOption('initials')
    await page.getByRole('button', { name: 'Create display link' }).click()
    const dialog = page.getByRole('dialog', { name: /Display link for “Harbor team room”/ })
    await dialog.waitFor()
    const link = await dialog.getByTestId('display-link').inputValue()
    await dialog.getByRole('button', { name: 'Done' }).click()
    const wall = await newPage(browser, DESKTOP)
    await wall.page.goto(link)
    await waitLive(wall.page)
    await expect.poll(() => wall.page.getByTestId('client-row').count()).toBe(1)
    await wall.context.close()
  })

  test('opens the team board and sees the client; every step is ticked', async () => {
    await page.getByRole('navigation', { name: 'Team' }).getByRole('link', { name: 'Board' }).click()
    await waitLive(page)
    await page.getByTestId('client-row').filter({ hasText: 'Delgado' }).waitFor()
    await page.getByRole('navigation', { name: 'Team' }).getByRole('link', { name: 'Admin' }).click()
    await page.getByRole('heading', { name: 'Set up: every step is done' }).waitFor()
    expect(await doneSteps()).toEqual(['team:yes', 'staff:yes', 'members:yes', 'clients:yes', 'oncall:yes', 'display:yes'])
    await look(page, 'landing-done')
  })

  test('resets a password: the old one is refused, the temporary one leads to a forced change', async () => {
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Staff' }).click()
    await page.getByRole('link', { name: 'Manage Lena Lead' }).click()
    await page.locator('#reset-pw').fill(LENA_TEMP)
    await look(page, 'staff-member')
    await page.getByRole('button', { name: 'Reset password' }).click()
    await page.getByText("Lena Lead's password is reset.").waitFor()
    await page.getByText('Temporary password', { exact: true }).first().waitFor()

    const lena = await newPage(browser, DESKTOP)
    await signInAs(lena.page, 'lena', LENA_FIRST)
    await lena.page.getByText('Invalid username or password').waitFor()
    await signInAs(lena.page, 'lena', LENA_TEMP)
    await lena.page.getByRole('heading', { name: 'Choose your own password' }).waitFor()
    // Nothing else opens meanwhile: the board's address shows the same screen.
    await lena.page.goto(`${server.base}${teamPath}/board`)
    await lena.page.getByRole('heading', { name: 'Choose your own password' }).waitFor()
    await look(lena.page, 'forced-password')
    await lena.page.locator('#pw-current').fill(LENA_TEMP)
    await lena.page.locator('#pw-new').fill(LENA_OWN)
    await lena.page.locator('#pw-again').fill(LENA_OWN)
    await lena.page.getByRole('button', { name: 'Save new password' }).click()
    await lena.page.waitForURL(`${server.base}${teamPath}/board`)
    await waitLive(lena.page)
    await lena.page.getByTestId('client-row').filter({ hasText: 'Delgado' }).waitFor()
    // Her own password screen, from the nav (any staff member).
    await lena.page.getByRole('navigation', { name: 'Team' }).getByRole('link', { name: 'My password' }).click()
    await lena.page.getByRole('heading', { name: 'Change your password' }).waitFor()
    await look(lena.page, 'my-password')
    await lena.context.close()
  })

  test('a new account\'s first password is temporary too; on the phone, "My password" is in the header', async () => {
    const nia = await newPage(browser, PHONE, { mobile: true })
    await signInAs(nia.page, 'nia', NIA_FIRST)
    await nia.page.getByRole('heading', { name: 'Choose your own password' }).waitFor()
    await nia.page.locator('#pw-current').fill(NIA_FIRST)
    await nia.page.locator('#pw-new').fill('nia picked her own words')
    await nia.page.locator('#pw-again').fill('nia picked her own words')
    await nia.page.getByRole('button', { name: 'Save new password' }).click()
    await nia.page.waitForURL(`${server.base}${teamPath}/oncall`)
    await nia.page.getByRole('button', { name: 'My password' }).click()
    await nia.page.getByRole('heading', { name: 'Change your password' }).waitFor()
    expect(await overflowing(nia.page)).toEqual([])
    await nia.context.close()
  })

  test('deactivates someone who carries a client: the client is handed over first', async () => {
    await page.getByRole('link', { name: '← All staff' }).click()
    await page.getByRole('link', { name: 'Manage Carl Case' }).click()
    await page.getByRole('button', { name: 'Deactivate Carl Case…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Deactivate Carl Case' })
    await dialog.waitFor()
    const line = dialog.getByLabel(/Rosa Delgado/)
    await line.selectOption(await line.locator('option', { hasText: 'Lena' }).first().getAttribute('value') ?? '')
    await look(page, 'handover-dialog')
    await dialog.getByRole('button', { name: 'Hand over and deactivate' }).click()
    await page.getByText('Carl Case is deactivated and signed out everywhere.').waitFor()
    await page.getByText('Inactive', { exact: true }).first().waitFor()
    // And back: reactivated after a confirmation, Carl signs in again.
    await page.getByRole('button', { name: 'Reactivate Carl Case' }).click()
    await page.getByRole('dialog', { name: 'Reactivate Carl Case?' }).getByRole('button', { name: 'Reactivate' }).click()
    await page.getByText('Carl Case can sign in again.').waitFor()
    await page.getByRole('button', { name: 'Deactivate Carl Case…' }).waitFor()
    // Checked through the API: Rosa's case manager is Lena now.
    const login = await fetch(`${server.base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'ada', password: ADA }) })
    const token = ((await login.json()) as { access_token: string }).access_token
    const get = async (path: string) => (await fetch(server.base + path, { headers: { authorization: `Bearer ${token}` } })).json()
    const staff = (await get('/api/staff')) as { id: string; username: string }[]
    const clients = (await get(`/api${teamPath}/clients`)) as { family_name: string; case_manager_id: string | null }[]
    expect(clients.find((c) => c.family_name === 'Delgado')?.case_manager_id).toBe(staff.find((s) => s.username === 'lena')?.id)
  })
})

describe('removing a carrier from an ICM team: a hand-over within the cap', () => {
  test('each client gets a new case manager; a full person is shown 15 / 15 and not offered', async () => {
    // The set-up (not under test) through the API, as the administrator.
    const login = await fetch(`${server.base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'ada', password: ADA }) })
    const token = ((await login.json()) as { access_token: string }).access_token
    const call = async (method: string, path: string, body?: unknown) => {
      const r = await fetch(server.base + path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
      const text = await r.text()
      if (r.status >= 400) throw new Error(`${method} ${path}: ${r.status} ${text}`)
      return text ? JSON.parse(text) : null
    }
    const team = await call('POST', '/api/teams', { name: 'Harbor ICM', mode: 'icm', timezone: 'America/Chicago' })
    const person = async (user: string, name: string, role: string) => {
      const s = await call('POST', '/api/staff', { username: user, display_name: name, discipline: 'case_manager', password: `${user} long enough words` })
      await call('PUT', `/api/teams/${team.id}/members/${s.id}`, { role })
      return s.id as string
    }
    await person('icm.lead', 'Ida Lead', 'lead')
    const leaver = await person('icm.leaver', 'Leo Leaving', 'member')
    const full = await person('icm.full', 'Fran Full', 'member')
    await person('icm.room', 'Rob Room', 'member')
    const admit = (family: string, cm: string) => call('POST', `/api/teams/${team.id}/clients`, { given_name: 'Pat', family_name: family, status: 'active', case_manager_id: cm })
    for (let i = 0; i < 15; i++) await admit(`Full${i}`, full)
    await admit('Moving', leaver)
    await admit('Going', leaver)

    // Through the page: remove Leo from the team.
    await page.goto(`${server.base}/admin/teams/${team.id}`)
    await page.getByRole('button', { name: 'Remove Leo Leaving from Harbor ICM' }).click()
    await page.getByRole('dialog', { name: 'Remove Leo Leaving from Harbor ICM?' }).getByRole('button', { name: 'Remove' }).click()
    const dialog = page.getByRole('dialog', { name: "Hand over Leo Leaving's clients" })
    await dialog.waitFor()
    const line = dialog.getByLabel(/Pat Moving/)
    const fran = line.locator('option', { hasText: 'Fran Full' })
    expect(await fran.textContent()).toContain('15 / 15 — full')
    expect(await fran.isDisabled()).toBe(true)
    // Confirming with a client left unplaced is explained, and nothing is sent.
    await dialog.getByRole('button', { name: 'Hand over and remove' }).click()
    await dialog.getByText('Choose a new case manager for every client (2 left).').waitFor()
    const rob = await dialog.locator(`select[id^="all-"] option`, { hasText: 'Rob Room' }).getAttribute('value')
    await dialog.locator('select[id^="all-"]').selectOption(rob!)
    expect(await line.inputValue()).toBe(rob)
    expect(await dialog.getByLabel(/Pat Going/).inputValue()).toBe(rob)
    await look(page, 'handover-icm-dialog')
    await dialog.getByRole('button', { name: 'Hand over and remove' }).click()
    await page.getByText("Leo Leaving's clients are handed over and they are no longer on Harbor ICM.").waitFor()
    await expect.poll(() => page.getByRole('button', { name: 'Remove Leo Leaving from Harbor ICM' }).count()).toBe(0)
    const clients = (await call('GET', `/api/teams/${team.id}/clients`)) as { family_name: string; case_manager_id: string }[]
    expect(clients.filter((c) => ['Moving', 'Going'].includes(c.family_name)).map((c) => c.case_manager_id)).toEqual([rob, rob])
  })
})
