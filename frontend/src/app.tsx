import { useEffect, useRef, useState } from 'preact/hooks'
import { api, hasRefreshToken, logout, refresh, setSignedOutHandler, type MyTeam } from './lib/api'
import { match, navigate, useLocation } from './lib/router'
import { Login } from './screens/Login'
import { BoardScreen } from './screens/Board'
import { DisplayScreen } from './screens/Display'
import { OnCallScreen } from './screens/OnCall'
import { PlannerScreen } from './screens/Planner'
import { RotaScreen } from './screens/Rota'
import { ClientScreen } from './screens/Client'
import { HandoffNewScreen } from './screens/HandoffNew'
import { LockScreen } from './screens/Lock'
import { SettingsScreen } from './screens/Settings'
import { AdminImportScreen, TeamImportScreen } from './screens/Import'
import { UpdatePrompt } from './components/UpdatePrompt'
import { SignOutDialog } from './components/SignOutDialog'
import { LiveScope } from './lib/liveScope'
import { isLocked, setLock, useIdleLock } from './lib/lock'
import { clearMine, load as loadQueue, purge } from './lib/queue'
import type { Device } from './live/types'
import type { Session } from './lib/session'

type Route =
  | { kind: 'board'; team: MyTeam; huddle: boolean }
  | { kind: 'oncall' | 'planner' | 'rota' | 'settings' | 'handoff' | 'import'; team: MyTeam }
  | { kind: 'client'; team: MyTeam; clientId: string }
  | { kind: 'picker' | 'admin-import' }

/** Which screen a path shows to this person (a team they are not on: the team picker). */
function route(path: string, query: URLSearchParams, session: Session): Route {
  const teamOf = (id: string) => session.teams.find((t) => t.team_id === id)
  let m: Record<string, string> | null
  let team: MyTeam | undefined
  if ((m = match('/teams/:team/board', path)) && (team = teamOf(m.team))) return { kind: 'board', team, huddle: query.get('huddle') === '1' }
  if ((m = match('/teams/:team/oncall', path)) && (team = teamOf(m.team))) return { kind: 'oncall', team }
  if ((m = match('/teams/:team/planner', path)) && (team = teamOf(m.team))) return { kind: 'planner', team }
  if ((m = match('/teams/:team/rota', path)) && (team = teamOf(m.team))) return { kind: 'rota', team }
  if ((m = match('/teams/:team/settings', path)) && (team = teamOf(m.team))) return { kind: 'settings', team }
  if ((m = match('/teams/:team/handoff/new', path)) && (team = teamOf(m.team))) return { kind: 'handoff', team }
  if ((m = match('/teams/:team/import', path)) && (team = teamOf(m.team))) return { kind: 'import', team }
  if (path === '/admin/import' && session.user.is_admin) return { kind: 'admin-import' }
  if ((m = match('/teams/:team/clients/:client', path)) && (team = teamOf(m.team))) return { kind: 'client', team, clientId: m.client }
  return { kind: 'picker' }
}

const OFFLINE_AT_START = 'No network: you will be signed in again when the network returns. Contacts queued on this phone are kept and sent then.'

/** The device a screen announces to the live presence. */
const DEVICE: Record<Route['kind'], Device> = { board: 'board', oncall: 'phone', planner: 'desktop', rota: 'desktop', settings: 'desktop', handoff: 'desktop', client: 'desktop', picker: 'desktop', import: 'desktop', 'admin-import': 'desktop' }

