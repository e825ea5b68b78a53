import { useEffect, useState } from 'preact/hooks'
import { api, hasRefreshToken, logout, refresh, setSignedOutHandler, type MyTeam } from './lib/api'
import { match, navigate, useLocation } from './lib/router'
import { Login } from './screens/Login'
import { BoardScreen } from './screens/Board'
import { DisplayScreen } from './screens/Display'
import { OnCallScreen } from './screens/OnCall'
import { PlannerScreen } from './screens/Planner'
import { ClientScreen } from './screens/Client'
import type { Session } from './lib/session'

/** HIPAA automatic logoff: after this long without input the app locks. */
const LOCK_AFTER_MS = 15 * 60 * 1000

export function App() {
  const { path, query } = useLocation()
  const [session, setSession] = useState<Session | null>(null)
  const [booting, setBooting] = useState(true)
  const [lockedUser, setLockedUser] = useState<string | null>(null)

  const loadMe = async () => {
    const me = await api<Session>('GET', '/api/me')
    setSession(me)
    return me
  }

  useEffect(() => {
    setSignedOutHandler(() => setSession(null))
    if (path === '/display') {
      setBooting(false)
      return
    }
    ;(async () => {
      try {
        if (hasRefreshToken() && (await refresh())) await loadMe()
      } catch {
        /* shows the login */
      } finally {
        setBooting(false)
      }
    })()
  }, [])

  // Auto-lock after inactivity (not on the wall display, which has no person at it).
  useEffect(() => {
    if (!session || path === '/display') return
    let last = Date.now()
    const touch = () => (last = Date.now())
    const events = ['pointerdown', 'keydown', 'touchstart', 'scroll']
    events.forEach((e) => window.addEventListener(e, touch, { passive: true }))
    const t = setInterval(async () => {
      if (Date.now() - last > LOCK_AFTER_MS) {
        setLockedUser(session.user.username)
        await logout()
        setSession(null)
      }
    }, 15_000)
    return () => {
      clearInterval(t)
      events.forEach((e) => window.removeEventListener(e, touch))
    }
  }, [session, path])

  if (path === '/display') return <DisplayScreen token={query.get('token') ?? ''} />
  if (booting) return <p class="page">Loading…</p>
  if (!session) {
    return (
      <Login
        lockedUser={lockedUser}
        onSignedIn={async () => {
          setLockedUser(null)
          const me = await loadMe()
          if (path === '/' || path === '/login') {
            if (me.teams.length === 1) navigate(homeOf(me.teams[0]), true)
            else navigate('/', true)
          }
        }}
      />
    )
  }

  const signOut = async () => {
    await logout()
    setSession(null)
    navigate('/login', true)
  }

  let m: Record<string, string> | null
  const teamOf = (id: string) => session.teams.find((t) => t.team_id === id)
  if ((m = match('/teams/:team/board', path)) && teamOf(m.team))
    return <BoardScreen team={teamOf(m.team)!} session={session} huddle={query.get('huddle') === '1'} onSignOut={signOut} />
  if ((m = match('/teams/:team/oncall', path)) && teamOf(m.team))
    return <OnCallScreen team={teamOf(m.team)!} session={session} onSignOut={signOut} />
  if ((m = match('/teams/:team/planner', path)) && teamOf(m.team))
    return <PlannerScreen team={teamOf(m.team)!} session={session} onSignOut={signOut} />
  if ((m = match('/teams/:team/clients/:client', path)) && teamOf(m.team))
    return <ClientScreen team={teamOf(m.team)!} clientId={m.client} session={session} onSignOut={signOut} />
  return <TeamPicker session={session} onSignOut={signOut} />
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
        <p class="notice">You are not on any team yet. Ask your team lead or an administrator to add you.</p>
      ) : (
        <>
          <h2>Your teams</h2>
          <ul>
            {session.teams.map((t) => (
              <li key={t.team_id} style={{ margin: '0.6rem 0', fontSize: '20px' }}>
                <strong>{t.name}</strong> ({t.mode.toUpperCase()}, {t.role}) —{' '}
                <a href={`/teams/${t.team_id}/board`} onClick={(e) => { e.preventDefault(); navigate(`/teams/${t.team_id}/board`) }}>board</a>{' · '}
                <a href={`/teams/${t.team_id}/oncall`} onClick={(e) => { e.preventDefault(); navigate(`/teams/${t.team_id}/oncall`) }}>on-call</a>{' · '}
                <a href={`/teams/${t.team_id}/planner`} onClick={(e) => { e.preventDefault(); navigate(`/teams/${t.team_id}/planner`) }}>planner</a>
              </li>
            ))}
          </ul>
        </>
      )}
      <button onClick={onSignOut}>Sign out</button>
    </main>
  )
}
