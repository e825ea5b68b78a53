// The client quick card on the phone: one tap from a flag, a handoff item or a visit gives
// what on-call staff need to reach and help the person — a big tel: link, the address as
// plain copyable text, crisis plan, emergency contact, open flags, recent contacts (any
// team), the next planned visit, the case manager and who is on call. Reading it is
// access-logged by the server.
import { useEffect, useRef, useState } from 'preact/hooks'
import { api, type Schemas } from '../lib/api'
import { formatTeamTime, longDay } from '../lib/time'
import { CATEGORY_WORD, SEVERITY_WORD } from './common'
import type { Board } from '../live/types'
import { EpisodeQuick } from './Episodes'

type Card = Schemas['ClientCard']

const STATUS_WORD: Record<string, string> = { completed: 'reached', attempted: 'attempted, no answer', missed: 'missed', planned: 'planned', cancelled: 'cancelled' }

export function ClientCardSheet({ teamId, clientId, tz, board, onClose, canRecord }: { teamId: string; clientId: string; tz: string; board: Board; onClose: () => void; canRecord?: boolean }) {
  const [card, setCard] = useState<Card | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [copied, setCopied] = useState(false)
  useEffect(() => {
    setCard(null)
    setError(null)
    api<Card>('GET', `/api/teams/${teamId}/clients/${clientId}/card`).then(setCard, (e) => setError((e as Error).message))
  }, [teamId, clientId])
  const staff = (id: string) => board.staff.find((s) => s.id === id)?.display_name ?? 'someone'
  const d = card?.client.details ?? null
  const copy = async (text: string) => {
    try { await navigator.clipboard.writeText(text); setCopied(true) } catch { setCopied(false) }
  }
  const when = (c: Schemas['ContactOut']) => `${longDay(c.day)}${c.start ? ` ${c.start}` : ''}`

  return (
    <section aria-label="Client card" class="client-card" data-testid="client-card">
      <div class="card-top">
        <h2>{card ? `${card.client.preferred_name || card.client.given_name} ${card.client.family_name}` : board.clients.find((c) => c.id === clientId)?.display_name ?? 'Client'}</h2>
        <button type="button" onClick={onClose}>Close</button>
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      {!card && !error && <p class="muted">Loading…</p>}
      {card && (
        <>
          {d?.phone
            ? <a class="tel" href={`tel:${d.phone.replace(/[^\d+]/g, '')}`} data-testid="card-phone">Call {d.phone}</a>
            : <p class="muted">No phone number on file.</p>}
          <h3>Address</h3>
          {d?.address ? (
            <div class="copyable">
              <p data-testid="card-address" style={{ userSelect: 'all' }}>{d.address}</p>
              <button type="button" onClick={() => copy(d.address!)}>{copied ? 'Copied' : 'Copy address'}</button>
            </div>
          ) : <p class="muted">No address on file.</p>}
          <h3>Crisis plan</h3>
          {d?.crisis_plan ? <p class="pre" data-testid="card-crisis-plan">{d.crisis_plan}</p> : <p class="muted">No crisis plan on file.</p>}
          <h3>Emergency contact</h3>
          {d?.emergency_contact ? <p class="pre">{d.emergency_contact}</p> : <p class="muted">None on file.</p>}
          <h3>Open flags</h3>
          {card.open_flags.filter((f) => f.client_id === clientId).length === 0
            ? <p class="muted">No open flags for this client.</p>
            : <ul>{card.open_flags.filter((f) => f.client_id === clientId).map((f) => (
              <li key={f.id}><strong>{SEVERITY_WORD[f.severity]}</strong> · {CATEGORY_WORD[f.category] ?? f.category} — {f.reason}</li>
            ))}</ul>}
          <h3>Recent contacts</h3>
          {card.recent_contacts.length === 0 ? <p class="muted">None yet.</p> : (
            <ul>{card.recent_contacts.map((c) => (
              <li key={c.id}>{when(c)} · {STATUS_WORD[c.status] ?? c.status} · {c.activity}{c.team_id !== teamId ? ' (other team)' : ''}{c.note ? ` — ${c.note}` : ''}</li>
            ))}</ul>
          )}
          <h3>Next planned visit</h3>
          <p>{card.next_planned ? `${when(card.next_planned)} · ${card.next_planned.activity} · ${card.next_planned.staff_ids.map(staff).join(', ')}` : 'None planned.'}</p>
          <h3>Case manager</h3>
          <p>{card.case_manager ? `${card.case_manager.display_name} (${card.case_manager.discipline.replace(/_/g, " ")})` : 'None.'}</p>
          <h3>On call now</h3>
          <p>{card.on_call_now ? `${card.on_call_now.staff_name} until ${formatTeamTime(card.on_call_now.ends_at, tz)}` : 'No one on call right now.'}</p>
        </>
      )}
      {canRecord && <EpisodeQuick team={{ team_id: teamId, timezone: tz }} clientId={clientId} />}
      <button type="button" style={{ width: '100%', minHeight: '56px' }} onClick={onClose}>Back</button>
    </section>
  )
}

/**
 * "☎ Card" on a desktop screen (a board row, a flag card, the huddle): the same quick card in
 * a dialog over the screen. Escape or Close goes back to the button.
 */
export function ClientCardButton({ teamId, client, board, compact, label }: {
  teamId: string
  client: { id: string; display_name: string }
  board: Board
  compact?: boolean
  label?: string
}) {
  const [open, setOpen] = useState(false)
  const opener = useRef<HTMLButtonElement>(null)
  const dialog = useRef<HTMLDivElement>(null)
  const close = () => { setOpen(false); setTimeout(() => opener.current?.focus(), 0) }
  useEffect(() => {
    if (!open) return
    dialog.current?.focus()
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape') { e.preventDefault(); close() } }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [open])
  return (
    <>
      <button type="button" ref={opener} class={`card-open${compact ? ' compact' : ''}`} aria-haspopup="dialog" data-testid="open-card"
        aria-label={`Quick card for ${client.display_name}`}
        onClick={(e) => { e.stopPropagation(); setOpen(true) }}>{label ?? '☎ Card'}</button>
      {open && (
        <div class="raise-backdrop" onClick={(e) => { if (e.target === e.currentTarget) close() }}>
          <div class="raise-dialog card-dialog" role="dialog" aria-modal="true" aria-label={`Quick card: ${client.display_name}`} tabIndex={-1} ref={dialog}>
            <ClientCardSheet teamId={teamId} clientId={client.id} tz={board.team.timezone} board={board} onClose={close} />
          </div>
        </div>
      )}
    </>
  )
}
