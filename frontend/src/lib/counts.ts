// A client's rolling counts in words (issue 12): the last 7 days and since the team's last
// huddle, never "this week" (which read 0 for everyone every Monday).
import { plural } from './flagWords'

export interface Rolling {
  contacts_7d: number
  face_to_face_7d: number
  since_last_huddle?: number | null
}

/** "3 in 7 days · 1 since the last huddle": the roster's short form. */
export function countWords(c: Rolling): string {
  const since = c.since_last_huddle
  return `${c.contacts_7d} in 7 days${since == null ? '' : ` · ${since} since the last huddle`}`
}

/** "3 contacts in 7 days (2 face to face) · 1 since the last huddle": the huddle card's. */
export function huddleCountWords(c: Rolling): string {
  const f2f = c.contacts_7d > 0 ? ` (${c.face_to_face_7d} face to face)` : ''
  const since = c.since_last_huddle
  return `${plural(c.contacts_7d, 'contact')} in 7 days${f2f}${since == null ? '' : ` · ${since} since the last huddle`}`
}
