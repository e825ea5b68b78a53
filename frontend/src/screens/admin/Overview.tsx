// The admin landing page (`/admin`): what to do first on a new installation, as a checklist
// that ticks itself from the server's counts (GET /api/admin/setup), every team with its
// state and links, and a link to every admin screen.
import { useEffect, useState } from 'preact/hooks'
import { api, type Schemas } from '../../lib/api'
import { problemWords } from '../../lib/problem'
import type { Session } from '../../lib/session'
import { AdminNav, LinkButton } from './AdminNav'
import { Link } from '../../components/common'

type Setup = Schemas['SetupOut']
type TeamSetup = Schemas['TeamSetup']

export interface Step {
  key: string
  title: string
  detail: string
  done: boolean
  href: string
  action: string
}

/** The set-up steps in order, each done or not from the counts; links go where it is done. */
export function setupSteps(s: Setup): Step[] {
  const teams = s.teams
  const first = teams[0]
  const firstWhere = (ok: (t: TeamSetup) => boolean) => teams.find((t) => !ok(t)) ?? first
  const all = (ok: (t: TeamSetup) => boolean) => teams.length > 0 && teams.every(ok)
  const staffed = (t: TeamSetup) => t.leads > 0 && t.members > 1
  const onCall = (t: TeamSetup) => t.upcoming_shifts > 0 || t.has_rota_pattern
  const hasClients = (t: TeamSetup) => t.clients > 0
  const hasDisplay = (t: TeamSetup) => t.display_tokens > 0
  const teamLink = (t: TeamSetup | undefined, to: string) => (t ? `/teams/${t.id}/${to}` : '/admin/teams')
  return [
    {
      key: 'team', title: 'Create a team', done: teams.length > 0, href: '/admin/teams', action: 'Teams',
      detail: 'Its name, ACT or ICM, the ICM caseload cap, its time zone and when an unanswered emergency escalates.',
    },
    {
      key: 'staff', title: 'Add staff accounts', done: s.active_staff > 0, href: '/admin/staff', action: 'Staff',
      detail: 'One account per person, with their discipline and a first password they change when they first sign in.',
    },
    {
      key: 'members', title: 'Put people on each team, with a lead', done: all(staffed),
      href: first ? `/admin/teams/${firstWhere(staffed).id}` : '/admin/teams', action: 'Members',
      detail: 'Every team needs a lead (who admits clients and plans the on-call rota) and its members.',
    },
    {
      key: 'clients', title: 'Admit clients, or import a list', done: teams.some(hasClients),
      href: first ? teamLink(firstWhere(hasClients), 'planner') : '/admin/teams', action: 'New referral',
      detail: 'A referral from the planner (then screening and admission on the client page), or a CSV import.',
    },
    {
      key: 'oncall', title: 'Set who is on call', done: all(onCall),
      href: teamLink(firstWhere(onCall), 'rota'), action: 'On-call rota',
      detail: 'A repeating week on the rota, applied as shifts, or single shifts.',
    },
    {
      key: 'display', title: 'Put the board on the team room wall', done: all(hasDisplay),
      href: teamLink(firstWhere(hasDisplay), 'settings'), action: 'Display link',
      detail: 'A display link (initials only, or names) for the screen in the team room.',
    },
  ]
}

export function AdminOverview({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const [setup, setSetup] = useState<Setup | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    api<Setup>('GET', '/api/admin/setup').then(setSetup, (e) => setError(problemWords(e)))
  }, [])
  const steps = setup ? setupSteps(setup) : []
  const next = steps.find((s) => !s.done)
  const mine = new Set(session.teams.map((t) => t.team_id))
  return (
    <>
      <AdminNav here="overview" onSignOut={onSignOut} />
      <main class="page admin">
        <h1>Administration</h1>
        {error && <p class="error" role="alert">{error}</p>}
        {!setup ? !error && <p>Loading…</p> : (
          <>
            <section class="card" aria-labelledby="steps-title">
              <h2 id="steps-title">{next ? (setup.teams.length === 0 ? 'Setting up: what to do first' : 'Setting up: what is left') : 'Set up: every step is done'}</h2>
              <ol class="checklist" data-testid="checklist">
                {steps.map((s) => (
                  <li key={s.key} class={`${s.done ? 'done' : 'todo'}${s === next ? ' next' : ''}`} data-step={s.key} data-done={s.done ? 'yes' : 'no'}>
                    <span class="mark" aria-hidden="true">{s.done ? '✓' : '○'}</span>
                    <span class="what">
                      <strong>{s.title}<span class="sr-only">{s.done ? ' (done)' : ' (to do)'}</span></strong>
                      <span class="muted">{s.detail}</span>
                    </span>
                    <LinkButton href={s.href} primary={s === next}>{s.action}</LinkButton>
                  </li>
                ))}
              </ol>
            </section>

            <section class="card" aria-labelledby="teams-title">
              <h2 id="teams-title">Teams</h2>
              {setup.teams.length === 0 ? <p>No team yet. <Link href="/admin/teams">Create the first one</Link>.</p> : (
                <table>
                  <thead><tr><th>Team</th><th>Members</th><th>Clients</th><th>On call</th><th>Wall displays</th><th>Open</th></tr></thead>
                  <tbody>
                    {setup.teams.map((t) => (
                      <tr key={t.id}>
                        <td data-label="Team"><strong>{t.name}</strong> <span class="tag">{t.mode.toUpperCase()}</span><div class="muted">{t.timezone}</div></td>
                        <td data-label="Members">{t.members} ({t.leads} lead{t.leads === 1 ? '' : 's'})</td>
                        <td data-label="Clients">{t.clients}</td>
                        <td data-label="On call">{t.upcoming_shifts > 0 ? `${t.upcoming_shifts} shift${t.upcoming_shifts === 1 ? '' : 's'} ahead` : 'no shift ahead'}{t.has_rota_pattern ? ', weekly rota' : ''}</td>
                        <td data-label="Wall displays">{t.display_tokens}</td>
                        <td data-label="Open"><span class="links">
                          <Link href={`/admin/teams/${t.id}`}>Members and settings</Link>
                          <Link href={`/teams/${t.id}/board`}>Board</Link>
                          <Link href={`/teams/${t.id}/planner`}>Planner</Link>
                          <Link href={`/teams/${t.id}/rota`}>Rota</Link>
                          <Link href={`/teams/${t.id}/settings`}>Display links</Link>
                          <Link href={`/teams/${t.id}/import`}>Import clients</Link>
                          {!mine.has(t.id) && <span class="muted">(you are not a member; you see it as an administrator)</span>}
                        </span></td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>

            <section class="card" aria-labelledby="screens-title">
              <h2 id="screens-title">Every admin screen</h2>
              <div class="linkgrid">
                <Link href="/admin/teams">Teams<span>create, mode, cap, time zone, escalation; members and roles</span></Link>
                <Link href="/admin/staff">Staff<span>{setup.active_staff} active, {setup.inactive_staff} inactive, {setup.admins} admin{setup.admins === 1 ? '' : 's'}: create, reset a password, deactivate</span></Link>
                <Link href="/admin/import">Import<span>staff and clients from CSV files</span></Link>
                <Link href="/admin/audit">Audit trail<span>who looked at or changed which record</span></Link>
              </div>
            </section>
          </>
        )}
      </main>
    </>
  )
}
