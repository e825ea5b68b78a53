// On call, on a phone at night: open flags to acknowledge and resolve, the handoff
// addressed to me, and logging a contact in a few taps — queued while offline and sent
// once when the network returns. Primary actions at the bottom, dark theme, 44 px targets.
import { useEffect, useMemo, useState } from 'preact/hooks'
import type { Session } from '../lib/session'
import { api, ApiError, type MyTeam, type Schemas } from '../lib/api'
import { useEscalations, useNewFlag, useTeamLive } from '../lib/liveScope'
import { alertDevice, unansweredWords } from '../lib/alerts'
import { enqueue, flush, load as loadQueue, purge, type QueuedContact, type SendResult } from '../lib/queue'
import { formatTeamTime, teamDay } from '../lib/time'
import { uuid } from '../lib/uuid'
import { CATEGORY_WORD, ConnectionBadge, OnCallNow, SEVERITY_WORD } from '../components/common'
import type { Board } from '../live/types'
import { navigate } from '../lib/router'
import { RaiseFlagButton } from '../components/RaiseFlag'
import { isNewFlag, raisedWords, respondingWords } from '../lib/flagWords'
import { PhoneHandoffs } from '../components/PhoneHandoffs'
import { MyVisits } from '../components/MyVisits'
import { ClientCardSheet } from '../components/ClientCard'

type Tab = 'flags' | 'handoff' | 'log'

/** Send one queued contact (PUT with its own id: a repeat is harmless). */
async function sendContact(q: QueuedContact): Promise<SendResult> {
  try {
    await api('PUT', `/api/teams/${q.teamId}/contacts/${q.id}`, q.body)
    return 'sent'
  } catch (e) {
    const err = e as ApiError
    if (err.status === 0 || err.status >= 500 || err.status === 401) return 'retry'
    return { rejected: err.message }
  }
}

