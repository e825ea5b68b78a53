// A question the lead answers before anything is written: a double booking in words with
// "Book anyway (overlap)" and "Leave it", or a visit changed meanwhile. Nothing moves until
// a button is pressed.
import { useState } from 'preact/hooks'
import { apiAll, type ApiError } from '../lib/api'
import { conflictIds, conflictLines, conflictsOf, type Conflict, type Names } from '../lib/booking'
import type { ContactOut } from '../live/types'

export interface Decision {
  /** What was asked for, e.g. "Moving John Doe to Sam Okafor would double-book:". */
  title: string
  lines: string[]
  confirm: string
  onConfirm: () => Promise<void>
  /** A double booking (styled as one, for tests and screen readers). */
  kind: 'double_booked' | 'changed'
}

export function DecisionNotice({ d, onClose }: { d: Decision; onClose: () => void }) {
  const [busy, setBusy] = useState(false)
  return (
    <div class={`decision ${d.kind}`} data-testid="conflict">
      <p class="decision-title">{d.title}</p>
      {d.lines.length > 0 && <ul>{d.lines.map((l, i) => <li key={i}>{l}</li>)}</ul>}
      <div class="decision-actions">
        <button class="primary" disabled={busy} onClick={async () => {
          setBusy(true)
          try { onClose(); await d.onConfirm() } finally { setBusy(false) }
        }}>{d.confirm}</button>
        <button disabled={busy} onClick={onClose}>Leave it</button>
      </div>
    </div>
  )
}

/**
 * The conflicts of a `double_booked` refusal in words. Visits not in `known` (an absence
 * spans days) are read from the team's contacts of those days first.
 */
export async function describeConflicts(
  teamId: string,
  err: unknown,
  known: readonly ContactOut[],
  names: Omit<Names, 'contacts'>,
): Promise<string[] | null> {
  const list: Conflict[] | null = conflictsOf(err)
  if (!list) return null
  const contacts = new Map(known.map((c) => [c.id, c]))
  const missing = conflictIds(list).filter((id) => !contacts.has(id))
  if (missing.length) {
    const days = list.map((c) => c.day).sort()
    try {
      const more = await apiAll<ContactOut>(`/api/teams/${teamId}/contacts?from=${days[0]}&to=${days[days.length - 1]}&limit=1000`)
      for (const c of more) contacts.set(c.id, c)
    } catch {
      /* the words say "a client" instead */
    }
  }
  const lines = conflictLines(list, { ...names, contacts })
  return lines.length ? lines : [(err as ApiError).message]
}
