// End-to-end helpers: a real actboard server on the demo data, a headless Chromium, and a
// few API shortcuts for setting things up and checking what the browser did.
//
// The demo is loaded once per run into a template database (global setup); every test file
// copies it into its own temp dir and starts its own `actboard serve` on a free port, so
// files never see each other's flags, contacts or assignments.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll, inject } from 'vitest'
import type { TestProject } from 'vitest/node'
import type { components } from '../src/lib/api-types'

declare module 'vitest' {
  interface ProvidedContext {
    demoTemplate: string
  }
}

const here = dirname(fileURLToPath(import.meta.url))
export const FRONTEND = resolve(here, '..')
export const REPO = resolve(FRONTEND, '..')
export const BINARY = process.env.ACTBOARD_BIN ?? join(REPO, 'target/debug/actboard')
export const DIST = join(FRONTEND, 'dist')
// A test run writes its screenshots and timings under target/e2e, so `make test` leaves the
// checkout clean; `make docs-e2e` (ACTBOARD_UPDATE_DOCS=1) refreshes the copies in docs/.
export const OUT = process.env.ACTBOARD_UPDATE_DOCS === '1' ? join(REPO, 'docs') : join(REPO, 'target/e2e')
export const SCREENSHOTS = join(OUT, 'screenshots')
export const PASSWORD = 'actboard-demo'

export const DESKTOP = { width: 1920, height: 1080 }
export const PHONE = { width: 390, height: 844 }

// ---------------------------------------------------------------------------------------
// The demo database
// ---------------------------------------------------------------------------------------

/** Check the debug binary and the built web app are there (the suite does not build them). */
export function checkBuilt() {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run \`cargo build\` in ${REPO} first`)
  if (!existsSync(join(DIST, 'index.html'))) throw new Error(`${DIST}/index.html is missing: run \`npm run build\` in ${FRONTEND} first`)
}

/** Load the demo into a fresh database in a new temp dir; returns the dir. */
export function loadDemo(): string {
  checkBuilt()
  const dir = mkdtempSync(join(tmpdir(), 'actboard-e2e-template-'))
  const r = spawnSync(BINARY, ['--database-url', `sqlite://${join(dir, 'e2e.db')}`, 'demo'], { encoding: 'utf8', timeout: 120_000 })
  if (r.status !== 0) throw new Error(`actboard demo failed (${r.status}): ${r.stderr}\n${r.stdout}`)
  return dir
}

/** Vitest global setup (vitest.e2e.config.ts): load the demo once for the whole run. */
export function setup(project: TestProject) {
  const dir = loadDemo()
  project.provide('demoTemplate', dir)
  return () => { if (!process.env.E2E_KEEP) rmSync(dir, { recursive: true, force: true }) }
}

/** What a test file may change about its server: extra environment (e.g. shorter clocks). */
export interface ServerOptions {
  env?: Record<string, string>
}

/** Per test file: a server of its own on a copy of the demo, and a browser. */
export function e2eSuite(opts: ServerOptions = {}): { server: Server; browser: Browser } {
  const s = {} as { server: Server; browser: Browser }
  beforeAll(async () => {
    s.server = await startServer(inject('demoTemplate'), opts)
    s.browser = await launch()
  }, 60_000)
  afterAll(async () => {
    await s.browser?.close()
    await s.server?.stop()
  }, 30_000)
  return s
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer()
    s.once('error', fail)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => ok(port))
    })
  })
}

export interface Server {
  base: string
  dir: string
  /** The database URL (for the command line, e.g. `actboard user add`). */
  url: string
  proc: ChildProcess
  log: () => string
  /** Stop the server process, keeping its database (see `restart`). */
  kill: () => Promise<void>
  /** Start it again on the same port and database; resolves when /readyz answers 200. */
  restart: () => Promise<void>
  /** Stop it and remove its temp dir. */
  stop: () => Promise<void>
}

