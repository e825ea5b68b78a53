// Small, dependency-free helpers for the instants and days of the protocol.

import type { Day, Instant } from './types.ts'

const RFC3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/i

const keyCache = new Map<string, string>()

/**
 * A key that sorts like the instant it names, to the nanosecond. chrono writes
 * 0, 3, 6 or 9 fraction digits, so the strings themselves do not compare
 * ("…:00Z" sorts after "…:00.5Z"), and Date.parse keeps only milliseconds.
 */
export function instantKey(s: Instant): string {
  let key = keyCache.get(s)
  if (key !== undefined) return key
  const m = RFC3339.exec(s)
  if (m) {
    const frac = (m[2] ?? '').padEnd(9, '0').slice(0, 9)
    let base = m[1]
    if (m[3].toUpperCase() !== 'Z') {
      const ms = Date.parse(`${m[1]}${m[3]}`)
      base = Number.isNaN(ms) ? m[1] : new Date(ms).toISOString().slice(0, 19)
    }
    key = `${base}.${frac}`
  } else {
    const ms = Date.parse(s)
    key = Number.isNaN(ms) ? s : new Date(ms).toISOString().slice(0, 23) + '000000'
  }
  if (keyCache.size > 10_000) keyCache.clear()
  keyCache.set(s, key)
  return key
}

/** Negative, zero or positive as `a` is before, at or after `b`. */
export function compareInstants(a: Instant, b: Instant): number {
  const ka = instantKey(a)
  const kb = instantKey(b)
  return ka < kb ? -1 : ka > kb ? 1 : 0
}

/** Milliseconds since the epoch (sub-millisecond digits dropped). */
export function instantMs(s: Instant): number {
  return Date.parse(s)
}

function dayNumber(d: Day): number {
  const [y, m, dd] = d.split('-').map(Number)
  return Date.UTC(y, m - 1, dd) / 86_400_000
}

/** Whole days from `from` to `to` (both YYYY-MM-DD). */
export function daysBetween(from: Day, to: Day): number {
  return Math.round(dayNumber(to) - dayNumber(from))
}

const dayFormats = new Map<string, Intl.DateTimeFormat>()

/** The team-local day (YYYY-MM-DD) of an instant; null for an unknown time zone. */
export function localDay(ms: number, timeZone: string): Day | null {
  let f = dayFormats.get(timeZone)
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    } catch {
      return null
    }
    dayFormats.set(timeZone, f)
  }
  const parts = f.formatToParts(new Date(ms))
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? ''
  return `${get('year')}-${get('month')}-${get('day')}`
}
