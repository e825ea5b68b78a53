// The lock screen: shown instead of any signed-in screen after 15 minutes without input.
// The screen underneath is unmounted, so no client name or clinical text is in the page;
// the live connection stays open above it (LiveScope), and all this shows of the board is
// the number of open crisis flags by severity. A new emergency or urgent flag vibrates the
// phone and, where allowed, shows a system notification (severity and team only); so does
// an emergency escalated to the person signed in (without a name).
// Unlocking takes the password; "Not you? Sign out" is the only other way out.
import { useEffect, useRef, useState } from 'preact/hooks'
import { verifyPassword, type MyTeam } from '../lib/api'
import type { Session } from '../lib/session'
import { useAllEscalations, useLiveViews } from '../lib/liveScope'
import type { LiveView } from '../lib/useLive'
import { NewFlagWatch, SEVERITIES, alertDevice, countBySeverity, flagWords, unansweredWords, type Severity } from '../lib/alerts'
import { formatTeamTime } from '../lib/time'
import { ConnectionBadge } from '../components/common'

const MARK: Record<Severity, string> = { emergency: '⚠', urgent: '!', watch: '◔' }

export function LockScreen({ session, teams, onUnlocked, onSignOut }: { session: Session; teams: MyTeam[]; onUnlocked: () => void; onSignOut: () => void }) {
  const views = useLiveViews()
  const watch = useRef(new NewFlagWatch())
  const [latest, setLatest] = useState<{ severity: Severity; at: string; tz: string } | null>(null)
  // Escalations naming me (the device alert came from lib/liveScope.tsx): no names here.
  const escalated = useAllEscalations()

  useEffect(() => {
    for (const team of teams) {
      const board = views.get(team.team_id)?.model?.board
      if (!board) continue
      const fresh = watch.current.update(team.team_id, board.open_flags)
      if (fresh.length === 0) continue
      const worst = SEVERITIES.find((s) => fresh.some((f) => f.severity === s))!
      alertDevice(worst, team.name)
      setLatest({ severity: worst, at: new Date().toISOString(), tz: team.timezone })
    }
  }, [views, teams])

  return (
    <main class="lock" data-testid="lock-screen">
      <header class="lock-head">
        <h1><Padlock />Locked</h1>
        <p>{session.user.display_name} · after 15 minutes without use. Still live: new flags alert this device.</p>
      </header>
      <div role="alert" aria-live="assertive">
        {escalated.map(({ teamId, flag }) => (
          <p key={flag.id} class="lock-new emergency lock-escalated" data-testid="lock-escalation">
            ESCALATED emergency{teams.length > 1 ? ` (${teams.find((t) => t.team_id === teamId)?.name ?? ''})` : ''} — {unansweredWords(flag, Date.now()) ?? 'no one responding'} — unlock to respond
          </p>
        ))}
        {latest && (
          <p class={`lock-new ${latest.severity}`}>
            New {latest.severity.toUpperCase()} flag at {formatTeamTime(latest.at, latest.tz)} — unlock to see
          </p>
        )}
      </div>
      {teams.map((t) => <TeamCounts key={t.team_id} team={t} view={views.get(t.team_id)} showName={teams.length > 1} />)}
      <Unlock username={session.user.username} onUnlocked={onUnlocked} />
      <button class="link lock-out" onClick={onSignOut}>Not you? Sign out</button>
    </main>
  )
}

function TeamCounts({ team, view, showName }: { team: MyTeam; view: LiveView | undefined; showName: boolean }) {
  const board = view?.model?.board
  const n = countBySeverity(board?.open_flags ?? [])
  const open = SEVERITIES.filter((s) => n[s] > 0)
  return (
    <section class="lock-team" aria-label={`${team.name}: open crisis flags`}>
      <div class="lock-team-head">
        {showName ? <h2>{team.name}</h2> : <span class="lock-team-name">{team.name}</span>}
        {view && <ConnectionBadge state={view.state} since={view.lastCurrentAt} tz={team.timezone} />}
      </div>
      {!board ? (
        <p class="lock-none">{view?.state === 'forbidden' ? 'No access to this team.' : 'Connecting…'}</p>
      ) : open.length === 0 ? (
        <p class="lock-none">No open crisis flags</p>
      ) : (
        <>
          <ul class="lock-counts">
            {open.map((s) => (
              <li key={s} class={`lock-count ${s}`} data-testid="lock-count" data-severity={s}>
                <span class="m" aria-hidden="true">{MARK[s]}</span><span class="n">{n[s]}</span> <span class="w">{flagWords(n[s], s)}</span>
              </li>
            ))}
          </ul>
          <p class="lock-hint">— unlock to see</p>
        </>
      )}
    </section>
  )
}

function Unlock({ username, onUnlocked }: { username: string; onUnlocked: () => void }) {
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const submit = async (e: Event) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      await verifyPassword(username, password)
      onUnlocked()
    } catch (err) {
      setError((err as Error).message)
      setPassword('')
      setBusy(false)
    }
  }
  return (
    <form class="lock-form" onSubmit={submit}>
      <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
      <label for="lock-password">Password for {username}</label>
      <input id="lock-password" name="password" type="password" autoComplete="current-password" required value={password}
        onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
      <div role="alert" aria-live="assertive">{error && <p class="error">{error}</p>}</div>
      <button class="primary" type="submit" disabled={busy}>{busy ? 'Checking…' : 'Unlock'}</button>
    </form>
  )
}

/** Drawn, not an emoji: a wall screen may have no emoji font. */
function Padlock() {
  return (
    <svg class="padlock" viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2.4" stroke-linecap="round">
      <rect x="4.5" y="10.5" width="15" height="11" rx="2" fill="currentColor" stroke="none" />
      <path d="M8 10.5V7.5a4 4 0 0 1 8 0v3" />
    </svg>
  )
}
