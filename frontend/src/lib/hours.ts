// The planner's time axis (screens/Planner.tsx): which hour rows a day shows, and the row of
// each visit. Times are the team-local "HH:MM" the server sends.
import type { ContactOut } from '../live/types'

/** The "any time" row of the planner's time axis (visits without a start). */
export const ANY = -1

/** The time axis: "any time", then every hour from 07:00 to 19:00 (the 19:00–20:00 row),
 * widened to the day's earliest and latest visits. */
export function hourRows(visits: readonly Pick<ContactOut, 'start'>[]): number[] {
  let first = 7
  let last = 19
  for (const v of visits) {
    if (!v.start) continue
    const h = Number(v.start.slice(0, 2))
    if (h < first) first = h
    if (h > last) last = h
  }
  const out = [ANY]
  for (let h = first; h <= last; h++) out.push(h)
  return out
}

/** The row of a visit: its start's hour, or "any time". */
export function rowOf(v: Pick<ContactOut, 'start'>, rows: number[]): number {
  if (!v.start) return ANY
  const h = Number(v.start.slice(0, 2))
  return rows.includes(h) ? h : ANY
}

export const hourLabel = (h: number) => `${String(h).padStart(2, '0')}:00`

