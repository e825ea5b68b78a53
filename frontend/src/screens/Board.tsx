// The huddle board: the wall screen of the team room, read from four metres. Open crisis
// flags pinned on top, then every client; huddle mode steps through the roster one client
// at a time. Every change arrives live; a stale board looks stale.
import { awayShort, awayWords } from '../lib/episodes'
import { FidelitySlipping } from '../components/FidelitySlipping'
import { wallNames } from '../lib/wallNames'
import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import type { Session } from '../lib/session'
import { api, apiAll, type MyTeam, type Schemas } from '../lib/api'
import type { LiveView } from '../lib/useLive'
import { useTeamLive } from '../lib/liveScope'
import { navigate } from '../lib/router'
import { addDays, formatTeamTime, formatTeamWhen, longDay, teamDay } from '../lib/time'
import { CATEGORY_WORD, ConnectionBadge, RISK_WORD, SEVERITY_WORD, STATUS_WORD, TeamNav, shortName, staffName } from '../components/common'
import type { Board, BoardClient, ContactOut, FlagOut, HuddleFocus } from '../live/types'
import { huddleRunning, lastSeenWords } from '../live/model'
import { outWords } from '../lib/days'
import { countWords, huddleCountWords } from '../lib/counts'
import { ALERTING, NewFlagWatch, unansweredWords } from '../lib/alerts'
import { compareInstants } from '../live/time'
import { isNewFlag, raisedWords, respondingWords } from '../lib/flagWords'
import { beep, setSoundOn, soundBlocked, soundOn, unlock } from '../lib/sound'
import { RaiseFlagButton } from '../components/RaiseFlag'
import { ClientCardButton } from '../components/ClientCard'
import { CheckinRecorder } from '../components/Transition'
import { careCountWords, DUE_WORD, dueItems, dueSummary, OVERDUE_DAYS, type DueItem, type Gap } from '../lib/due'

export function BoardScreen({ team, session, huddle, onSignOut }: { team: MyTeam; session: Session; huddle: boolean; onSignOut: () => void }) {
  const live = useTeamLive(team.team_id)
  return (
    <>
      <TeamNav team={team} here={huddle ? 'huddle' : 'board'} onSignOut={onSignOut} />
      <Wall live={live} team={team} huddle={huddle} canReview={team.role !== 'viewer'} session={session} />
    </>
  )
}

export function useClock(tz: string): { day: string; time: string; ms: number } {
  const [now, setNow] = useState(new Date())
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), 10_000)
    return () => clearInterval(t)
  }, [])
  return { day: teamDay(tz, now), time: formatTeamTime(now.toISOString(), tz), ms: now.getTime() }
}

/** The contact age stands out at the server's threshold for the client's risk tier (board.contact_age_days). */
function sinceClass(c: BoardClient, limits: Board['contact_age_days']): string {
  if (c.days_since_contact == null) return 'since never'
  const limit = c.risk_tier === 'low' ? limits.low : c.risk_tier === 'medium' ? limits.medium : limits.high
  return c.days_since_contact >= limit ? 'since long' : 'since'
}

/** A roster row's care items due this week (the board's `due` list), overdue ones first and red. */
function CareTags({ board, clientId }: { board: Board; clientId: string }) {
  const mine = (board.due ?? []).filter((d) => d.client_id === clientId)
  if (mine.length === 0) return null
  return (
    <span class="care-tags" data-testid="care-due">
      {mine.map((d) => (
        <span key={`${d.kind}:${d.goal_id ?? d.checkin_id ?? ''}`} class={`due-tag${d.overdue ? ' late' : ''}`} data-kind={d.kind}>
          {DUE_WORD[d.kind]} {d.overdue ? 'OVERDUE' : `due ${d.due_on === board.day ? 'today' : shortDay(d.due_on)}`}
        </span>
      ))}
    </span>
  )
}

function shortDay(day: string): string {
  return longDay(day).split(' ').slice(0, 3).join(' ')
}