export function OnCallScreen({ team, session, onSignOut }: { team: MyTeam; session: Session; onSignOut: () => void }) {
  const [tab, setTab] = useState<Tab>('flags')
  const [alert, setAlert] = useState<string | null>(null)
  const me = session.user.id
  // Only my own queued contacts: on a shared phone, another person's are never shown or sent.
  const [queue, setQueue] = useState<QueuedContact[]>(() => loadQueue(localStorage, me))
  const [online, setOnline] = useState(navigator.onLine)
  const live = useTeamLive(team.team_id)
  useNewFlag(team.team_id, (f) => {
    if (f.severity !== 'emergency') return
    setAlert('New emergency flag')
    alertDevice(f.severity, team.name)
  })
  const board = live.model?.board ?? null
  // Escalations naming me: the device already buzzed (lib/liveScope.tsx); a banner until
  // someone responds, it is resolved, or I dismiss it.
  const escalations = useEscalations(team.team_id)
  const [acting, setActing] = useState<string | null>(null)
  // The client quick card (a sheet over the tab), opened from a flag, a handoff or a visit.
  const [cardFor, setCardFor] = useState<string | null>(null)
  const respond = async (flagId: string) => {
    setActing(null)
    try { await api('POST', `/api/teams/${team.team_id}/flags/${flagId}/acknowledge`) } catch (e) { setActing((e as Error).message) }
  }

  const sendQueued = async () => {
    purge(localStorage, me, Date.now())
    setQueue(await flush(localStorage, me, sendContact))
  }

  useEffect(() => {
    const up = () => { setOnline(true); void sendQueued() }
    const down = () => setOnline(false)
    window.addEventListener('online', up)
    window.addEventListener('offline', down)
    const t = setInterval(() => { if (navigator.onLine && loadQueue(localStorage, me).length) void sendQueued() }, 15_000)
    void sendQueued()
    return () => { window.removeEventListener('online', up); window.removeEventListener('offline', down); clearInterval(t) }
  }, [])

  const pending = queue.filter((q) => q.teamId === team.team_id)
  const mine = board?.handoffs.filter((h) => h.to_staff_id === session.user.id && !h.acknowledged_at) ?? []
  return (
    <div class="phone">
      <header class="bar">
        <strong class="team-name">{team.name}</strong>
        <ConnectionBadge state={online ? live.state : 'offline'} since={live.lastCurrentAt} tz={team.timezone} />
        <OnCallNow team={team} />
        {pending.length > 0 && <span class="queued" data-testid="queued">{online ? '' : 'Offline — '}{pending.length} contact{pending.length > 1 ? 's' : ''} queued</span>}
        {session.teams.length > 1 && <button onClick={() => navigate('/')}>Teams</button>}
        <button onClick={() => navigate('/account/password')}>My password</button>
        <button onClick={onSignOut}>Sign out</button>
      </header>
      <div aria-live="assertive" role="alert">
        {board && escalations.flags.map((f) => (
          <section key={f.id} class="escalation" data-testid="escalation-banner">
            <div class="esc-head">⚠ ESCALATED emergency</div>
            <div class="esc-who">{board.clients.find((c) => c.id === f.client_id)?.display_name ?? 'a client'} · {CATEGORY_WORD[f.category] ?? f.category}</div>
            <div>{unansweredWords(f, Date.now()) ?? 'someone is responding'} (raised {formatTeamTime(f.raised_at, team.timezone)})</div>
            {acting && <p class="error">{acting}</p>}
            <div class="actions">
              {team.role !== 'viewer' && <button class="primary" onClick={() => respond(f.id)}>I'm responding</button>}
              <button onClick={() => { setTab('flags'); escalations.dismiss(f.id) }}>Show flags</button>
            </div>
          </section>
        ))}
        {alert && (
          <section>
            <div class="alert">⚠ {alert} <button onClick={() => { setAlert(null); setTab('flags') }} style={{ marginLeft: '0.5rem' }}>Show</button></div>
          </section>
        )}
      </div>
      {board && cardFor ? (
        <ClientCardSheet teamId={team.team_id} clientId={cardFor} tz={team.timezone} board={board} onClose={() => setCardFor(null)} canRecord={team.role !== 'viewer'} />
      ) : !board ? (
        <section><p>{live.state === 'forbidden' ? 'No access to this team.' : 'Loading…'}</p></section>
      ) : tab === 'flags' ? (
        <Flags board={board} teamId={team.team_id} canAct={team.role !== 'viewer'} onOpenCard={setCardFor} />
      ) : tab === 'handoff' ? (
        // Handoffs (clientsui): read, acknowledge, re-read, write.
        <PhoneHandoffs board={board} team={team} me={session.user.id} onOpenCard={setCardFor} />
      ) : (
        <>
          <MyVisits board={board} me={me} day={board.day} online={online} seq={live.model?.seq} onOpenCard={setCardFor} />
          <LogContact board={board} team={team} session={session} queue={pending} onQueued={(q) => setQueue(q)} online={online} onOpenCard={setCardFor} />
        </>
      )}
      <nav class="tabs" aria-label="On-call">
        <button aria-current={tab === 'flags' ? 'page' : undefined} onClick={() => setTab('flags')}>
          Flags{board ? ` (${board.open_flags.length})` : ''}
        </button>
        <button aria-current={tab === 'handoff' ? 'page' : undefined} onClick={() => setTab('handoff')}>
          Handoff{mine.length ? ` (${mine.length})` : ''}
        </button>
        <button aria-current={tab === 'log' ? 'page' : undefined} onClick={() => setTab('log')}>Log contact</button>
      </nav>
    </div>
  )
}

function Flags({ board, teamId, canAct, onOpenCard }: { board: Board; teamId: string; canAct: boolean; onOpenCard: (clientId: string) => void }) {
  const [resolving, setResolving] = useState<string | null>(null)
  const [outcome, setOutcome] = useState('')
  const [error, setError] = useState<string | null>(null)
  const names = useMemo(() => new Map(board.clients.map((c) => [c.id, c.display_name])), [board])
  const tz = board.team.timezone
  // Redrawn every half minute, so a flag's NEW mark goes after its ten minutes.
  const [, setTick] = useState(0)
  useEffect(() => { const t = setInterval(() => setTick((n) => n + 1), 30_000); return () => clearInterval(t) }, [])
  const act = async (f: () => Promise<unknown>) => {
    setError(null)
    try { await f() } catch (e) { setError((e as Error).message) }
  }
  return (
    <section aria-label="Open crisis flags">
      <h2>Open flags</h2>
      {canAct && (
        <div class="raise-flag-bar">
          <RaiseFlagButton teamId={teamId} phone clients={board.clients} />
        </div>
      )}
      {error && <p class="error" role="alert">{error}</p>}
      {board.open_flags.length === 0 && <p class="muted">No open crisis flags.</p>}
      {board.open_flags.map((f) => (
        <article key={f.id} class={`item ${f.severity}${f.escalated_at ? ' escalated' : ''}`} data-testid="phone-flag">
          {f.escalated_at && <div class="esc-mark">ESCALATED {formatTeamTime(f.escalated_at, tz)}{unansweredWords(f, Date.now()) ? ` — ${unansweredWords(f, Date.now())}` : ''}</div>}
          <div>{isNewFlag(f, Date.now()) && <span class="new-mark" data-testid="new-mark">NEW</span>}<strong>{SEVERITY_WORD[f.severity]}</strong> · {CATEGORY_WORD[f.category] ?? f.category}</div>
          <div style={{ fontSize: '20px', fontWeight: 800 }}>{names.get(f.client_id) ?? 'client'}</div>
          <button type="button" class="link-button" onClick={() => onOpenCard(f.client_id)}>Client card (phone, crisis plan)</button>
          <div>{f.reason}</div>
          <div class="muted" data-testid="raised">{raisedWords(f, board.staff, tz, Date.now())}</div>
          <div class="muted">{respondingWords(f) ?? 'No one responding yet'}</div>
          {canAct && (resolving === f.id ? (
            <form onSubmit={(e) => { e.preventDefault(); void act(async () => { await api('POST', `/api/teams/${teamId}/flags/${f.id}/resolve`, { outcome } satisfies Schemas['Resolve']); setResolving(null); setOutcome('') }) }}>
              <label for={`outcome-${f.id}`}>Outcome</label>
              <textarea id={`outcome-${f.id}`} rows={3} required value={outcome} onInput={(e) => setOutcome((e.target as HTMLTextAreaElement).value)} />
              <div class="actions">
                <button type="button" onClick={() => setResolving(null)}>Cancel</button>
                <button class="primary" type="submit">Resolve flag</button>
              </div>
            </form>
          ) : (
            <div class="actions">
              <button class="primary" onClick={() => act(() => api('POST', `/api/teams/${teamId}/flags/${f.id}/acknowledge`))}>I'm responding</button>
              <button onClick={() => { setResolving(f.id); setOutcome('') }}>Resolve…</button>
            </div>
          ))}
        </article>
      ))}
      <AlertMe />
    </section>
  )
}

/**
 * Asks for the notification permission when the person chooses to (never on page load):
 * new emergency and urgent flags then also show as a system notification, even while the
 * app is locked. Nothing clinical is ever in one.
 */
function AlertMe() {
  const supported = typeof Notification !== 'undefined'
  const [permission, setPermission] = useState<NotificationPermission>(supported ? Notification.permission : 'denied')
  if (!supported) return null
  if (permission === 'default') {
    return (
      <button style={{ width: '100%' }} onClick={async () => setPermission(await Notification.requestPermission())}>
        Alert me on this phone
      </button>
    )
  }
  return (
    <p class="muted" data-testid="alert-permission">
      {permission === 'granted'
        ? 'This phone alerts you to new emergency and urgent flags and to emergencies escalated to you, also while locked.'
        : 'Notifications are blocked for actboard in this browser; the phone still vibrates while actboard is open.'}
    </p>
  )
}

const KINDS: [Schemas['Kind'], string][] = [['face_to_face', 'Face to face'], ['phone', 'Phone'], ['video', 'Video'], ['collateral', 'Collateral']]
const PLACES: [Schemas['Place'], string][] = [['community', 'Community'], ['home', 'Home'], ['office', 'Office'], ['hospital', 'Hospital'], ['other', 'Other']]
const ACTIVITIES = ['check-in', 'crisis response', 'medication', 'housing', 'transport', 'other']
const MINUTES = [10, 20, 30, 45, 60]

function Chips<T extends string>({ options, value, onPick, label }: { options: [T, string][]; value: T; onPick: (v: T) => void; label: string }) {
  return (
    <div class="chips" role="group" aria-label={label}>
      {options.map(([v, text]) => (
        <button type="button" key={v} aria-pressed={value === v} onClick={() => onPick(v)}>{text}</button>
      ))}
    </div>
  )
}

const OUTCOMES: [Schemas['ContactStatus'], string][] = [['completed', 'Reached'], ['attempted', 'Attempted, no answer']]

function LogContact({ board, team, session, queue, onQueued, online, onOpenCard }: { board: Board; team: MyTeam; session: Session; queue: QueuedContact[]; onQueued: (q: QueuedContact[]) => void; online: boolean; onOpenCard: (clientId: string) => void }) {
  const me = session.user.id
  const [search, setSearch] = useState('')
  const [clientId, setClientId] = useState<string | null>(null)
  const [kind, setKind] = useState<Schemas['Kind']>('face_to_face')
  const [place, setPlace] = useState<Schemas['Place']>('community')
  const [activity, setActivity] = useState('check-in')
  const [minutes, setMinutes] = useState('30')
  const [note, setNote] = useState('')
  const [result, setResult] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const tz = board.team.timezone
  const [status, setStatus] = useState<Schemas['ContactStatus']>('completed')
  const [at, setAt] = useState(() => formatTeamTime(new Date().toISOString(), tz))
  // The contact last saved on this phone only: its "saved on this phone" note goes once it is sent.
  const [savedId, setSavedId] = useState<string | null>(null)
  useEffect(() => {
    if (savedId && !queue.some((q) => q.id === savedId)) {
      setSavedId(null)
      setResult('Contact sent.')
    }
  }, [queue, savedId])
  const matches = search.trim().length < 1 ? [] : board.clients.filter((c) => c.display_name.toLowerCase().includes(search.trim().toLowerCase())).slice(0, 6)
  const chosen = board.clients.find((c) => c.id === clientId)

  const save = async (e: Event) => {
    e.preventDefault()
    setError(null)
    setResult(null)
    if (!clientId) { setError('Pick the client first.'); return }
    const now = new Date()
    const item: QueuedContact = {
      id: uuid(),
      teamId: team.team_id,
      author: { staffId: me, username: session.user.username },
      queuedAt: now.getTime(),
      body: {
        client_id: clientId, staff_ids: [me], day: teamDay(tz, now), start: at || formatTeamTime(now.toISOString(), tz),
        kind, place, activity, status, minutes: status === 'completed' ? Number(minutes) : undefined, note: note.trim() || undefined,
      },
    }
    // Into the queue first: if the answer is lost, the retry with the same id is harmless.
    onQueued(enqueue(localStorage, item))
    if (!online) {
      setSavedId(item.id)
      setResult('Saved on this phone — it will be sent when the network returns.')
    } else {
      const left = await flush(localStorage, me, sendContact)
      onQueued(left)
      const mineLeft = left.find((q) => q.id === item.id)
      if (!mineLeft) setResult('Contact logged.')
      else if (mineLeft.lastError) setError(mineLeft.lastError)
      else { setSavedId(item.id); setResult('Saved on this phone — it will be sent when the network returns.') }
    }
    setNote('')
    setStatus('completed')
    setAt(formatTeamTime(new Date().toISOString(), tz))
    setClientId(null)
    setSearch('')
  }

  return (
    <section aria-label="Log a contact">
      <h2>Log another contact</h2>
      <form onSubmit={save}>
        {chosen ? (
          <>
            <p style={{ fontSize: '19px' }}>Client: <strong>{chosen.display_name}</strong> <button type="button" onClick={() => setClientId(null)}>Change</button></p>
            <button type="button" class="link-button" onClick={() => onOpenCard(chosen.id)}>Client card (phone, address, crisis plan)</button>
            {/* A crisis during the visit: raise a flag for this client (components/RaiseFlag.tsx). */}
            {team.role !== 'viewer' && <div class="raise-flag-bar"><RaiseFlagButton teamId={team.team_id} phone client={{ id: chosen.id, display_name: chosen.display_name }} label={`⚑ Raise flag for ${chosen.display_name}`} /></div>}
          </>
        ) : (
          <>
            <label for="client-search">Client</label>
            <input id="client-search" type="search" placeholder="Type a name" autoComplete="off" value={search} onInput={(e) => setSearch((e.target as HTMLInputElement).value)} />
            <div class="results">
              {matches.map((c) => <button type="button" key={c.id} onClick={() => { setClientId(c.id); setSearch('') }}>{c.display_name}</button>)}
            </div>
          </>
        )}
        <label>Outcome</label>
        <Chips label="Outcome" options={OUTCOMES} value={status} onPick={setStatus} />
        <label for="log-at">Time</label>
        <input id="log-at" type="time" required value={at} onInput={(e) => setAt((e.target as HTMLInputElement).value)} />
        <label>Kind</label>
        <Chips label="Kind" options={KINDS} value={kind} onPick={setKind} />
        <label>Place</label>
        <Chips label="Place" options={PLACES} value={place} onPick={setPlace} />
        <label>What for</label>
        <Chips label="What for" options={ACTIVITIES.map((a) => [a, a])} value={activity} onPick={setActivity} />
        {status === 'completed' && <>
          <label>Minutes</label>
          <Chips label="Minutes" options={MINUTES.map((m) => [String(m), String(m)])} value={minutes} onPick={setMinutes} />
        </>}
        <label for="note">Short note (optional)</label>
        <textarea id="note" rows={2} maxLength={2000} value={note} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} />
        <div role="status" aria-live="polite">{result && <p class="notice" style={{ background: '#14532d', color: '#dcfce7' }}>{result}</p>}</div>
        {error && <p class="error" role="alert">{error}</p>}
        <button class="primary" type="submit" style={{ width: '100%', marginTop: '0.8rem', minHeight: '56px', fontSize: '18px' }}>Save contact</button>
      </form>
    </section>
  )
}
