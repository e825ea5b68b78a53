import { useEffect, useRef, useState } from 'preact/hooks'
import { api, hasRefreshToken, logout, refresh, setSignedOutHandler, type MyTeam, type Schemas } from './lib/api'
import { match, navigate, useLocation } from './lib/router'
import { Login } from './screens/Login'
import { BoardScreen } from './screens/Board'
import { DisplayScreen } from './screens/Display'
import { OnCallScreen } from './screens/OnCall'
import { PlannerScreen } from './screens/Planner'
import { RotaScreen } from './screens/Rota'
import { ClientScreen } from './screens/Client'
import { ReferralsScreen } from './screens/Referrals'
import { FidelityLazy, OutcomesLazy } from './screens/Lazy'
import { HandoffNewScreen } from './screens/HandoffNew'
import { LockScreen } from './screens/Lock'
import { SettingsScreen } from './screens/Settings'
import { AdminAuditScreen } from './screens/AdminAudit'
import { AdminImportScreen, TeamImportScreen } from './screens/Import'
import { UpdatePrompt } from './components/UpdatePrompt'
import { SignOutDialog } from './components/SignOutDialog'
import { LiveScope } from './lib/liveScope'
import { isLocked, setLock, useIdleLock } from './lib/lock'
import { clearMine, load as loadQueue, purge } from './lib/queue'
import type { Device } from './live/types'
import { SessionContext, type Session } from './lib/session'
import { PasswordScreen } from './screens/Password'
import { AdminOverview } from './screens/admin/Overview'
import { AdminTeam, AdminTeams } from './screens/admin/Teams'
import { AdminStaff, AdminStaffMember } from './screens/admin/Staff'

type Route =
  | { kind: 'board'; team: MyTeam; huddle: boolean }
  | { kind: 'oncall' | 'planner' | 'rota' | 'settings' | 'handoff' | 'import' | 'referrals' | 'outcomes' | 'fidelity'; team: MyTeam }
  | { kind: 'client'; team: MyTeam; clientId: string }
  | { kind: 'picker' | 'audit' | 'admin-import' | 'admin' | 'admin-teams' | 'admin-staff' | 'password' }
  | { kind: 'admin-team'; teamId: string }
  | { kind: 'admin-staff-one'; staffId: string }

/**
 * Which screen a path shows to this person (a team they are not on: the team picker).
 * Administrators open every team (`adminTeams`, with a lead's standing, which the server
 * grants them) and the admin screens.
 */
function route(path: string, query: URLSearchParams, session: Session, adminTeams: MyTeam[]): Route {
  const teamOf = (id: string) => session.teams.find((t) => t.team_id === id) ?? (session.user.is_admin ? adminTeams.find((t) => t.team_id === id) : undefined)
  let m: Record<string, string> | null
  let team: MyTeam | undefined
  if (path === '/admin/audit') return { kind: 'audit' }
  if (path === '/account/password') return { kind: 'password' }
  if (session.user.is_admin) {
    if (path === '/admin') return { kind: 'admin' }
    if (path === '/admin/teams') return { kind: 'admin-teams' }
    if (path === '/admin/staff') return { kind: 'admin-staff' }
    if ((m = match('/admin/teams/:team', path))) return { kind: 'admin-team', teamId: m.team }
    if ((m = match('/admin/staff/:staff', path))) return { kind: 'admin-staff-one', staffId: m.staff }
  }
  if ((m = match('/teams/:team/board', path)) && (team = teamOf(m.team))) return { kind: 'board', team, huddle: query.get('huddle') === '1' }
  if ((m = match('/teams/:team/oncall', path)) && (team = teamOf(m.team))) return { kind: 'oncall', team }
  if ((m = match('/teams/:team/planner', path)) && (team = teamOf(m.team))) return { kind: 'planner', team }
  if ((m = match('/teams/:team/rota', path)) && (team = teamOf(m.team))) return { kind: 'rota', team }
  if ((m = match('/teams/:team/settings', path)) && (team = teamOf(m.team))) return { kind: 'settings', team }
  if ((m = match('/teams/:team/handoff/new', path)) && (team = teamOf(m.team))) return { kind: 'handoff', team }
  if ((m = match('/teams/:team/import', path)) && (team = teamOf(m.team))) return { kind: 'import', team }
  if ((m = match('/teams/:team/referrals', path)) && (team = teamOf(m.team))) return { kind: 'referrals', team }
  if ((m = match('/teams/:team/outcomes', path)) && (team = teamOf(m.team))) return { kind: 'outcomes', team }
  if ((m = match('/teams/:team/fidelity', path)) && (team = teamOf(m.team))) return { kind: 'fidelity', team }
  if (path === '/admin/import' && session.user.is_admin) return { kind: 'admin-import' }
  if ((m = match('/teams/:team/clients/:client', path)) && (team = teamOf(m.team))) return { kind: 'client', team, clientId: m.client }
  return { kind: 'picker' }
}

const OFFLINE_AT_START = 'No network: you will be signed in again when the network returns. Contacts queued on this phone are kept and sent then.'

