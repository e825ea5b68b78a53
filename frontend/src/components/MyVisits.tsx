// "My visits today" on the phone: close out each planned visit on the SAME record (a PATCH
// with its version), so a planned visit never stays "planned" next to a second contact.
// Done asks when it happened (default now) and minutes; Attempted / Missed are one tap plus
// an optional note. A PATCH needs the network: offline, the buttons say so instead of
// queuing (a stale close-out replayed later could overwrite someone else's change).
import { useEffect, useState } from 'preact/hooks'
import { api, apiAll, ApiError, type Schemas } from '../lib/api'
import { formatTeamTime } from '../lib/time'
import type { Board, ContactOut } from '../live/types'

type Outcome = 'completed' | 'attempted' | 'missed'
const MINUTES = [10, 20, 30, 45, 60]

/** HH:MM `minutes` after `start`, or null when that passes midnight. */
export function endOf(start: string, minutes: number): string | null {
  const m = Number(start.slice(0, 2)) * 60 + Number(start.slice(3, 5)) + minutes
  if (!Number.isFinite(m) || m >= 24 * 60) return null
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
}

export function MyVisits({ board, me, day, online, seq, onOpenCard }: { board: Board; me: string; day: string; online: boolean; seq?: number; onOpenCard: (clientId: string) => void }) {
  const teamId = board.team.id
  const tz = board.team.timezone
  const [visits, setVisits] = useState<ContactOut[] | null>(null)
  const [open, setOpen] = useState<{ id: string; outcome: Outcome } | null>(null)
  const [time, setTime] = useState('')
  const [minutes, setMinutes] = useState('30')
  const [note, setNote] = useState('')
  const [said, setSaid] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const name = (id: string) => board.clients.find((c) => c.id === id)?.display_name ?? 'a client'

  const reload = async () => {
    try {
      const all = await apiAll<ContactOut>(`/api/teams/${teamId}/contacts?day=${day}&staff_id=${me}&status=planned&limit=1000`)
      setVisits(all.sort((a, b) => (a.start ?? '99').localeCompare(b.start ?? '99')))
    } catch (e) {
      if ((e as ApiError).status !== 0) setError((e as Error).message)
    }
  }
  // Live: any change to the team (a visit booked, moved or closed elsewhere) re-reads my list.
  useEffect(() => { void reload() }, [day, me, online, seq])

  const start = (v: ContactOut, outcome: Outcome) => {
    setError(null)
    setSaid(null)
    setOpen({ id: v.id, outcome })
    setTime(formatTeamTime(new Date().toISOString(), tz))
    setMinutes('30')
    setNote('')
  }

  // A Done whose time overlaps another of my visits: said in words, saved only if I say so.
  const [clash, setClash] = useState<{ v: ContactOut; outcome: Outcome; text: string } | null>(null)

  const closeOut = async (v: ContactOut, outcome: Outcome, version = v.version, allowOverlap = false) => {
    setError(null)
    setClash(null)
    if (!online) { setError('No network: closing out a visit needs the network. Try again when it returns.'); return }
    const body: Schemas['ContactPatch'] = { version, status: outcome, note: note.trim() || undefined, allow_overlap: allowOverlap || undefined }
    if (outcome === 'completed') {
      // The time it happened replaces the planned time; the end follows from the minutes
      // (none past midnight), so the visit holds its real time for double-booking checks.
      body.start = time
      body.end = endOf(time, Number(minutes))
      body.minutes = Number(minutes)
    }
    try {
      await api<ContactOut>('PATCH', `/api/teams/${teamId}/contacts/${v.id}`, body)
      setOpen(null)
      setSaid(`${name(v.client_id)}: ${outcome === 'completed' ? `done at ${time}` : outcome === 'attempted' ? 'attempted, no answer' : 'missed'}.`)
      await reload()
    } catch (e) {
      const err = e as ApiError
      if (err.code === 'version_conflict') {
        const cur = err.body.current as ContactOut
        if (cur.status === 'planned') return closeOut(cur, outcome, cur.version, allowOverlap)
        setError(`Someone else already marked this visit ${cur.status}.`)
        setOpen(null)
        await reload()
      } else if (err.code === 'double_booked') {
        const others = ((err.body?.conflicts ?? []) as { start: string; end: string }[]).map((c) => `${c.start}–${c.end}`)
        setClash({ v, outcome, text: `At ${time} this overlaps another visit of yours${others.length ? ` (${others.join(', ')})` : ''}.` })
      } else if (err.status === 0) setError('No network: closing out a visit needs the network. Try again when it returns.')
      else setError(err.message)
    }
  }

  return (
    <section aria-label="My visits today" class="my-visits">
      <h2>My visits today</h2>
      <div role="status" aria-live="polite">{said && <p class="notice" style={{ background: '#14532d', color: '#dcfce7' }}>{said}</p>}</div>
      {error && <p class="error" role="alert">{error}</p>}
      {visits === null ? <p class="muted">Loading…</p> : visits.length === 0 && <p class="muted">No planned visits left today.</p>}
      {visits?.map((v) => (
        <article key={v.id} class="item visit" data-testid="my-visit">
          <div class="visit-head">
            <span style={{ fontSize: '20px', fontWeight: 800 }}>{name(v.client_id)}</span>
            <span>{v.start ?? 'any time'}{v.end ? `–${v.end}` : ''} · {v.activity}</span>
          </div>
          <button type="button" class="link-button" onClick={() => onOpenCard(v.client_id)}>Client card (phone, address, crisis plan)</button>
          {open?.id === v.id ? (
            <form onSubmit={(e) => { e.preventDefault(); void closeOut(v, open.outcome) }}>
              {open.outcome === 'completed' && (
                <>
                  <label for={`done-at-${v.id}`}>Time it happened</label>
                  <input id={`done-at-${v.id}`} type="time" required value={time} onInput={(e) => setTime((e.target as HTMLInputElement).value)} />
                  <label for={`done-min-${v.id}`}>Minutes</label>
                  <div class="chips" role="group" aria-label="Minutes">
                    {MINUTES.map((m) => <button type="button" key={m} aria-pressed={minutes === String(m)} onClick={() => setMinutes(String(m))}>{m}</button>)}
                  </div>
                  <input id={`done-min-${v.id}`} type="number" min={1} max={1440} required value={minutes} onInput={(e) => setMinutes((e.target as HTMLInputElement).value)} />
                </>
              )}
              <label for={`close-note-${v.id}`}>Short note (optional)</label>
              <textarea id={`close-note-${v.id}`} rows={2} maxLength={2000} value={note} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} />
              {clash?.v.id === v.id && (
                <div class="decision double_booked" data-testid="conflict">
                  <p>{clash.text}</p>
                  <button type="button" onClick={() => void closeOut(v, clash.outcome, v.version, true)}>Save anyway (overlap)</button>
                </div>
              )}
              <div class="actions">
                <button type="button" onClick={() => { setOpen(null); setClash(null) }}>Cancel</button>
                <button class="primary" type="submit">
                  {open.outcome === 'completed' ? 'Save: done' : open.outcome === 'attempted' ? 'Save: attempted, no answer' : 'Save: missed'}
                </button>
              </div>
            </form>
          ) : (
            <div class="actions close-out">
              <button class="primary" onClick={() => start(v, 'completed')}>Done</button>
              <button onClick={() => start(v, 'attempted')}>Attempted</button>
              <button onClick={() => start(v, 'missed')}>Missed</button>
            </div>
          )}
        </article>
      ))}
    </section>
  )
}
