// Undo of an absence that moved visits: cancel the absence, then move each moved visit back
// with the version the move gave it. A visit changed meanwhile (409 `version_conflict`), or
// one that no longer fits the absent person's day (409 `double_booked`), stays where it is
// and is named; nothing is forced back.
import type { ContactOut } from '../live/types'
import { ApiError } from './api'
import { shortDay } from './days'

export type Call = <T>(method: string, path: string, body?: unknown) => Promise<T>

export interface UndoResult {
  /** Moved back to the absent person. */
  back: ContactOut[]
  /** Changed by someone since the move: left as they are. */
  changed: ContactOut[]
  /** Would now overlap a visit of the absent person: left with the cover. */
  clashing: ContactOut[]
  /** Any other refusal, in the server's words. */
  failed: { contact: ContactOut; message: string }[]
}

/** The staff of a moved visit with `cover` put back as `absent` (each person once). */
export function staffBack(staffIds: readonly string[], cover: string, absent: string): string[] {
  return [...new Set(staffIds.map((s) => (s === cover ? absent : s)))]
}

export async function undoAbsence(
  call: Call,
  teamId: string,
  absence: { id: string; staff_id: string; covered_by?: string | null },
  moved: readonly ContactOut[],
): Promise<UndoResult> {
  try {
    await call('DELETE', `/api/teams/${teamId}/absences/${absence.id}`)
  } catch (e) {
    // Already cancelled (by someone else): the visits still go back.
    if ((e as ApiError).status !== 404) throw e
  }
  const r: UndoResult = { back: [], changed: [], clashing: [], failed: [] }
  const cover = absence.covered_by
  if (!cover) return r
  for (const c of moved) {
    try {
      const now = await call<ContactOut>('PATCH', `/api/teams/${teamId}/contacts/${c.id}`, {
        version: c.version,
        staff_ids: staffBack(c.staff_ids, cover, absence.staff_id),
      })
      r.back.push(now)
    } catch (e) {
      const err = e as ApiError
      if (err.code === 'version_conflict') r.changed.push(c)
      else if (err.code === 'double_booked') r.clashing.push(c)
      else r.failed.push({ contact: c, message: err.message })
    }
  }
  return r
}

/** The undo's outcome in words. */
export function undoWords(r: UndoResult, absentName: string, coverName: string, clientName: (id: string) => string): string {
  const total = r.back.length + r.changed.length + r.clashing.length + r.failed.length
  const visit = (c: ContactOut) => `${clientName(c.client_id)} ${shortDay(c.day)}${c.start ? ` ${c.start}` : ''}`
  const parts = [`Absence cancelled.`]
  if (total === 0) return parts[0]
  parts.push(`${r.back.length} of ${total} visit${total === 1 ? '' : 's'} moved back to ${absentName}.`)
  if (r.changed.length) parts.push(`Changed meanwhile, so left with ${coverName}: ${r.changed.map(visit).join(', ')}.`)
  if (r.clashing.length) parts.push(`Would overlap another visit of ${absentName}, so left with ${coverName}: ${r.clashing.map(visit).join(', ')}.`)
  for (const f of r.failed) parts.push(`${visit(f.contact)}: ${f.message}`)
  return parts.join(' ')
}
