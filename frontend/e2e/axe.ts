// Accessibility checks with axe-core, run inside the page under test. The source is evaluated
// through the DevTools protocol (not a <script> tag), so the server's Content-Security-Policy
// does not block it.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'

const require = createRequire(import.meta.url)
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

/** WCAG 2.0, 2.1 and 2.2, levels A and AA. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa']

export interface Violation {
  id: string
  impact: string | null
  help: string
  nodes: { target: string; summary: string }[]
}

/** Run axe on the page as it is now (open dialogs included); the WCAG A/AA violations. */
export async function axeViolations(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE)
  return page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: any }).axe
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
    return r.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n: any) => ({ target: n.target.join(' '), summary: String(n.failureSummary ?? '').replace(/\s+/g, ' ').trim() })),
    }))
  }, WCAG_TAGS)
}

/** The violations as lines a person can act on: rule, impact, help, then each element. */
export function formatViolations(where: string, vs: Violation[]): string {
  const lines = [`${where}: ${vs.length} accessibility rule(s) violated`]
  for (const v of vs) {
    lines.push(`  [${v.impact ?? '?'}] ${v.id}: ${v.help} (${v.nodes.length} element${v.nodes.length === 1 ? '' : 's'})`)
    for (const n of v.nodes.slice(0, 5)) lines.push(`      ${n.target} — ${n.summary.slice(0, 220)}`)
    if (v.nodes.length > 5) lines.push(`      … and ${v.nodes.length - 5} more`)
  }
  return lines.join('\n')
}

/** Fail with the readable list when the page has WCAG A/AA violations. */
export async function expectAccessible(page: Page, where: string) {
  const vs = await axeViolations(page)
  if (vs.length) throw new Error(formatViolations(where, vs))
}
