// Rasterize the app icons (public/icons/*.svg) into the PNGs the manifest lists, with the
// machine's headless Chromium. Run by hand after changing an icon; the PNGs are committed,
// so `npm run build` needs no browser.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icons')
const jobs = [
  ['icon.svg', 'icon-192.png', 192],
  ['icon.svg', 'icon-512.png', 512],
  ['icon-maskable.svg', 'icon-maskable-512.png', 512],
  ['icon.svg', 'apple-touch-icon-180.png', 180],
]
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] })
for (const [svg, png, size] of jobs) {
  const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 })
  const src = readFileSync(join(dir, svg), 'utf8')
  await page.setContent(`<html><body style="margin:0;background:transparent">${src.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`)
  await page.screenshot({ path: join(dir, png), omitBackground: true })
  await page.close()
  console.log(`icons: ${svg} -> ${png} (${size}px)`)
}
await browser.close()