/** The wall's sound for new emergency and urgent flags: on or off, remembered on this device. */
function SoundToggle() {
  const [on, setOn] = useState(soundOn)
  const [blocked, setBlocked] = useState(soundBlocked)
  // The browser keeps audio off until the page is clicked once: any click unlocks it.
  useEffect(() => {
    const click = () => { void unlock().then((ok) => setBlocked(!ok)) }
    window.addEventListener('pointerdown', click)
    return () => window.removeEventListener('pointerdown', click)
  }, [])
  return (
    <button type="button" class="sound-toggle" aria-pressed={on} data-testid="sound-toggle"
      title={on && blocked ? 'Click anywhere once to let the browser play the beep' : 'A beep when a new emergency or urgent flag arrives'}
      onClick={() => { setSoundOn(!on); setOn(!on); void unlock().then((ok) => setBlocked(!ok)) }}>
      {on ? '♪ Sound on' : 'Sound off'}{on && blocked ? ' (click to allow)' : ''}
    </button>
  )
}

/** Compact roster (every client on one screen), remembered on this device. */
function useCompact(): [boolean, (v: boolean) => void] {
  const [compact, setCompact] = useState(() => localStorage.getItem('actboard.compact') === '1')
  return [compact, (v: boolean) => { localStorage.setItem('actboard.compact', v ? '1' : '0'); setCompact(v) }]
}

/** Beep for each emergency or urgent flag that was not open before (not for those already open). */
function useFlagSound(board: Board | null) {
  const watch = useRef(new NewFlagWatch())
  useEffect(() => {
    if (!board) return
    const fresh = watch.current.update(board.team.id, board.open_flags)
    const worst = fresh.find((f) => f.severity === 'emergency') ?? fresh.find((f) => ALERTING.has(f.severity))
    if (worst) beep(worst.severity)
  }, [board?.open_flags])
}

function visitLine(c: ContactOut, board: Board): string {
  const who = c.staff_ids.map((s) => shortName(staffName(board.staff, s))).join(' + ')
  const mark = c.status === 'completed' ? '✓ ' : c.status === 'missed' ? '✗ ' : c.status === 'cancelled' ? '⊘ ' : ''
  return `${mark}${c.start ?? 'any time'} ${who}`
}

export function Wall({ live, team, huddle, canReview, session, display }: { live: LiveView; team: Pick<MyTeam, 'team_id' | 'name' | 'timezone'>; huddle?: boolean; canReview?: boolean; session?: Session; display?: boolean }) {
  const board = live.model?.board ?? null
  const tz = board?.team.timezone ?? team.timezone
  const clock = useClock(tz)
  const [compact, setCompact] = useCompact()
  useFlagSound(board)
  const canAct = !!session && !!canReview && !display
  // The quick card (phone number, crisis plan) for anyone signed in; never on a wall display.
  const canCard = !!session && !display
  if (!board) {
    return (
      <main class="wall">
        <header class="wall-head"><h1>{team.name}</h1><ConnectionBadge state={live.state} since={live.lastCurrentAt} tz={tz} /></header>
        <p style={{ padding: '2rem', fontSize: '30px' }}>{live.state === 'forbidden' ? 'This screen has no access to the board.' : 'Loading the board…'}</p>
      </main>
    )
  }
  const onCall = board.on_call
  const overdue = board.handoffs.filter((h) => !h.acknowledged_at && Date.parse(h.due_at) < Date.now())
  const notToday = board.day !== clock.day
  return (
    <main class={`wall${live.stale ? ' stale' : ''}${display ? ' display' : ''}`} aria-busy={live.state !== 'live'}>
      {live.stale && live.lastCurrentAt && (
        <div class="stale-banner" role="alert">Not live since {formatTeamTime(new Date(live.lastCurrentAt).toISOString(), tz)} — this board may be out of date</div>
      )}
      <header class="wall-head">
        <h1>{board.team.name}</h1>
        <span class="when">{longDay(board.day)} · {clock.time}</span>
        <span class="oncall" data-testid="oncall">
          On call: {onCall ? <strong>{onCall.staff_name} until {formatTeamWhen(onCall.ends_at, tz, clock.ms)}</strong> : <strong>nobody</strong>}
          {onCall && board.staff.find((s) => s.id === onCall.staff_id)?.absent_today && <strong class="oncall-out"> (recorded out today)</strong>}
        </span>
        {overdue.length > 0 && (
          <span class="overdue" role="alert">⚠ Handoff not acknowledged ({overdue.map((h) => staffName(board.staff, h.to_staff_id)).join(', ')})</span>
        )}
        <span class="reviewed" data-testid="reviewed">{board.reviewed_count} / {board.roster_count} reviewed</span>
        {board.due_counts && board.due_counts.due > 0 && (
          <span class={`care-count${board.due_counts.overdue ? ' late' : ''}`} data-testid="care-count">
            Care items: {board.due_counts.due} due this week{board.due_counts.overdue ? <strong> · {board.due_counts.overdue} OVERDUE</strong> : ''}
          </span>
        )}
        <span class="updated">
          <ConnectionBadge state={live.state} since={live.lastCurrentAt} tz={tz} />
          {live.lastCurrentAt && <span data-testid="updated"> updated {formatTeamTime(new Date(live.lastCurrentAt).toISOString(), tz)}</span>}
        </span>
        <span class="wall-tools">
          <SoundToggle />
          {!display && !huddle && (
            <button type="button" aria-pressed={compact} data-testid="compact-toggle" onClick={() => setCompact(!compact)}>
              {compact ? '☰ Compact: on' : '☰ Compact: off'}
            </button>
          )}
        </span>
      </header>
      {notToday && <div class="notice" style={{ margin: 0, borderRadius: 0, fontSize: '24px' }}>Showing {longDay(board.day)}, not today.</div>}
      <OutToday board={board} />
      {/* The huddle and the compact board keep flags to one row, the rest behind "+N more". */}
      <FlagStrip board={board} nowMs={clock.ms} tz={tz} oneRow={(!!huddle && !!session) || (compact && !display)} canCard={canCard} />
      {huddle && session ? (
        <Huddle board={board} tz={tz} canReview={!!canReview} changed={live.changed} nowMs={clock.ms} />
      ) : display && huddleRunning(board.huddle_focus, Date.now()) && focusedClient(board) ? (
        <FocusCard board={board} client={focusedClient(board)!} nowMs={clock.ms} />
      ) : (
        <Roster board={board} changed={live.changed} display={display} compact={compact && !display} canAct={canAct} canCard={canCard} />
      )}
    </main>
  )
}

