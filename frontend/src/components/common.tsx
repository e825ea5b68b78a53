import type { LiveState } from '../live/client'
import type { MyTeam } from '../lib/api'
import { navigate } from '../lib/router'
import { formatTeamTime, formatTeamWhen } from '../lib/time'
import { useTeamLiveMaybe } from '../lib/liveScope'
import { useSession } from '../lib/session'
import '../rota.css'

const STATE_WORDS: Record<LiveState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
  forbidden: 'No access',
  closed: 'Closed',
}

/** The badge's words: "offline" is either this device without a network or a server that
 * does not answer (the device is online), and the two call for different actions. */
export function stateWords(state: LiveState, deviceOnline: boolean | null): string {
  if (state === 'offline') return deviceOnline === false ? 'Offline (no network)' : 'Server not answering — retrying'
  return STATE_WORDS[state]
}

export function ConnectionBadge({ state, since, tz }: { state: LiveState; since: number | null; tz: string }) {
  const cls = state === 'live' ? 'live' : state === 'offline' || state === 'forbidden' ? 'offline' : 'reconnecting'
  return (
    <span class={`conn ${cls}`} role="status" aria-live="polite" data-testid="connection">
      <span aria-hidden="true">{state === 'live' ? '●' : '○'}</span>
      {stateWords(state, typeof navigator === 'undefined' ? null : navigator.onLine)}
      {state !== 'live' && since ? ` — not live since ${formatTeamTime(new Date(since).toISOString(), tz)}` : ''}
    </span>
  )
}

export function Link({ href, children, current }: { href: string; children: preact.ComponentChildren; current?: boolean }) {
  return (
    <a href={href} aria-current={current ? 'page' : undefined} onClick={(e) => { e.preventDefault(); navigate(href) }}>
      {children}
    </a>
  )
}

/** The two pages of results: outcomes before and after enrolment, and fidelity (DACTS). */
export function ResultsTabs({ team, here }: { team: Pick<MyTeam, 'team_id'>; here: 'outcomes' | 'fidelity' }) {
  const base = `/teams/${team.team_id}`
  return (
    <nav class="tabs" aria-label="Results">
      <Link href={`${base}/outcomes`} current={here === 'outcomes'}>Outcomes before and after enrolment</Link>
      <Link href={`${base}/fidelity`} current={here === 'fidelity'}>Fidelity (DACTS)</Link>
    </nav>
  )
}

export function TeamNav({ team, here, onSignOut, children }: { team: MyTeam; here: string; onSignOut: () => void; children?: preact.ComponentChildren }) {
  const base = `/teams/${team.team_id}`
  const isAdmin = useSession()?.user.is_admin
  return (
    <nav class="topbar" aria-label="Team">
      <strong>{team.name}</strong>
      <Link href={`${base}/board`} current={here === 'board'}>Board</Link>
      <Link href={`${base}/board?huddle=1`} current={here === 'huddle'}>Huddle</Link>
      <Link href={`${base}/oncall`} current={here === 'oncall'}>On call</Link>
      <Link href={`${base}/planner`} current={here === 'planner'}>Planner</Link>
      <Link href={`${base}/rota`} current={here === 'rota'}>Rota</Link>
      {team.role !== 'viewer' && <Link href={`${base}/referrals`} current={here === 'referrals'}>Referrals</Link>}
      <Link href={`${base}/outcomes`} current={here === 'outcomes' || here === 'fidelity'}>Outcomes</Link>
      {team.role !== 'viewer' && <Link href={`${base}/handoff/new`} current={here === 'handoff'}>Write handoff</Link>}
      <Link href={`${base}/settings`} current={here === 'settings'}>Settings</Link>
      <Link href="/">Teams</Link>
      {isAdmin && <Link href="/admin">Admin</Link>}
      <span class="spacer" />
      <OnCallNow team={team} />
      {children}
      <Link href="/account/password">My password</Link>
      <button class="link" onClick={onSignOut}>Sign out</button>
    </nav>
  )
}

/**
 * "On call: Casey M. until 09:00 · next: Sam O." from the team's live board (the live model
 * keeps `on_call`/`on_call_next` current); "No one on call now" in red when nobody is.
 */
export function OnCallNow({ team }: { team: Pick<MyTeam, 'team_id' | 'timezone'> }) {
  const board = useTeamLiveMaybe(team.team_id)?.model?.board
  if (!board) return null
  const tz = board.team.timezone ?? team.timezone
  const now = board.on_call
  const next = board.on_call_next
  return (
    <span class={`oncall-now${now ? '' : ' none'}`} data-testid="oncall-now">
      {now ? <>On call: <strong>{shortName(now.staff_name)}</strong> until {formatTeamWhen(now.ends_at, tz)}</> : <strong>⚠ No one on call now</strong>}
      {next && <> · next: {shortName(next.staff_name)}{now ? '' : ` from ${formatTeamWhen(next.starts_at, tz)}`}</>}
    </span>
  )
}

/** A client's status in words (every status the server has, `declined` too). */
export const STATUS_WORD: Record<string, string> = {
  referred: 'referred', screening: 'in screening', active: 'active', transitioning: 'transitioning',
  discharged: 'discharged', declined: 'declined after screening',
}

export const RISK_WORD: Record<string, string> = { high: '▲ HIGH', medium: '◆ MED', low: '○ LOW' }
export const SEVERITY_WORD: Record<string, string> = { emergency: '⚠ EMERGENCY', urgent: '! URGENT', watch: '◔ WATCH' }

export const CATEGORY_WORD: Record<string, string> = {
  self_harm: 'Self-harm',
  harm_to_others: 'Harm to others',
  medical: 'Medical',
  medication: 'Medication',
  housing: 'Housing',
  missing: 'Missing',
  hospital: 'Hospital',
  legal: 'Legal',
  other: 'Other',
}

/**
 * Everyone responding to a flag, in order, or null when nobody is. A privacy
 * display receives responders' initials only (no display names).
 */
export function respondersWords(f: { responders?: { initials: string; display_name?: string }[] }): string | null {
  const rs = f.responders ?? []
  return rs.length ? rs.map((r) => r.display_name ?? r.initials).join(', ') : null
}

export function staffName(staff: { id: string; display_name: string }[], id: string | null | undefined): string {
  if (!id) return '—'
  return staff.find((s) => s.id === id)?.display_name ?? 'someone'
}

/** "Sam O." — short names for visit lines on the wall. */
export function shortName(full: string): string {
  const parts = full.replace(/^Dr\.\s*/, 'Dr ').split(/\s+/)
  if (parts.length < 2) return full
  return `${parts.slice(0, -1).join(' ')} ${parts[parts.length - 1][0]}.`
}
