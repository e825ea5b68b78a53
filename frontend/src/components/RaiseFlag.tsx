// Raising a crisis flag, from the board's rows, the huddle card, the client page and the
// phone: how serious (three big buttons), what about (a category, "Other" until changed),
// what is happening (typed, staff only), Send. The server has no idempotency key for
// flags, so one request at a time: Send is disabled while it is on its way, and a lost
// answer says so instead of inviting a second flag.
import { useEffect, useRef, useState } from 'preact/hooks'
import { api, ApiError, type Schemas } from '../lib/api'
import type { FlagOut } from '../live/types'
import { CATEGORY_WORD, SEVERITY_WORD } from './common'

type Severity = Schemas['Severity']
type Category = Schemas['Category']
const SEVERITIES: Severity[] = ['emergency', 'urgent', 'watch']
const CATEGORIES = Object.keys(CATEGORY_WORD) as Category[]

export interface FlagClient { id: string; display_name: string }

/** A "Raise flag" button and, when pressed, its dialog. `client` fixed, or chosen from `clients`. */
export function RaiseFlagButton({ teamId, client, clients, phone, label = '⚑ Raise flag', compact, onRaised }: {
  teamId: string
  client?: FlagClient
  clients?: readonly FlagClient[]
  phone?: boolean
  label?: string
  compact?: boolean
  onRaised?: (f: FlagOut) => void
}) {
  const [open, setOpen] = useState(false)
  const [done, setDone] = useState<string | null>(null)
  const opener = useRef<HTMLButtonElement>(null)
  // Back to the button that opened the dialog, so the keyboard user is where they were.
  const close = () => { setOpen(false); setTimeout(() => opener.current?.focus(), 0) }
  useEffect(() => {
    if (!done) return
    const t = setTimeout(() => setDone(null), 8000)
    return () => clearTimeout(t)
  }, [done])
  return (
    <>
      <button type="button" ref={opener} class={`raise-flag${compact ? ' compact' : ''}`} aria-haspopup="dialog"
        aria-label={client && compact ? `Raise a flag for ${client.display_name}` : undefined}
        onClick={(e) => { e.stopPropagation(); setDone(null); setOpen(true) }}>{label}</button>
      {done && <span class="raised-note" role="status">{done}</span>}
      {open && (
        <RaiseFlagDialog teamId={teamId} client={client} clients={clients ?? []} phone={phone}
          onClose={close}
          onRaised={(f, name) => { close(); setDone(`✓ Flag raised for ${name}`); onRaised?.(f) }} />
      )}
    </>
  )
}

function RaiseFlagDialog({ teamId, client, clients, phone, onClose, onRaised }: {
  teamId: string
  client?: FlagClient
  clients: readonly FlagClient[]
  phone?: boolean
  onClose: () => void
  onRaised: (f: FlagOut, clientName: string) => void
}) {
  const [chosen, setChosen] = useState<FlagClient | null>(client ?? null)
  const [search, setSearch] = useState('')
  const [severity, setSeverity] = useState<Severity | null>(null)
  const [category, setCategory] = useState<Category>('other')
  const [reason, setReason] = useState('')
  const [sending, setSending] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const inFlight = useRef(false)
  const reasonRef = useRef<HTMLTextAreaElement>(null)
  const firstRef = useRef<HTMLElement | null>(null)

  useEffect(() => { firstRef.current?.focus() }, [])
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape' && !inFlight.current) onClose() }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  const q = search.trim().toLowerCase()
  const matches = q ? clients.filter((c) => c.display_name.toLowerCase().includes(q)).slice(0, 6) : []

  const send = async (e: Event) => {
    e.preventDefault()
    // The dialog may sit inside another form (the phone's Log contact): that one is not sent.
    e.stopPropagation()
    if (inFlight.current) return // a second tap while the first is on its way raises nothing
    if (!chosen) { setError('Choose the client first.'); return }
    if (!severity) { setError('Choose how serious it is: emergency, urgent or watch.'); return }
    if (!reason.trim()) { setError('Say in a few words what is happening.'); reasonRef.current?.focus(); return }
    inFlight.current = true
    setSending(true)
    setError(null)
    try {
      const f = await api<FlagOut>('POST', `/api/teams/${teamId}/clients/${chosen.id}/flags`, { severity, category, reason: reason.trim() } satisfies Schemas['NewFlag'])
      onRaised(f, chosen.display_name)
    } catch (err) {
      const ae = err as ApiError
      setError(ae.status === 0
        ? 'No answer from the server: the flag may not have been raised. Check the open flags before sending it again.'
        : ae.message)
    } finally {
      inFlight.current = false
      setSending(false)
    }
  }

  const title = chosen ? `Raise a crisis flag for ${chosen.display_name}` : 'Raise a crisis flag'
  return (
    <div class={`raise-backdrop${phone ? ' on-phone' : ''}`} onClick={(e) => { if (e.target === e.currentTarget && !inFlight.current) onClose() }}>
      <form class="raise-dialog" role="dialog" aria-modal="true" aria-labelledby="raise-title" onSubmit={send} data-testid="raise-flag-dialog">
        <h2 id="raise-title">{title}</h2>
        {!client && (chosen ? (
          <p class="raise-client">Client: <strong>{chosen.display_name}</strong> <button type="button" onClick={() => setChosen(null)}>Change</button></p>
        ) : (
          <div class="raise-client">
            <label for="raise-search">Client</label>
            <input id="raise-search" ref={(el) => { firstRef.current = el }} type="search" autoComplete="off" placeholder="Type a name"
              value={search} onInput={(e) => setSearch((e.target as HTMLInputElement).value)} />
            <div class="raise-results">
              {matches.map((c) => <button type="button" key={c.id} onClick={() => { setChosen(c); setSearch('') }}>{c.display_name}</button>)}
            </div>
          </div>
        ))}
        <fieldset class="raise-severity">
          <legend>How serious?</legend>
          {SEVERITIES.map((s, i) => (
            <button type="button" key={s} class={`sev-choice ${s}`} aria-pressed={severity === s}
              ref={i === 0 && client ? (el) => { firstRef.current = el } : undefined}
              onClick={() => { setSeverity(s); setError(null); reasonRef.current?.focus() }}>
              {SEVERITY_WORD[s]}
            </button>
          ))}
        </fieldset>
        <fieldset class="raise-category">
          <legend>About</legend>
          <div class="chips">
            {CATEGORIES.map((c) => (
              <button type="button" key={c} aria-pressed={category === c} onClick={() => setCategory(c)}>{CATEGORY_WORD[c]}</button>
            ))}
          </div>
        </fieldset>
        <label for="raise-reason">What is happening (staff only, never on a wall display)</label>
        <textarea id="raise-reason" ref={reasonRef} rows={phone ? 3 : 2} maxLength={2000} value={reason}
          onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} />
        {error && <p class="error" role="alert">{error}</p>}
        <div class="raise-actions">
          <button type="button" onClick={onClose} disabled={sending}>Cancel</button>
          <button type="submit" class="primary send" disabled={sending} aria-busy={sending}>
            {sending ? 'Sending…' : severity ? `Send ${severity} flag` : 'Send flag'}
          </button>
        </div>
      </form>
    </div>
  )
}