export function App() {
  const { path, query } = useLocation()
  const [session, setSession] = useState<Session | null>(null)
  const sessionRef = useRef<Session | null>(null)
  sessionRef.current = session
  const [booting, setBooting] = useState(true)
  const [locked, setLocked] = useState(false)
  /** Signing out asked first: how many of my contacts are still queued. */
  const [asking, setAsking] = useState<number | null>(null)
  /** Why the login form shows, when the session ended by itself. */
  const [ended, setEnded] = useState<string | null>(null)

  const signedIn = (me: Session) => {
    setSession(me)
    setLocked(isLocked(localStorage, me.user.id))
    // Another person's contacts left on this phone for a day or more go now.
    purge(localStorage, me.user.id, Date.now())
  }

  const loadMe = async () => {
    const me = await api<Session>('GET', '/api/me')
    signedIn(me)
    return me
  }

  /** Signed out here, or the session ended (the refresh token expired or was revoked). */
  const signedOut = () => {
    setLock(localStorage, null)
    setLocked(false)
    setAsking(null)
    setSession(null)
  }

  useEffect(() => {
    setSignedOutHandler(() => {
      setEnded('Your session ended. Sign in again.')
      signedOut()
    })
    if (path === '/display') {
      setBooting(false)
      return
    }
    const resume = async () => {
      try {
        if (hasRefreshToken() && (await refresh())) await loadMe()
        else if (hasRefreshToken() && !navigator.onLine) setEnded(OFFLINE_AT_START)
      } catch {
        /* shows the login */
      } finally {
        setBooting(false)
      }
    }
    void resume()
    // Opened without a network (the service worker's app shell): resume the session, and so
    // send the queued contacts, once the network returns.
    const online = () => { if (!sessionRef.current && hasRefreshToken()) void resume().then(() => setEnded((n) => (n === OFFLINE_AT_START ? null : n))) }
    window.addEventListener('online', online)
    return () => window.removeEventListener('online', online)
  }, [])

  // The idle lock: the session and the live connection go on underneath (not on the wall
  // display, which has no person at it).
  useIdleLock(!!session && !locked && path !== '/display', () => {
    if (!session) return
    setLock(localStorage, session.user.id)
    setLocked(true)
  })

  if (path === '/display') return <><DisplayScreen token={query.get('token') ?? ''} /><UpdatePrompt auto /></>
  if (booting) return <p class="page">Loading…</p>
  if (!session) {
    return (
      <>
      <UpdatePrompt />
      <Login
        notice={ended}
        onSignedIn={async () => {
          setEnded(null)
          setLock(localStorage, null)
          const me = await loadMe()
          if (path === '/' || path === '/login') {
            if (me.teams.length === 1) navigate(homeOf(me.teams[0]), true)
            else navigate('/', true)
          }
        }}
      />
      </>
    )
  }

  const me = session.user.id
  const signOut = async () => {
    setAsking(null)
    await logout()
    signedOut()
    navigate('/login', true)
  }
  // My contacts still queued on this phone: ask before they go.
  const requestSignOut = () => {
    const n = loadQueue(localStorage, me).length
    if (n > 0) setAsking(n)
    else void signOut()
  }

  const r = route(path, query, session)
  // The teams kept live: the screen's; on the team picker, while locked, all of mine.
  const teams = 'team' in r ? [r.team] : locked ? session.teams : []
  let screen
  if (locked) {
    screen = <LockScreen session={session} teams={teams} onSignOut={requestSignOut} onUnlocked={() => { setLock(localStorage, null); setLocked(false) }} />
  } else if (r.kind === 'board') {
    screen = <BoardScreen team={r.team} session={session} huddle={r.huddle} onSignOut={requestSignOut} />
  } else if (r.kind === 'oncall') {
    screen = <OnCallScreen team={r.team} session={session} onSignOut={requestSignOut} />
  } else if (r.kind === 'planner') {
    screen = <PlannerScreen team={r.team} session={session} onSignOut={requestSignOut} />
  } else if (r.kind === 'rota') {
    screen = <RotaScreen team={r.team} session={session} onSignOut={requestSignOut} />
  } else if (r.kind === 'settings') {
    screen = <SettingsScreen team={r.team} session={session} onSignOut={requestSignOut} />
  } else if (r.kind === 'handoff') {
    screen = <HandoffNewScreen team={r.team} session={session} onSignOut={requestSignOut} />
  } else if (r.kind === 'import') {
    screen = <TeamImportScreen team={r.team} session={session} onSignOut={requestSignOut} />
  } else if (r.kind === 'admin-import') {
    screen = <AdminImportScreen session={session} onSignOut={requestSignOut} />
  } else if (r.kind === 'client') {
    screen = <ClientScreen team={r.team} clientId={r.clientId} session={session} onSignOut={requestSignOut} />
  } else {
    screen = <TeamPicker session={session} onSignOut={requestSignOut} />
  }
  return (
    <>
      <LiveScope teamIds={teams.map((t) => t.team_id)} device={DEVICE[r.kind]} me={me}>{screen}</LiveScope>
      <UpdatePrompt />
      {asking !== null && (
        <SignOutDialog
          count={asking}
          onStay={() => setAsking(null)}
          onKeep={() => void signOut()}
          onDelete={() => { clearMine(localStorage, me); void signOut() }}
        />
      )}
    </>
  )
}

/** Where a person lands on a team: the phone view on a phone, the board elsewhere. */
export function homeOf(t: MyTeam): string {
  const phone = typeof window !== 'undefined' && window.matchMedia?.('(max-width: 700px)').matches
  return `/teams/${t.team_id}/${phone ? 'oncall' : 'board'}`
}

function TeamPicker({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  useEffect(() => {
    if (session.teams.length === 1) navigate(homeOf(session.teams[0]), true)
  }, [session])
  return (
    <main class="page">
      <h1>Hello, {session.user.display_name}</h1>
      {session.teams.length === 0 ? (
        session.user.is_admin ? (
          <p class="notice">
            You are an administrator and on no team yet. There is no admin screen yet: create teams and
            staff through the API (<a href="/api/docs">/api/docs</a> documents every call), then add
            yourself to a team to see its board.
          </p>
        ) : (
          <p class="notice">You are not on any team yet. Ask your team lead or an administrator to add you.</p>
        )
      ) : (
        <>
          <h2>Your teams</h2>
          <ul>
            {session.teams.map((t) => (
              <li key={t.team_id} style={{ margin: '0.6rem 0', fontSize: '20px' }}>
                <strong>{t.name}</strong> ({t.mode.toUpperCase()}, {t.role}) —{' '}
                <a href={`/teams/${t.team_id}/board`} onClick={(e) => { e.preventDefault(); navigate(`/teams/${t.team_id}/board`) }}>board</a>{' · '}
                <a href={`/teams/${t.team_id}/oncall`} onClick={(e) => { e.preventDefault(); navigate(`/teams/${t.team_id}/oncall`) }}>on-call</a>{' · '}
                <a href={`/teams/${t.team_id}/planner`} onClick={(e) => { e.preventDefault(); navigate(`/teams/${t.team_id}/planner`) }}>planner</a>{' · '}
                <a href={`/teams/${t.team_id}/rota`} onClick={(e) => { e.preventDefault(); navigate(`/teams/${t.team_id}/rota`) }}>rota</a>{' · '}
                <a href={`/teams/${t.team_id}/settings`} onClick={(e) => { e.preventDefault(); navigate(`/teams/${t.team_id}/settings`) }}>settings</a>
              </li>
            ))}
          </ul>
        </>
      )}
      {session.user.is_admin && (
        <p><a href="/admin/import" onClick={(e) => { e.preventDefault(); navigate('/admin/import') }}>Import staff from a CSV file</a></p>
      )}
      <button onClick={onSignOut}>Sign out</button>
    </main>
  )
}
