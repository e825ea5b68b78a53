// No double booking, as the planner shows it: the server's `double_booked` conflicts in
// words, and which visits in a column already overlap (the same rule as
// src/domain/booking.rs: planned or completed, timed, same day, times intersect; a visit
// ending at 10:00 and one starting at 10:00 do not overlap).
import type { ApiError } from './api'
import type { ContactOut } from '../live/types'
import { shortDay } from './days'

/** One clash of a 409 `double_booked`: `contact_id` is already booked, `conflicts_with` is being written or moved. */
export interface Conflict {
  contact_id: string
  staff_id: string
  day: string
  start: string
  end: string
  conflicts_with: string
}

/** The conflicts of a `double_booked` refusal, or null for any other error. */
export function conflictsOf(e: unknown): Conflict[] | null {
  const err = e as ApiError
  if (err?.code !== 'double_booked') return null
  const list = err.body?.conflicts
  return Array.isArray(list) ? (list as Conflict[]) : []
}

type Visit = Pick<ContactOut, 'id' | 'day' | 'start' | 'end' | 'status'>

/** The time a visit holds, or null (untimed, missed or cancelled visits hold none). */
function window(v: Visit): [string, string] | null {
  if (v.status !== 'planned' && v.status !== 'completed') return null
  if (!v.start || !v.end || !(v.start < v.end)) return null
  return [v.start, v.end]
}

/** Do two visits of the same person overlap? */
export function overlap(a: Visit, b: Visit): boolean {
  if (a.id === b.id || a.day !== b.day) return false
  const x = window(a)
  const y = window(b)
  return !!x && !!y && x[0] < y[1] && y[0] < x[1]
}

/** For one person's visits: each visit that overlaps others, with those others (in the given order). */
export function overlapsIn<V extends Visit>(visits: readonly V[]): Map<string, V[]> {
  const out = new Map<string, V[]>()
  for (const a of visits) {
    const with_ = visits.filter((b) => overlap(a, b))
    if (with_.length) out.set(a.id, with_)
  }
  return out
}

export interface Names {
  staff: (id: string) => string
  client: (id: string) => string
  /** The visits known (the day's, or those fetched for the conflicts). */
  contacts: ReadonlyMap<string, ContactOut>
  /** The day on screen: other days are named (every day, when there is none). */
  day?: string
}

function span(c: { start?: string | null; end?: string | null }): string {
  return c.start ? `${c.start}${c.end ? `–${c.end}` : ''}` : 'any time'
}

/**
 * One conflict in words: "Maria Lopez already has 10:00–11:00 with John Doe (the visit
 * with Ann Bell at 10:30–11:15 would overlap)". When the visit already booked is itself one
 * of those moving (two moved visits clash), it says the person would get both.
 */
export function conflictWords(c: Conflict, n: Names): string {
  const who = n.staff(c.staff_id)
  const booked = n.contacts.get(c.contact_id)
  const moving = n.contacts.get(c.conflicts_with)
  const bookedClient = booked ? n.client(booked.client_id) : 'a client'
  const on = c.day !== n.day ? ` on ${shortDay(c.day)}` : ''
  const other = moving ? `the visit with ${n.client(moving.client_id)} at ${span(moving)}` : 'the visit being booked'
  if (booked && !booked.staff_ids.includes(c.staff_id)) {
    // Both are on their way to this person.
    return `${who} would get two overlapping visits${on}: ${bookedClient} at ${span(c)} and ${other.replace(/^the visit with /, '')}`
  }
  return `${who} already has ${span(c)} with ${bookedClient}${on} (${other} would overlap)`
}

/** Every conflict in words, each once, by day and time; past `max`, a count of the rest. */
export function conflictLines(list: readonly Conflict[], n: Names, max = 8): string[] {
  const sorted = [...list].sort((a, b) => a.day.localeCompare(b.day) || a.start.localeCompare(b.start))
  const lines = [...new Set(sorted.map((c) => conflictWords(c, n)))]
  if (lines.length <= max) return lines
  const rest = lines.length - (max - 1)
  return [...lines.slice(0, max - 1), `… and ${rest} more overlaps`]
}

/** The contact ids a list of conflicts names (to fetch those not on screen). */
export function conflictIds(list: readonly Conflict[]): string[] {
  return [...new Set(list.flatMap((c) => [c.contact_id, c.conflicts_with]))]
}