/**
 * Copy the demo template into a new temp dir and serve it on a free port; with no template
 * (`null`), serve an EMPTY database (a first installation: `serve` runs the migrations).
 */
export async function startServer(templateDir: string | null, opts: ServerOptions = {}): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'actboard-e2e-'))
  for (const f of templateDir ? readdirSync(templateDir) : []) {
    // The database (and its WAL if one was left); every copy makes its own JWT secret.
    if (f.startsWith('e2e.db') && !f.endsWith('jwt-secret') && statSync(join(templateDir, f)).isFile()) copyFileSync(join(templateDir, f), join(dir, f))
  }
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  let out = ''
  let proc: ChildProcess
  let exited: number | null = null

  const spawnServe = async () => {
    exited = null
    proc = spawn(BINARY, ['serve'], {
      cwd: dir,
      env: {
        ...process.env,
        ACTBOARD_DATABASE_URL: `sqlite://${join(dir, 'e2e.db')}`,
        ACTBOARD_BIND: `127.0.0.1:${port}`,
        ACTBOARD_ALLOWED_ORIGINS: base,
        RUST_LOG: process.env.RUST_LOG ?? 'warn',
        ...opts.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    proc.stdout!.on('data', (d) => { out += d })
    proc.stderr!.on('data', (d) => { out += d })
    proc.on('exit', (code) => { exited = code ?? -1 })
    const deadline = Date.now() + 30_000
    for (;;) {
      if (exited !== null) throw new Error(`actboard serve exited (${exited}) before it was ready:\n${out}`)
      try {
        const r = await fetch(`${base}/readyz`)
        if (r.status === 200) return
      } catch { /* not listening yet */ }
      if (Date.now() > deadline) {
        proc.kill('SIGKILL')
        throw new Error(`actboard serve not ready within 30 s:\n${out}`)
      }
      await sleep(100)
    }
  }

  /** Stop the process (by its PID), keeping the database. */
  const kill = async () => {
    if (exited === null && proc.pid) {
      proc.kill('SIGTERM')
      const t = Date.now()
      while (exited === null && Date.now() - t < 5000) await sleep(50)
      if (exited === null) proc.kill('SIGKILL')
      while (exited === null) await sleep(20)
    }
  }

  await spawnServe()
  const server: Server = {
    base,
    dir,
    url: `sqlite://${join(dir, 'e2e.db')}`,
    get proc() { return proc },
    log: () => out,
    kill,
    restart: spawnServe,
    stop: async () => {
      await kill()
      if (!process.env.E2E_KEEP) rmSync(dir, { recursive: true, force: true })
    },
  }
  return server
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

// ---------------------------------------------------------------------------------------
// The API, for setting things up and checking results
// ---------------------------------------------------------------------------------------

/** The server's schemas, generated from its OpenAPI document (`make api-types`). */
export type Schemas = components['schemas']
export type MyTeam = Schemas['MyTeam']
export type Me = Schemas['MeOut']

export class Api {
  constructor(readonly base: string, readonly token: string, readonly me: Me) {}

  static async login(base: string, username: string): Promise<Api> {
    const r = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: PASSWORD }),
    })
    if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${await r.text()}`)
    const { access_token } = (await r.json()) as Schemas['TokenResponse']
    const me = await call<Me>(base, access_token, 'GET', '/api/me')
    return new Api(base, access_token, me)
  }

  team(name: string): MyTeam {
    const t = this.me.teams.find((x) => x.name === name)
    if (!t) throw new Error(`${this.me.user.username} is not on ${name}`)
    return t
  }

  call<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    return call<T>(this.base, this.token, method, path, body)
  }

  /** Status and body, without throwing on an error status. */
  raw(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    return rawCall(this.base, this.token, method, path, body)
  }
}

async function rawCall(base: string, token: string, method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' }
  if (body !== undefined) headers['content-type'] = 'application/json'
  const r = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  const text = await r.text()
  let json: any = text
  try { json = text ? JSON.parse(text) : null } catch { /* keep the text */ }
  return { status: r.status, body: json }
}

async function call<T>(base: string, token: string, method: string, path: string, body?: unknown): Promise<T> {
  const r = await rawCall(base, token, method, path, body)
  if (r.status >= 400) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`)
  return r.body as T
}

