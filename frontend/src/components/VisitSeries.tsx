// The planner's "Recurring visits": the team's series still running, each with "End
// series" behind an in-page confirmation (its future planned visits are cancelled; past
// ones stay as they are).
import { useEffect, useState } from 'preact/hooks'
import { api, type Schemas } from '../lib/api'
import { longDay } from '../lib/time'
import { staffName } from './common'
import type { Board } from '../live/types'

type Series = Schemas['SeriesOut']

export function SeriesList({ board, onChanged }: { board: Board; onChanged: () => void }) {
  const teamId = board.team.id
  const [list, setList] = useState<Series[]>([])
  const [confirming, setConfirming] = useState<string | null>(null)
  const [said, setSaid] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const client = (id: string) => board.clients.find((c) => c.id === id)?.display_name ?? 'a client'
  const reload = async () => {
    try { setList((await api<Series[]>('GET', `/api/teams/${teamId}/visit-series`)).filter((s) => !s.ended_at)) } catch (e) { setError((e as Error).message) }
  }
  useEffect(() => { void reload() }, [teamId])

  const end = async (s: Series) => {
    setError(null)
    try {
      const out = await api<Schemas['SeriesContacts']>('DELETE', `/api/teams/${teamId}/visit-series/${s.id}`)
      setConfirming(null)
      setSaid(`Ended the series for ${client(s.client_id)}: ${out.contacts.length} planned visit${out.contacts.length === 1 ? '' : 's'} cancelled.`)
      await reload()
      onChanged()
    } catch (e) { setError((e as Error).message) }
  }

  return (
    <section class="card series" aria-label="Recurring visits" style={{ marginTop: '1rem' }}>
      <h2 style={{ marginTop: 0 }}>Recurring visits</h2>
      <div role="status" aria-live="polite">{said && <p class="ok">{said}</p>}</div>
      {error && <p class="error" role="alert">{error}</p>}
      {list.length === 0 ? <p class="muted">No recurring visits.</p> : (
        <ul class="series-list">
          {list.map((s) => (
            <li key={s.id} data-testid="series">
              <span><strong>{client(s.client_id)}</strong> with {s.staff_ids.map((id) => staffName(board.staff, id)).join(', ')} · every {s.every_days} days, {s.start}–{s.end} · {longDay(s.first_day)} until {longDay(s.until)} · {s.activity}</span>
              {confirming === s.id ? (
                <span class="confirm">
                  End it? Its future planned visits are cancelled.
                  <button class="danger" onClick={() => end(s)}>Yes, end series</button>
                  <button onClick={() => setConfirming(null)}>Keep it</button>
                </span>
              ) : <button onClick={() => { setSaid(null); setConfirming(s.id) }}>End series</button>}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