/** Who is out on the board's day, and who covers (never why: a wall may show this). */
function OutToday({ board }: { board: Board }) {
  const out = board.staff.filter((s) => s.absent_today)
  if (out.length === 0) return null
  return (
    <section class="out-today" aria-label="Out today" data-testid="out-today">
      {out.map((s) => (
        <span key={s.id} class="out-person" data-testid="out-person">
          <strong>{s.display_name}</strong>{' '}
          {outWords(s.absent_today!, board.day, board.day, s.absent_today!.covered_by ? staffName(board.staff, s.absent_today!.covered_by) : null)}
        </span>
      ))}
    </section>
  )
}

/** At most this many flags in the huddle's single row; the rest behind "+N more". */
const ONE_ROW = 5

function FlagStrip({ board, nowMs, tz, oneRow, canCard }: { board: Board; nowMs: number; tz: string; oneRow?: boolean; canCard?: boolean }) {
  const names = useMemo(() => wallNames(board.clients, board.privacy), [board])
  const [more, setMore] = useState(false)
  const flags = board.open_flags
  const shown = oneRow && flags.length > ONE_ROW ? flags.slice(0, ONE_ROW - 1) : flags
  const rest = flags.slice(shown.length)
  const card = (f: FlagOut, small: boolean) => (
    <FlagCard key={f.id} f={f} board={board} name={names.get(f.client_id) ?? f.initials ?? 'client'} nowMs={nowMs} tz={tz} small={small} canCard={canCard} />
  )
  return (
    <section class={`flags${oneRow ? ' one-row' : ''}`} aria-label="Open crisis flags" aria-live="assertive">
      {flags.length === 0 ? (
        <span style={{ fontSize: '24px', color: '#166534', fontWeight: 700 }}>No open crisis flags</span>
      ) : (
        <>
          {shown.map((f) => card(f, !!oneRow))}
          {rest.length > 0 && (
            <div class="more-flags">
              <button type="button" aria-expanded={more} data-testid="more-flags" onClick={() => setMore(!more)}>
                {more ? 'Hide' : `+${rest.length} more`}
                {!more && <span class="more-sev">{rest.filter((f) => f.severity === 'emergency').length ? ` (${rest.filter((f) => f.severity === 'emergency').length} emergency)` : ''}</span>}
              </button>
              {more && <div class="more-list" role="region" aria-label="More open flags">{rest.map((f) => card(f, true))}</div>}
            </div>
          )}
        </>
      )}
    </section>
  )
}

