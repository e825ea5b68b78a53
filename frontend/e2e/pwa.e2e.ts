// The installable app (issue 12): the server serves the service worker and the manifest as
// themselves (not the single-page fallback); the worker precaches the app shell, so a page
// opened offline shows the app (not the browser's error page) and never caches /api/ answers;
// a new build's worker waits and the page offers "Update ready — reload".
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { Api, DIST, PHONE, e2eSuite, newPage, signIn } from './server'

const ctx = e2eSuite()

/** Wait until a service worker controls the page (the first visit is not controlled until a reload: no clients.claim()). */
async function controlled(page: Page) {
  await page.evaluate(() => navigator.serviceWorker.ready)
  if (!(await page.evaluate(() => !!navigator.serviceWorker.controller))) await page.reload()
  await page.waitForFunction(() => !!navigator.serviceWorker.controller, undefined, { timeout: 15_000 })
}

describe('installable app', () => {
  let teamId: string

  beforeAll(async () => {
    teamId = (await Api.login(ctx.server.base, 'sam.okafor')).team('Riverside ACT').team_id
  })

  test('sw.js, the workbox runtime and the manifest are served as themselves, unknown paths as index.html', async () => {
    const sw = await fetch(`${ctx.server.base}/sw.js`)
    expect(sw.status).toBe(200)
    expect(sw.headers.get('content-type')).toMatch(/javascript/)
    expect(sw.headers.get('cache-control')).toBe('no-cache')
    const swText = await sw.text()
    expect(swText).toContain('precacheAndRoute')
    expect(swText).not.toContain('<!doctype html>')
    const runtime = swText.match(/workbox-[0-9a-f]+/)![0]
    const wb = await fetch(`${ctx.server.base}/${runtime}.js`)
    expect(wb.headers.get('content-type')).toMatch(/javascript/)
    const manifest = await fetch(`${ctx.server.base}/manifest.webmanifest`)
    expect(manifest.headers.get('content-type')).toMatch(/manifest\+json|application\/json/)
    const m = await manifest.json()
    expect([m.short_name, m.display, m.start_url, m.theme_color]).toEqual(['actboard', 'standalone', '/', '#0b1220'])
    for (const icon of m.icons) expect((await fetch(ctx.server.base + icon.src)).status).toBe(200)
    const spa = await fetch(`${ctx.server.base}/teams/x/oncall`)
    expect(await spa.text()).toContain('<div id="app">')
    // No API answer or navigation to the API is precached or routed to the shell.
    expect(swText).not.toMatch(/url:"api\//)
  })

  test('offline cold start: a new page on an app URL shows the app shell, not the browser error page; back online it signs in again', async () => {
    const { context, page } = await newPage(ctx.browser, PHONE, { mobile: true })
    await signIn(page, ctx.server.base, 'sam.okafor', `/teams/${teamId}/oncall`)
    await page.getByTestId('connection').first().waitFor()
    await controlled(page)
    await page.close()

    await context.setOffline(true)
    const cold = await context.newPage()
    await cold.goto(`${ctx.server.base}/teams/${teamId}/oncall`)
    // The app rendered (its sign-in form with an offline notice), not chrome-error://.
    await cold.locator('#username').waitFor()
    await cold.getByText(/No network: you will be signed in again when the network returns/).waitFor()
    expect(cold.url()).toBe(`${ctx.server.base}/teams/${teamId}/oncall`)
    // Nothing from /api/ was kept by the worker.
    const cached = await cold.evaluate(async () => {
      const urls: string[] = []
      for (const k of await caches.keys()) for (const r of await (await caches.open(k)).keys()) urls.push(new URL(r.url).pathname)
      return urls
    })
    expect(cached).toContain('/index.html')
    expect(cached.filter((u) => u.startsWith('/api'))).toEqual([])

    await context.setOffline(false)
    await cold.evaluate(() => window.dispatchEvent(new Event('online')))
    await cold.locator('#username').waitFor({ state: 'detached' })
    await cold.getByTestId('connection').first().waitFor()
    await context.close()
  })

  test('a new build: its worker waits and the page offers "Update ready — reload", which loads it', async () => {
    const { context, page } = await newPage(ctx.browser, PHONE, { mobile: true })
    await signIn(page, ctx.server.base, 'sam.okafor', `/teams/${teamId}/oncall`)
    await controlled(page)
    const file = join(DIST, 'sw.js')
    const original = readFileSync(file, 'utf8')
    try {
      // A deploy changes the precache manifest; any byte change makes a new worker.
      writeFileSync(file, `${original}\n// e2e new build ${Date.now()}\n`)
      await page.evaluate(async () => { await (await navigator.serviceWorker.getRegistration())!.update() })
      const prompt = page.getByRole('status').filter({ hasText: 'Update ready' })
      await prompt.waitFor({ timeout: 20_000 })
      expect(await page.evaluate(async () => !!(await navigator.serviceWorker.getRegistration())!.waiting)).toBe(true)
      const reloaded = page.waitForEvent('load')
      await prompt.getByRole('button', { name: 'Reload' }).click()
      await reloaded
      await page.waitForFunction(() => !!navigator.serviceWorker.controller)
      // The waiting worker took over: none waits any more.
      expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.waiting)).toBeNull()
      expect(await page.getByText('Update ready').count()).toBe(0)
    } finally {
      writeFileSync(file, original)
      await context.close()
    }
  })
})
