// Small, dependency-free helpers for the instants and days of the protocol.

import type { Day, Instant } from './types.ts'

/**
 * Negative, zero or positive as `a` is before, at or after `b`. The server
 * writes every instant as `YYYY-MM-DDTHH:MM:SS.ffffffZ` (UTC, always six
 * fraction digits), so equal instants are equal strings and string order is
 * time order, to the microsecond.
 */
export function compareInstants(a: Instant, b: Instant): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** The instant `ms` (since the epoch) in the server's format, `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
export function instantOf(ms: number): Instant {
  return `${new Date(ms).toISOString().slice(0, 23)}000Z`
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