/** One open flag: severity and category, NEW, the client, when and by whom, who responds. */
function FlagCard({ f, board, name, nowMs, tz, small, canCard }: { f: FlagOut; board: Board; name: string; nowMs: number; tz: string; small?: boolean; canCard?: boolean }) {
  const fresh = isNewFlag(f, nowMs)
  const responding = respondingWords(f)
  return (
    <article class={`flag ${f.severity}${f.escalated_at ? ' escalated' : ''}${fresh ? ' new' : ''}${small ? ' small' : ''}`} data-testid="flag">
      {f.escalated_at && (
        <div class="esc" data-testid="escalated">
          ESCALATED {formatTeamTime(f.escalated_at, tz)}{unansweredWords(f, nowMs) ? ` — ${unansweredWords(f, nowMs)}` : ''}
        </div>
      )}
      <div class="sev">
        {fresh && <span class="new-mark" data-testid="new-mark">NEW</span>}
        {SEVERITY_WORD[f.severity] ?? f.severity} · <span class="cat">{CATEGORY_WORD[f.category] ?? f.category}</span>
      </div>
      <div class="who-line">
        <div class="who">{name}</div>
        {canCard && <ClientCardButton teamId={board.team.id} client={{ id: f.client_id, display_name: name }} board={board} compact label="☎ Card" />}
      </div>
      {!small && f.reason && <div class="reason">{f.reason}</div>}
      <div class="raised" data-testid="raised">{raisedWords(f, board.staff, tz, nowMs, board.privacy === 'initials')}</div>
      {/* An escalated flag's mark already says nobody is responding. */}
      {(responding || !f.escalated_at) && (
        <div class={`resp${responding ? '' : ' none'}`}>{responding ?? 'No one responding yet'}</div>
      )}
    </article>
  )
}

function Roster({ board, changed, display, compact, canAct, canCard }: { board: Board; changed: Set<string>; display?: boolean; compact?: boolean; canAct?: boolean; canCard?: boolean }) {
  const labels = useMemo(() => wallNames(board.clients, board.privacy), [board])
  const ref = useRef<HTMLElement>(null)
  const [page, setPage] = useState({ at: 1, of: 1 })
  // The wall display pages through the roster by itself (nobody scrolls a wall).
  useEffect(() => {
    if (!display) return
    const measure = () => {
      const el = ref.current
      if (el) setPage({ at: Math.round(el.scrollTop / el.clientHeight) + 1, of: Math.max(1, Math.ceil(el.scrollHeight / el.clientHeight)) })
    }
    const first = setTimeout(measure, 500)
    const t = setInterval(() => {
      const el = ref.current
      if (!el) return
      const pages = Math.max(1, Math.ceil(el.scrollHeight / el.clientHeight))
      const next = el.scrollTop + el.clientHeight >= el.scrollHeight - 4 ? 0 : el.scrollTop + el.clientHeight
      el.scrollTo({ top: next, behavior: 'smooth' })
      setPage({ at: Math.round(next / el.clientHeight) + 1, of: pages })
    }, 20_000)
    return () => { clearInterval(t); clearTimeout(first) }
  }, [display])
  return (
    <>
      {display && <div class="pager" aria-hidden="true">Page {page.at} of {page.of}</div>}
      <section ref={ref} class={`roster${display ? ' paged' : ''}${compact ? ' compact' : ''}`} aria-label="Clients" data-testid="roster">
        {board.clients.map((c) => (
          <article key={c.id} class={`row${changed.has(c.id) ? ' changed' : ''}`} data-testid="client-row">
            <div class={`tick${c.reviewed ? '' : ' no'}`} title={c.reviewed ? 'Reviewed today' : 'Not reviewed yet'}>
              {c.reviewed ? '✓' : '·'}<span class="sr-only">{c.reviewed ? 'reviewed' : 'not reviewed'}</span>
            </div>
            <div class="name">
              {display ? <span class="n">{labels.get(c.id) ?? c.display_name}</span> : (
                <a class="n" href={`/teams/${board.team.id}/clients/${c.id}`} onClick={(e) => { e.preventDefault(); navigate(`/teams/${board.team.id}/clients/${c.id}`) }}>{c.display_name}</a>
              )}
              <span class={`risk ${c.risk_tier}`}>{RISK_WORD[c.risk_tier]}</span>
            </div>
            <div class="visits">
              {c.open_flags.length > 0 && <strong class={`sevword ${c.open_flags[0].severity}`}>{SEVERITY_WORD[c.open_flags[0].severity]} · </strong>}
              {c.away && <><span class="away" data-testid="away">{awayShort(c.away)}</span>{' '}</>}
              <span class={sinceClass(c, board.contact_age_days)}>{lastSeenWords(c.days_since_contact)}</span> · <span data-testid="counts">{countWords(c)}</span> ·{' '}
              {c.today.length ? c.today.map((v) => visitLine(v, board)).join('  ·  ') : <span style={{ color: '#4b5563' }}>no visit today</span>}
              <CareTags board={board} clientId={c.id} />
            </div>
            {(canAct || canCard) && (
              <div class="row-act">
                {canCard && <ClientCardButton teamId={board.team.id} client={{ id: c.id, display_name: c.display_name }} board={board} compact label={compact ? '☎' : '☎ Card'} />}
                {canAct && <RaiseFlagButton teamId={board.team.id} client={{ id: c.id, display_name: c.display_name }} compact label={compact ? '⚑' : '⚑ Flag'} />}
              </div>
            )}
          </article>
        ))}
      </section>
    </>
  )
}

