// The on-call phone's handoff tab: the handoff waiting for me (read it, acknowledge with my
// read-back), writing one to whoever takes over, and the handoffs of this shift that stay
// readable after they are acknowledged ("Earlier handoffs", expandable) — the actions and
// contingencies are needed all night, not only until the tap on "Acknowledge".
import { useMemo, useState } from 'preact/hooks'
import { api, type MyTeam, type Schemas } from '../lib/api'
import { formatTeamTime, formatTeamWhen } from '../lib/time'
import { staffName } from './common'
import { HandoffForm } from './HandoffForm'
import type { Board, HandoffOut } from '../live/types'

/** Since when "this shift" runs: my on-call shift's start, else the last 24 hours. */
function shiftStart(board: Board, me: string): string {
  if (board.on_call && board.on_call.staff_id === me) return board.on_call.starts_at
  return new Date(Date.now() - 24 * 3600_000).toISOString()
}

function Items({ h, board, onOpenCard }: { h: HandoffOut; board: Board; onOpenCard?: (clientId: string) => void }) {
  const names = useMemo(() => new Map(board.clients.map((c) => [c.id, c.display_name])), [board])
  const tz = board.team.timezone
  return (
    <>
      {h.items.map((it) => (
        <article key={it.client_id} class={`item ${it.severity === 'unstable' ? 'emergency' : it.severity === 'watcher' ? 'urgent' : ''}`} data-testid="handoff-read-item">
          <div style={{ fontWeight: 800, fontSize: '18px' }}>{names.get(it.client_id) ?? 'client'} — {it.severity.toUpperCase()}</div>
          {onOpenCard && <button type="button" class="link-button" onClick={() => onOpenCard(it.client_id)}>Client card (phone, crisis plan)</button>}
          <div>{it.summary}</div>
          {it.actions.length > 0 && <ul>{it.actions.map((a, i) => (
            <li key={i}>{a.text}{a.owner_id ? ` — ${staffName(board.staff, a.owner_id)}` : ''}{a.due_at ? ` by ${formatTeamTime(a.due_at, tz)}` : ''}</li>
          ))}</ul>}
          {it.contingency && <div class="muted">If: {it.contingency}</div>}
        </article>
      ))}
      {h.synthesis && <p><strong>Read-back:</strong> {h.synthesis}{h.acknowledged_at ? ` (${formatTeamWhen(h.acknowledged_at, tz)})` : ''}</p>}
    </>
  )
}

/** A handoff waiting for me: read it, then acknowledge with my read-back. */
function Pending({ h, board, teamId, onOpenCard }: { h: HandoffOut; board: Board; teamId: string; onOpenCard?: (clientId: string) => void }) {
  const [synthesis, setSynthesis] = useState('')
  const [error, setError] = useState<string | null>(null)
  const from = staffName(board.staff, h.from_staff_id)
  return (
    <div aria-label={`Handoff from ${from}`} role="region" data-testid="pending-handoff">
      <h2>Handoff from {from} <span class="muted" style={{ fontSize: '15px' }}>{formatTeamTime(h.created_at, board.team.timezone)}</span></h2>
      {h.overdue && <p class="alert">Overdue: acknowledge now</p>}
      <Items h={h} board={board} onOpenCard={onOpenCard} />
      <form onSubmit={async (e) => {
        e.preventDefault()
        setError(null)
        try { await api('POST', `/api/teams/${teamId}/handoffs/${h.id}/acknowledge`, { synthesis } satisfies Schemas['Acknowledge']); setSynthesis('') } catch (err) { setError((err as Error).message) }
      }}>
        <label for={`synthesis-${h.id}`}>Your read-back (synthesis)</label>
        <textarea id={`synthesis-${h.id}`} rows={3} required value={synthesis} onInput={(e) => setSynthesis((e.target as HTMLTextAreaElement).value)} />
        {error && <p class="error" role="alert">{error}</p>}
        <button class="primary" type="submit" style={{ width: '100%', marginTop: '0.6rem' }}>Acknowledge handoff</button>
      </form>
    </div>
  )
}

export function PhoneHandoffs({ board, team, me, onOpenCard }: { board: Board; team: MyTeam; me: string; onOpenCard?: (clientId: string) => void }) {
  const [writing, setWriting] = useState(false)
  const [sent, setSent] = useState<string | null>(null)
  const tz = board.team.timezone
  const pending = board.handoffs.filter((h) => h.to_staff_id === me && !h.acknowledged_at)
  const since = shiftStart(board, me)
  const earlier = board.handoffs
    .filter((h) => (h.to_staff_id === me || h.from_staff_id === me) && !pending.includes(h) && h.created_at >= since)
    .sort((a, b) => b.created_at.localeCompare(a.created_at))

  if (writing) {
    return (
      <section aria-label="Write a handoff">
        <h2>Write a handoff</h2>
        <HandoffForm board={board} team={team} me={me} onCancel={() => setWriting(false)}
          onSent={(_, to) => { setWriting(false); setSent(`Handoff sent to ${to}.`) }} />
      </section>
    )
  }
  return (
    <section aria-label="Handoffs">
      <div role="status">{sent && <p class="ok">{sent}</p>}</div>
      {pending.length === 0 ? <><h2>Handoff</h2><p class="muted">No handoff is waiting for you.</p></> : pending.map((h) => (
        <Pending key={h.id} h={h} board={board} teamId={team.team_id} onOpenCard={onOpenCard} />
      ))}
      {earlier.length > 0 && (
        <div class="earlier" aria-label="Earlier handoffs" role="region">
          <h2>Earlier handoffs</h2>
          {earlier.map((x) => (
            <details key={x.id} data-testid="earlier-handoff">
              <summary>
                {formatTeamTime(x.created_at, tz)} {x.from_staff_id === me ? `to ${staffName(board.staff, x.to_staff_id)}` : `from ${staffName(board.staff, x.from_staff_id)}`}
                {' · '}{x.items.length} client{x.items.length === 1 ? '' : 's'}{x.acknowledged_at ? ' · acknowledged' : ' · waiting'}
              </summary>
              <Items h={x} board={board} onOpenCard={onOpenCard} />
            </details>
          ))}
        </div>
      )}
      {team.role !== 'viewer' && (
        <button class="primary" style={{ width: '100%', marginTop: '0.8rem', minHeight: '56px', fontSize: '18px' }} onClick={() => { setSent(null); setWriting(true) }}>Write a handoff</button>
      )}
    </section>
  )
}