/** The device a screen announces to the live presence. */
const DEVICE: Record<Route['kind'], Device> = {
  board: 'board', oncall: 'phone', planner: 'desktop', rota: 'desktop', settings: 'desktop', handoff: 'desktop', client: 'desktop', picker: 'desktop',
  admin: 'desktop', 'admin-teams': 'desktop', 'admin-team': 'desktop', 'admin-staff': 'desktop', 'admin-staff-one': 'desktop', password: 'desktop', audit: 'desktop', import: 'desktop', 'admin-import': 'desktop', referrals: 'desktop', outcomes: 'desktop', fidelity: 'desktop',
}

export function App() {
  const { path, query } = useLocation()
  const [session, setSession] = useState<Session | null>(null)
  /** An administrator's view of every team (GET /api/teams), to open teams they are not on. */
  const [adminTeams, setAdminTeams] = useState<MyTeam[]>([])
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
    if (me.user.is_admin && !me.user.must_change_password) {
      const all = await api<Schemas['TeamOut'][]>('GET', '/api/teams')
      setAdminTeams(all.map((t) => ({ team_id: t.id, name: t.name, mode: t.mode, timezone: t.timezone, role: 'lead' })))
    } else {
      setAdminTeams([])
    }
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
          if (me.user.must_change_password) return
          if (path === '/' || path === '/login') {
            if (me.teams.length === 1) navigate(homeOf(me.teams[0]), true)
            else if (me.teams.length === 0 && me.user.is_admin) navigate('/admin', true)
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

  // An administrator's reset (or a new account's first password): nothing else until the
  // person has chosen their own (the server refuses everything else meanwhile).
  if (session.user.must_change_password) {
    return (
      <SessionContext.Provider value={session}>
        <PasswordScreen session={session} forced onSignOut={requestSignOut} onChanged={async () => {
          const me = await loadMe()
          navigate(me.teams.length === 1 ? homeOf(me.teams[0]) : me.user.is_admin && me.teams.length === 0 ? '/admin' : '/', true)
        }} />
        <UpdatePrompt />
      </SessionContext.Provider>
    )
  }

  const r = route(path, query, session, adminTeams)
  // The teams kept live: the screen's; on the team picker, while locked, all of mine.
  const teams = 'team' in r ? [r.team] : locked ? session.teams : []
  const reloadMe = async () => { await loadMe() }
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
  } else if (r.kind === 'audit') {
    screen = <AdminAuditScreen session={session} onSignOut={requestSignOut} />
  } else if (r.kind === 'import') {
    screen = <TeamImportScreen team={r.team} session={session} onSignOut={requestSignOut} />
  } else if (r.kind === 'outcomes') {
    screen = <OutcomesLazy team={r.team} onSignOut={requestSignOut} />
  } else if (r.kind === 'fidelity') {
    screen = <FidelityLazy team={r.team} onSignOut={requestSignOut} />
  } else if (r.kind === 'admin-import') {
    screen = <AdminImportScreen session={session} onSignOut={requestSignOut} />
  } else if (r.kind === 'referrals') {
    screen = <ReferralsScreen team={r.team} session={session} onSignOut={requestSignOut} />
  } else if (r.kind === 'client') {
    screen = <ClientScreen team={r.team} clientId={r.clientId} session={session} onSignOut={requestSignOut} />
  } else if (r.kind === 'password') {
    screen = <PasswordScreen session={session} forced={false} onSignOut={requestSignOut} onChanged={() => {}} />
  } else if (r.kind === 'admin') {
    screen = <AdminOverview session={session} onSignOut={requestSignOut} />
  } else if (r.kind === 'admin-teams') {
    screen = <AdminTeams session={session} onSignOut={requestSignOut} onChanged={reloadMe} />
  } else if (r.kind === 'admin-team') {
    screen = <AdminTeam teamId={r.teamId} session={session} onSignOut={requestSignOut} onChanged={reloadMe} />
  } else if (r.kind === 'admin-staff') {
    screen = <AdminStaff session={session} onSignOut={requestSignOut} />
  } else if (r.kind === 'admin-staff-one') {
    screen = <AdminStaffMember staffId={r.staffId} session={session} onSignOut={requestSignOut} />
  } else {
    screen = <TeamPicker session={session} onSignOut={requestSignOut} />
  }
  return (
    <SessionContext.Provider value={session}>
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
    </SessionContext.Provider>
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
    else if (session.teams.length === 0 && session.user.is_admin) navigate('/admin', true)
  }, [session])
  return (
    <main class="page">
      <h1>Hello, {session.user.display_name}</h1>
      {session.teams.length === 0 ? (
        session.user.is_admin ? (
          <p class="notice">
            You are an administrator and on no team yet: the <a href="/admin" onClick={(e) => { e.preventDefault(); navigate('/admin') }}>administration page</a> says what to do first.
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
      <p>
        {session.user.is_admin && <><a href="/admin" onClick={(e) => { e.preventDefault(); navigate('/admin') }}>Administration</a>{' · '}<a href="/admin/audit" onClick={(e) => { e.preventDefault(); navigate('/admin/audit') }}>Audit trail</a>{' · '}<a href="/admin/import" onClick={(e) => { e.preventDefault(); navigate('/admin/import') }}>Import staff from a CSV file</a>{' · '}</>}
        <a href="/account/password" onClick={(e) => { e.preventDefault(); navigate('/account/password') }}>Change my password</a>
      </p>
      <button onClick={onSignOut}>Sign out</button>
    </main>
  )
}