/**
 * Raise a crisis flag through the API. Every test raises flags here and nowhere else, so a
 * change to the request (a new required field) is made in one place.
 */
export function raiseFlag(
  api: Api, teamId: string, clientId: string, severity: Schemas['Severity'], reason: string,
  category: Schemas['Category'] = 'other',
): Promise<Schemas['FlagOut']> {
  return api.call<Schemas['FlagOut']>('POST', `/api/teams/${teamId}/clients/${clientId}/flags`, { severity, category, reason } satisfies Schemas['NewFlag'])
}

/** Today in a team's timezone, YYYY-MM-DD. */
export function teamDay(tz: string, at = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at)
}

// ---------------------------------------------------------------------------------------
// The browser
// ---------------------------------------------------------------------------------------

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS })
}

export async function newPage(browser: Browser, viewport: { width: number; height: number }, opts: { mobile?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport,
    deviceScaleFactor: 1,
    isMobile: !!opts.mobile,
    hasTouch: !!opts.mobile,
    timezoneId: 'America/New_York',
    locale: 'en-US',
  })
  const page = await context.newPage()
  page.setDefaultTimeout(15_000)
  // Surface the app's own errors in the test output.
  page.on('pageerror', (e) => console.error(`[page error] ${e.message}`))
  page.on('console', (m) => { if (m.type() === 'error') console.error(`[console] ${m.text()}`) })
  return { context, page }
}

/** Sign in through the login form; resolves once the app has left the login screen. */
export async function signIn(page: Page, base: string, username: string, to = '/') {
  await page.goto(base + to)
  await page.locator('#username').fill(username)
  await page.locator('#password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.locator('#password').waitFor({ state: 'detached' })
}

/** Save a full-viewport screenshot into SCREENSHOTS. */
export async function shot(page: Page, name: string, fullPage = false) {
  mkdirSync(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOTS, name), fullPage })
}

export function writeText(path: string, text: string) {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, text)
}

/** The tap targets on a phone page that are smaller than `min` px high (visible buttons, inputs, links). */
export async function smallTargets(page: Page, min = 44): Promise<string[]> {
  return page.evaluate((min) => {
    const out: string[] = []
    for (const el of document.querySelectorAll<HTMLElement>('button, a[href], input, select, textarea, [role=button]')) {
      const r = el.getBoundingClientRect()
      const style = getComputedStyle(el)
      if (r.width === 0 || r.height === 0 || style.visibility === 'hidden' || style.display === 'none') continue
      if (el.closest('.sr-only')) continue
      if (r.height < min - 0.5) out.push(`${el.tagName.toLowerCase()} "${(el.textContent || el.getAttribute('aria-label') || (el as HTMLInputElement).placeholder || el.id).trim().slice(0, 40)}" ${Math.round(r.width)}×${Math.round(r.height)}`)
    }
    return out
  }, min)
}

/** Elements that stick out past the right edge of the viewport. */
export async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const w = document.documentElement.clientWidth
    const out: string[] = []
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      const r = el.getBoundingClientRect()
      if (r.width > 0 && r.right > w + 1) out.push(`${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).split(' ').join('.') : ''} right=${Math.round(r.right)}`)
    }
    return out.slice(0, 15)
  })
}

/** Wait until the page's connection badge says "Live". */
export async function waitLive(page: Page, timeout = 15_000) {
  await page.getByTestId('connection').filter({ hasText: /^\W*Live$/ }).first().waitFor({ state: 'visible', timeout })
}

/** Let Preact run its deferred effects (they run after the next paint). */
export async function settle(page: Page) {
  await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => setTimeout(() => requestAnimationFrame(() => setTimeout(r, 0)), 0))))
}