/** The client the team's huddle is on (shared by every screen), if it is on the roster. */
function focusedClient(board: Board): BoardClient | undefined {
  const id = board.huddle_focus?.client_id
  return id ? board.clients.find((c) => c.id === id) : undefined
}

function Huddle({ board, tz, canReview, changed, nowMs }: { board: Board; tz: string; canReview: boolean; changed: Set<string>; nowMs: number }) {
  // The client on screen, by id: the roster re-sorts (a new flag moves its client up), so a
  // position would silently drift to someone else. Starts where a running huddle is.
  const [focusId, setFocusId] = useState<string | null>(() => (huddleRunning(board.huddle_focus, Date.now()) ? (board.huddle_focus!.client_id ?? null) : null))
  const [around, setAround] = useState<ContactOut[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const lastIndex = useRef(0)
  const found = board.clients.findIndex((c) => c.id === focusId)
  // A client who left the roster: stay at the same place in it.
  const index = found >= 0 ? found : Math.max(0, Math.min(lastIndex.current, board.clients.length - 1))
  lastIndex.current = index
  const client = board.clients[index]

  // Steps go to the server one at a time, so the last click is the last focus; while ours are
  // on their way, and for our own (older) echoes, other focus events are not followed.
  const chain = useRef<Promise<unknown>>(Promise.resolve())
  const inflight = useRef(0)
  const ownAt = useRef<string | null>(null)
  const boardRef = useRef(board)
  boardRef.current = board
  const follow = (f: HuddleFocus | null | undefined) => {
    // A focus left from a huddle nobody ended (15 minutes idle) is not followed.
    if (!f || !huddleRunning(f, Date.now()) || inflight.current > 0) return
    if (ownAt.current && compareInstants(f.at, ownAt.current) <= 0) return
    setFocusId(f.client_id ?? null)
  }
  useEffect(() => follow(board.huddle_focus), [board.huddle_focus?.client_id, board.huddle_focus?.at])

  // Step this screen, and with it every screen of the team (the wall display too).
  const indexRef = useRef(index)
  indexRef.current = index
  const focusIdRef = useRef<string | undefined>(client?.id)
  focusIdRef.current = client?.id
  const send = (client_id: string | null) => {
    const b = boardRef.current
    inflight.current++
    chain.current = chain.current
      .then(() => api<HuddleFocus>('PUT', `/api/teams/${b.team.id}/huddle/${b.day}/focus`, { client_id } satisfies Schemas['FocusIn']))
      .then((f) => { ownAt.current = f.at })
      .catch((e) => setError((e as Error).message))
      .finally(() => {
        inflight.current--
        follow(boardRef.current.huddle_focus) // someone else may have stepped meanwhile
      })
  }
  const go = (i: number) => {
    const b = boardRef.current
    const n = Math.max(0, Math.min(i, b.clients.length - 1))
    const c = b.clients[n]
    if (!c) return
    // Already there (Next on the last client, Previous on the first): no step to announce.
    if (c.id === focusIdRef.current) return
    indexRef.current = n
    setFocusId(c.id)
    if (canReview) send(c.id)
  }
  const endHuddle = () => send(null)

  const review = async () => {
    if (!client || !canReview) return
    setError(null)
    try {
      await api('PUT', `/api/teams/${board.team.id}/huddle/${board.day}/reviews/${client.id}`)
      go(indexRef.current + 1)
    } catch (e) {
      setError((e as Error).message)
    }
  }
  // A review marked by mistake (a key pressed twice): take it back for the client on screen.
  const [undoing, setUndoing] = useState(false)
  const undoReview = async () => {
    if (!client || !canReview || undoing) return
    setError(null)
    setUndoing(true)
    try {
      await api('DELETE', `/api/teams/${board.team.id}/huddle/${board.day}/reviews/${client.id}`)
    } catch (e) {
      setError((e as Error).message)
    } finally {
      setUndoing(false)
    }
  }

  // One listener for the screen's life; it reads the current client through a ref, so a
  // key pressed right after a step acts on the client on screen.
  const reviewRef = useRef(review)
  reviewRef.current = review
  const goRef = useRef(go)
  goRef.current = go
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const tag = (e.target as HTMLElement)?.tagName
      if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT') return
      // Keys typed into a dialog (raising a flag) are not huddle steps.
      if (document.querySelector('[role=dialog]')) return
      if (e.key === 'ArrowDown' || e.key === 'ArrowRight') { goRef.current(indexRef.current + 1); e.preventDefault() }
      if (e.key === 'ArrowUp' || e.key === 'ArrowLeft') { goRef.current(indexRef.current - 1); e.preventDefault() }
      if (e.key === ' ' || e.key === 'Enter') {
        if (tag === 'BUTTON') return // the focused button handles it
        void reviewRef.current()
        e.preventDefault()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  // The last 24 h and the next 24 h of this client's contacts.
  useEffect(() => {
    if (!client) return
    setAround(null)
    const from = addDays(board.day, -1)
    const to = addDays(board.day, 1)
    apiAll<ContactOut>(`/api/teams/${board.team.id}/contacts?client_id=${client.id}&from=${from}&to=${to}`)
      .then(setAround)
      .catch((e) => setError((e as Error).message))
  }, [client?.id, changed.has(client?.id ?? '')])

  const due = useDue(board, nowMs)
  if (!client) return <p style={{ padding: '2rem', fontSize: '30px' }}>No clients on the roster.</p>
  const now = Date.now()
  const past = (around ?? []).filter((c) => c.status !== 'planned' && now - Date.parse(c.occurred_at) <= 86_400_000 && Date.parse(c.occurred_at) <= now)
  const next = (around ?? []).filter((c) => c.status === 'planned' && Date.parse(c.occurred_at) - now <= 86_400_000 && Date.parse(c.occurred_at) >= now - 3_600_000)
  const line = (c: ContactOut) => `${formatTeamWhen(c.occurred_at, tz, nowMs)} — ${c.activity} (${c.kind.replace(/_/g, ' ')}, ${c.place}) with ${c.staff_ids.map((s) => staffName(board.staff, s)).join(', ')}${c.status === 'missed' ? ' — MISSED' : ''}`
  return (
    <section class="huddle" aria-label="Huddle">
      <article class="focus-card" aria-live="polite">
        {canReview && <FidelitySlipping teamId={board.team.id} />}
        <div class="keys">Client {index + 1} of {board.clients.length} · ↑↓ to step · Space marks reviewed</div>
        {/* The controls come first, so no amount of flags or contacts pushes them off the screen. */}
        <div class="huddle-controls" data-testid="huddle-controls">
          <button onClick={() => go(index - 1)}>← Previous</button>
          <button class="primary" onClick={review} disabled={!canReview}>
            {client.reviewed ? '✓ Reviewed — next' : 'Mark reviewed'}
          </button>
          <button onClick={() => go(index + 1)}>Next →</button>
          {canReview && client.reviewed && (
            <button onClick={undoReview} disabled={undoing} data-testid="undo-review">↶ Undo review</button>
          )}
          {canReview && <RaiseFlagButton teamId={board.team.id} client={{ id: client.id, display_name: client.display_name }} />}
          <ClientCardButton teamId={board.team.id} client={{ id: client.id, display_name: client.display_name }} board={board} label="☎ Quick card" />
          {canReview && huddleRunning(board.huddle_focus, Date.now()) && (
            <button onClick={endHuddle} style={{ marginLeft: 'auto' }} title="The wall display goes back to the whole board">End huddle</button>
          )}
        </div>
        {error && <p class="error" role="alert">{error}</p>}
        <ClientSummary board={board} client={client} size={24} nowMs={nowMs} />
        <ClientDue board={board} items={due.items.filter((d) => d.client_id === client.id)} size={24} />
        <h3>Last 24 hours</h3>
        {around === null ? <p>Loading…</p> : past.length ? <ul>{past.map((c) => <li key={c.id}>{line(c)}</li>)}</ul> : <p style={{ fontSize: '24px' }}>No contact ({lastSeenWords(client.days_since_contact)}).</p>}
        <h3>Next 24 hours</h3>
        {around === null ? <p>Loading…</p> : next.length ? <ul>{next.map((c) => <li key={c.id}>{line(c)}</li>)}</ul> : <p style={{ fontSize: '24px' }}>Nothing planned.</p>}
      </article>
      <div class="huddle-side">
        <DuePanel board={board} due={due} canRecord={canReview} onClient={(id) => go(board.clients.findIndex((c) => c.id === id))} />
        <nav class="huddle-list card" aria-label="Roster">
          {board.clients.map((c, i) => (
            <button key={c.id} class={i === index ? 'current' : ''} aria-current={i === index ? 'true' : undefined} onClick={() => go(i)}>
              {c.reviewed ? '✓' : '·'} {c.display_name}{c.open_flags.length ? ` ${SEVERITY_WORD[c.open_flags[0].severity]}` : ''}{c.away ? ' · away' : ''}
            </button>
          ))}
        </nav>
      </div>
    </section>
  )
}

/** The head of a huddle card: name and risk, status line, open flags with who raised and who responds. */
function ClientSummary({ board, client, size, nowMs }: { board: Board; client: BoardClient; size: number; nowMs: number }) {
  const tz = board.team.timezone
  return (
    <>
      <h2>{wallNames(board.clients, board.privacy).get(client.id) ?? client.display_name} <span class={`risk ${client.risk_tier}`} style={{ fontSize: '26px' }}>{RISK_WORD[client.risk_tier]}</span></h2>
      {client.away && <p class="away big" style={{ fontSize: `${size}px` }} data-testid="huddle-away">{awayWords(client.away)}</p>}
      <div style={{ fontSize: `${size}px` }} data-testid="client-status">
        {STATUS_WORD[client.status] ?? client.status} · primary contact {staffName(board.staff, client.case_manager_id)} · {lastSeenWords(client.days_since_contact)} · {huddleCountWords(client)}
      </div>
      {client.open_flags.map((f) => (
        <p key={f.id} class="error" style={{ fontSize: `${size}px` }} data-testid="client-flag">
          {isNewFlag(f, nowMs) && <span class="new-mark">NEW</span>}
          {f.escalated_at ? 'ESCALATED · ' : ''}{SEVERITY_WORD[f.severity]} · {CATEGORY_WORD[f.category] ?? f.category}{f.reason ? `: ${f.reason}` : ''}
          {' '}— {raisedWords(f, board.staff, tz, nowMs, board.privacy === 'initials')} — {respondingWords(f) ?? 'no one responding yet'}
        </p>
      ))}
    </>
  )
}

/** The wall display during the huddle: the client the team is on, read-only, from four metres. */
function FocusCard({ board, client, nowMs }: { board: Board; client: BoardClient; nowMs: number }) {
  const at = board.clients.indexOf(client)
  return (
    <section class="huddle display-focus" aria-label="Huddle">
      <article class="focus-card" aria-live="polite" data-testid="huddle-focus">
        <div class="keys">Huddle · client {at + 1} of {board.clients.length}</div>
        <ClientSummary board={board} client={client} size={26} nowMs={nowMs} />
        <ClientDue board={board} items={dueItems(board, [], [], nowMs).filter((d) => d.client_id === client.id)} size={26} />
        <h3>Today</h3>
        {client.today.length ? <ul>{client.today.map((v) => <li key={v.id}>{visitLine(v, board)}</li>)}</ul> : <p style={{ fontSize: '26px' }}>No visit planned today.</p>}
      </article>
    </section>
  )
}

interface Due { items: DueItem[]; error: string | null }

/**
 * What is due for the team (lib/due.ts), kept current: the board is live; the planned visits
 * of the last week and the on-call gaps of today and tomorrow are read again a moment after
 * any change to the team (and every five minutes, as the clock moves on).
 */
function useDue(board: Board, nowMs: number): Due {
  const [earlier, setEarlier] = useState<ContactOut[]>([])
  const [gaps, setGaps] = useState<Gap[]>([])
  const [error, setError] = useState<string | null>(null)
  const [tick, setTick] = useState(0)
  useEffect(() => {
    const t = setInterval(() => setTick((n) => n + 1), 300_000)
    return () => clearInterval(t)
  }, [])
  const team = board.team.id
  const today = teamDay(board.team.timezone, new Date(nowMs))
  useEffect(() => {
    let gone = false
    const t = setTimeout(() => {
      Promise.all([
        api<ContactOut[]>('GET', `/api/teams/${team}/contacts?from=${addDays(board.day, -OVERDUE_DAYS)}&to=${addDays(board.day, -1)}&status=planned&limit=1000`),
        api<{ gaps: Gap[] }>('GET', `/api/teams/${team}/oncall/coverage?from=${today}&to=${addDays(today, 1)}`),
      ]).then(([e, c]) => {
        if (gone) return
        setEarlier(e)
        setGaps(c.gaps)
        setError(null)
      }, (e) => { if (!gone) setError((e as Error).message) })
    }, 800)
    return () => { gone = true; clearTimeout(t) }
  }, [team, board.day, today, board.seq, tick])
  return { items: useMemo(() => dueItems(board, earlier, gaps, nowMs), [board, earlier, gaps, nowMs]), error }
}

/** The few words of one due item: time, what, who (the client is named by the caller). */
function dueLine(d: DueItem, board: Board): string {
  const who = d.staff_ids.map((s) => shortName(staffName(board.staff, s))).join(' + ')
  return `${d.when} · ${d.what}${who ? ` · ${who}` : ''}`
}

function DueTag({ d }: { d: DueItem }) {
  return <span class={`due-tag ${d.overdue ? 'late' : d.kind}`}>{d.overdue ? (d.kind === 'oncall_gap' ? 'NOW' : 'OVERDUE') : DUE_WORD[d.kind]}</span>
}

/** The team's due items in the huddle's side column: a client's item steps to that client. */
function DuePanel({ board, due, canRecord, onClient }: { board: Board; due: Due; canRecord: boolean; onClient: (clientId: string) => void }) {
  const names = useMemo(() => new Map(board.clients.map((c) => [c.id, c.display_name])), [board])
  return (
    <section class="due-panel card" aria-label="Due today" data-testid="due-panel" tabIndex={0}>
      <h2>Due {board.day === teamDay(board.team.timezone) ? 'today' : longDay(board.day)} <span class="due-sum" data-testid="due-summary">{dueSummary(due.items)}</span></h2>
      {due.error && <p class="error" role="alert">{due.error}</p>}
      {board.privacy === 'initials' && careCountWords(board.due_counts) && <p class="due-item" data-testid="care-counts">{careCountWords(board.due_counts)}</p>}
      {due.items.length > 0 && (
        <ul>
          {due.items.map((d) => (
            <li key={d.key} class={`due-item${d.overdue ? ' late' : ''}`} data-testid="due-item" data-kind={d.kind}>
              <DueTag d={d} />{' '}
              {d.client_id && names.has(d.client_id) ? (
                <button type="button" class="link-button" onClick={() => onClient(d.client_id!)}>{names.get(d.client_id)}</button>
              ) : d.client_id && d.page ? (
                <a class="link-button" href={`/teams/${board.team.id}/clients/${d.client_id}`} onClick={(e) => { e.preventDefault(); navigate(`/teams/${board.team.id}/clients/${d.client_id}`) }}>{d.name || 'a client'}</a>
              ) : d.client_id ? <strong>{d.name || 'a client'}</strong> : null}
              {d.client_id ? ' · ' : ''}{dueLine(d, board)}
              {/* A check-in is recorded here too: the client may be on another team now. */}
              {canRecord && d.kind === 'checkin' && d.checkin_id && d.client_id && (
                <CheckinRecorder teamId={board.team.id} clientId={d.client_id} checkinId={d.checkin_id} label={`Record check-in for ${d.name ?? 'the client'}`} />
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

/** The client on screen: what is due for them (handoff actions, overdue and recurring visits). */
function ClientDue({ board, items, size }: { board: Board; items: DueItem[]; size: number }) {
  if (items.length === 0) return null
  return (
    <ul class="client-due" data-testid="client-due" aria-label="Due for this client" style={{ fontSize: `${size}px` }}>
      {items.map((d) => <li key={d.key} data-testid="client-due-item" data-kind={d.kind}><DueTag d={d} /> {dueLine(d, board)}</li>)}
    </ul>
  )
}
