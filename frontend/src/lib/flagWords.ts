// Words for a crisis flag on every card (board, huddle, phone): is it new, when it was
// raised and by whom, who responds. Pure, so the rules are tested without a browser.
import type { FlagOut } from '../live/types'
import { formatTeamWhen } from './time'

/** How long a flag nobody answers yet carries its "NEW" mark. */
export const NEW_FOR_MS = 10 * 60_000

/** New: raised less than ten minutes ago and nobody has said they respond. */
export function isNewFlag(f: Pick<FlagOut, 'raised_at' | 'responders'>, nowMs: number): boolean {
  if ((f.responders?.length ?? 0) > 0) return false
  const t = Date.parse(f.raised_at)
  return !Number.isNaN(t) && nowMs - t < NEW_FOR_MS
}

/** "Sam O." — a short name; "Dr Ana K." keeps the title. */
export function shortName(full: string): string {
  const parts = full.replace(/^Dr\.\s*/, 'Dr ').trim().split(/\s+/)
  if (parts.length < 2) return full
  return `${parts.slice(0, -1).join(' ')} ${parts[parts.length - 1][0]}.`
}

/** "SO" from "Sam Okafor": what a privacy display shows of a person. */
export function initialsOf(full: string): string {
  return full.trim().split(/\s+/).map((p) => p[0]?.toUpperCase() ?? '').join('').slice(0, 3)
}

/** "Raised 14:05 by Maria L." (or "Mon 30 Nov 14:05" on another day); initials on a privacy display. */
export function raisedWords(
  f: Pick<FlagOut, 'raised_at' | 'raised_by'>,
  staff: readonly { id: string; display_name: string }[],
  tz: string,
  nowMs: number,
  privacy = false,
): string {
  const who = staff.find((s) => s.id === f.raised_by)?.display_name
  const by = who ? ` by ${privacy ? initialsOf(who) : shortName(who)}` : ''
  return `Raised ${formatTeamWhen(f.raised_at, tz, nowMs)}${by}`
}

/** "Responding: Jamie F., Sam O." or null when nobody responds (initials on a privacy display). */
export function respondingWords(f: { responders?: { initials: string; display_name?: string }[] }): string | null {
  const rs = f.responders ?? []
  return rs.length ? `Responding: ${rs.map((r) => (r.display_name ? shortName(r.display_name) : r.initials)).join(', ')}` : null
}

/** "1 contact", "3 contacts". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}
