// The on-call rota in words and on a 24-hour axis: pure helpers for the rota screen
// (screens/Rota.tsx). Times are team-local "YYYY-MM-DDTHH:MM" strings as the server sends
// them, so a day's part of a shift is found by comparing strings, in the team's own time.
import { addDays, longDay } from './time'
import { plural } from './flagWords'

export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const

/** Anything with a team-local start and end (a shift, a gap). */
export interface LocalSpan {
  starts_local: string
  ends_local: string
}

/** Minutes since midnight of "HH:MM" (or of the time part of "YYYY-MM-DDTHH:MM"). */
export function minutesOf(hm: string): number {
  const t = hm.length > 5 ? hm.slice(11, 16) : hm
  const [h, m] = t.split(':').map(Number)
  return h * 60 + m
}

/** The part of `span` on `day`, in minutes from that day's midnight (0–1440), or null. */
export function dayPart(day: string, span: LocalSpan): { from: number; to: number } | null {
  const start = `${day}T00:00`
  const end = `${addDays(day, 1)}T00:00`
  const s = span.starts_local > start ? span.starts_local : start
  const e = span.ends_local < end ? span.ends_local : end
  if (s >= e) return null
  return { from: s === start ? 0 : minutesOf(s), to: e === end ? 1440 : minutesOf(e) }
}

/** "Tue 8 Dec 17:00" of a team-local "YYYY-MM-DDTHH:MM". */
export function localWords(local: string): string {
  return `${longDay(local.slice(0, 10))} ${local.slice(11, 16)}`
}

/** "Wed 9 Dec 09:00–17:00", or across days "Wed 9 Dec 17:00 – Thu 10 Dec 09:00". */
export function spanWords(span: LocalSpan): string {
  const sameDay = span.starts_local.slice(0, 10) === span.ends_local.slice(0, 10)
  const endsMidnight = span.ends_local.slice(11) === '00:00' && addDays(span.starts_local.slice(0, 10), 1) === span.ends_local.slice(0, 10)
  if (sameDay) return `${localWords(span.starts_local)}–${span.ends_local.slice(11, 16)}`
  if (endsMidnight) return `${localWords(span.starts_local)}–24:00`
  return `${localWords(span.starts_local)} – ${localWords(span.ends_local)}`
}

/** "No one on call Wed 9 Dec 09:00–17:00". */
export function gapWords(gap: LocalSpan): string {
  return `No one on call ${spanWords(gap)}`
}

export interface Skipped {
  starts_local: string
  staff_id: string
  reason: string
  overlaps: string[]
}

/**
 * "14 shifts created, 2 skipped: Tue 8 Dec 17:00 overlaps Sam O.'s shift; …". `owner` names
 * the person of a shift id (null when unknown); `name` a staff id.
 */
export function applyWords(created: number, skipped: readonly Skipped[], owner: (shiftId: string) => string | null, name: (staffId: string) => string): string {
  const head = `${plural(created, 'shift')} created`
  if (skipped.length === 0) return `${head}, none skipped.`
  const why = skipped.map((s) => {
    const at = localWords(s.starts_local)
    if (s.reason === 'not_working') return `${at} ${name(s.staff_id)} no longer works on the team`
    const who = s.overlaps.map(owner).find((n): n is string => !!n)
    return `${at} overlaps ${who ? `${who}'s shift` : 'another shift'}`
  })
  return `${head}, ${skipped.length} skipped: ${why.join('; ')}.`
}

/** Which row and field a 422 names: "slots[2].start" → [2, 'start']. */
export function slotField(field: string): [number, string] | null {
  const m = /^slots\[(\d+)\]\.?(\w*)$/.exec(field)
  return m ? [Number(m[1]), m[2] || 'row'] : null
}

/** The days from `from`, `n` of them. */
export function daysFrom(from: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => addDays(from, i))
}
