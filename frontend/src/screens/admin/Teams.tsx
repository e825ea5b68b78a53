// Teams (`/admin/teams`): every team, and a new one (name, ACT or ICM, the ICM caseload cap,
// the time zone from the browser's list, when an unanswered emergency escalates). One team
// (`/admin/teams/:team`): its settings (versioned: a conflict is explained in words) and its
// members — add someone with a role, change a role, remove someone (a carrier's clients are
// handed over first, one new case manager per client).
import { useEffect, useState } from 'preact/hooks'
import { api, ApiError, type Schemas } from '../../lib/api'
import { problemWords } from '../../lib/problem'
import { navigate } from '../../lib/router'
import type { Session } from '../../lib/session'
import { AdminNav } from './AdminNav'
import { Link } from '../../components/common'
import { TimezoneField, timeZoneProblem } from '../../components/TimezoneField'
import { SettingsForm } from '../Settings'
import { HandoverDialog } from '../../components/Handover'
import { ConfirmDialog } from '../../components/ConfirmDialog'

type Team = Schemas['TeamOut']
type Member = Schemas['MemberOut']
type Staff = Schemas['StaffListed']

const ROLE_WORDS: Record<string, string> = {
  lead: 'Lead — admits clients, plans on call, manages the team',
  member: 'Member — day-to-day work: visits, flags, handoffs',
  viewer: 'Viewer — reads only',
}
const DISCIPLINE_WORDS: Record<string, string> = {
  team_lead: 'Team lead', psychiatrist: 'Psychiatrist', nurse: 'Nurse', case_manager: 'Case manager',
  social_worker: 'Social worker', peer_specialist: 'Peer specialist', substance_use_specialist: 'Substance use specialist',
  employment_specialist: 'Employment specialist', housing_specialist: 'Housing specialist', other: 'Other',
}
export const disciplineWords = (d: string) => DISCIPLINE_WORDS[d] ?? d
export const DISCIPLINES = Object.keys(DISCIPLINE_WORDS)

function browserZone(): string {
  try { return Intl.DateTimeFormat().resolvedOptions().timeZone || 'America/New_York' } catch { return 'America/New_York' }
}

export function AdminTeams({ onSignOut, onChanged }: { session: Session; onSignOut: () => void; onChanged: () => Promise<void> | void }) {
  const [teams, setTeams] = useState<Team[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const load = () => api<Team[]>('GET', '/api/teams').then(setTeams, (e) => setError(problemWords(e)))
  useEffect(() => { void load() }, [])
  return (
    <>
      <AdminNav here="teams" onSignOut={onSignOut} />
      <main class="page admin">
        <h1>Teams</h1>
        {error && <p class="error" role="alert">{error}</p>}
        <section class="card" aria-labelledby="team-list-title">
          <h2 id="team-list-title">Every team</h2>
          {!teams ? <p>Loading…</p> : teams.length === 0 ? <p>No team yet: create the first one below.</p> : (
            <table>
              <thead><tr><th>Team</th><th>Model</th><th>Time zone</th><th>Escalation</th><th>Open</th></tr></thead>
              <tbody>
                {teams.map((t) => (
                  <tr key={t.id}>
                    <td data-label="Team"><strong>{t.name}</strong></td>
                    <td data-label="Model">{t.mode === 'icm' ? `ICM, cap ${t.caseload_cap}` : 'ACT'}</td>
                    <td data-label="Time zone">{t.timezone}</td>
                    <td data-label="Escalation">after {t.escalate_after_minutes} min</td>
                    <td data-label="Open"><span class="links"><Link href={`/admin/teams/${t.id}`}>Members and settings</Link><Link href={`/teams/${t.id}/board`}>Board</Link></span></td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <NewTeamForm onCreated={async (t) => { await load(); await onChanged(); navigate(`/admin/teams/${t.id}`) }} />
      </main>
    </>
  )
}

function NewTeamForm({ onCreated }: { onCreated: (t: Team) => Promise<void> }) {
  const [name, setName] = useState('')
  const [mode, setMode] = useState<'act' | 'icm'>('act')
  const [cap, setCap] = useState('15')
  const [timezone, setTimezone] = useState(browserZone())
  const [escalate, setEscalate] = useState('10')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const save = async (e: Event) => {
    e.preventDefault()
    setError(null)
    const tz = timeZoneProblem(timezone)
    if (tz) { setError(`Time zone: ${tz}`); return }
    setBusy(true)
    try {
      const body: Schemas['NewTeam'] = {
        name: name.trim(), mode, timezone: timezone.trim(), escalate_after_minutes: Number(escalate),
        ...(mode === 'icm' ? { caseload_cap: Number(cap) } : {}),
      }
      const t = await api<Team>('POST', '/api/teams', body)
      setName('')
      await onCreated(t)
    } catch (err) {
      setError(problemWords(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <form class="card" onSubmit={save} aria-labelledby="new-team-title">
      <h2 id="new-team-title">New team</h2>
      <fieldset disabled={busy}>
        <legend class="sr-only">New team</legend>
        <div class="grid2">
          <div>
            <label for="nt-name">Team name</label>
            <input id="nt-name" required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
          </div>
          <div>
            <label for="nt-mode">Team model</label>
            <select id="nt-mode" value={mode} onChange={(e) => setMode(e.currentTarget.value as 'act' | 'icm')} aria-describedby="nt-mode-help">
              <option value="act">ACT (shared caseload)</option>
              <option value="icm">ICM (one case manager per client)</option>
            </select>
            <p class="help" id="nt-mode-help">ACT: the whole team shares about 100 clients. ICM: each case manager carries their own, at most 15.</p>
          </div>
          {mode === 'icm' && (
            <div>
              <label for="nt-cap">Caseload cap (clients per case manager)</label>
              <input id="nt-cap" type="number" min={1} max={15} required value={cap} onInput={(e) => setCap(e.currentTarget.value)} aria-describedby="nt-cap-help" />
              <p class="help" id="nt-cap-help">1–15. Nobody carries more than 15 over all their ICM teams together.</p>
            </div>
          )}
          <TimezoneField id="nt-timezone" value={timezone} onInput={setTimezone} />
          <div>
            <label for="nt-escalate">Escalate an unanswered emergency after (minutes)</label>
            <input id="nt-escalate" type="number" min={1} max={240} required value={escalate} onInput={(e) => setEscalate(e.currentTarget.value)} aria-describedby="nt-escalate-help" />
            <p class="help" id="nt-escalate-help">1–240. The on-call person and the leads are alerted then.</p>
          </div>
        </div>
        <button class="primary" type="submit">{busy ? 'Creating…' : 'Create team'}</button>
      </fieldset>
      <div role="alert">{error && <p class="error">{error}</p>}</div>
    </form>
  )
}

export function AdminTeam({ teamId, session, onSignOut, onChanged }: { teamId: string; session: Session; onSignOut: () => void; onChanged: () => Promise<void> | void }) {
  const [team, setTeam] = useState<Team | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    setTeam(null)
    api<Team>('GET', `/api/teams/${teamId}`).then(setTeam, (e) => setError(problemWords(e)))
  }, [teamId])
  return (
    <>
      <AdminNav here="teams" onSignOut={onSignOut} />
      <main class="page admin settings">
        <p><Link href="/admin/teams">← All teams</Link></p>
        <h1>{team?.name ?? 'Team'}</h1>
        {error && <p class="error" role="alert">{error}</p>}
        {team && (
          <>
            <p class="links">
              <Link href={`/teams/${team.id}/board`}>Open the board</Link>{' · '}
              <Link href={`/teams/${team.id}/planner`}>Planner (new referral)</Link>{' · '}
              <Link href={`/teams/${team.id}/rota`}>On-call rota</Link>{' · '}
              <Link href={`/teams/${team.id}/settings`}>Wall display links</Link>{' · '}
              <Link href={`/teams/${team.id}/import`}>Import clients</Link>
            </p>
            <Members team={team} session={session} onChanged={onChanged} />
            <SettingsForm team={team} canChange onSaved={(t) => { setTeam(t); void onChanged() }} />
          </>
        )}
      </main>
    </>
  )
}

function Members({ team, session, onChanged }: { team: Team; session: Session; onChanged: () => Promise<void> | void }) {
  const [members, setMembers] = useState<Member[] | null>(null)
  const [staff, setStaff] = useState<Staff[]>([])
  const [who, setWho] = useState('')
  const [role, setRole] = useState('member')
  const [error, setError] = useState<string | null>(null)
  const [saved, setSaved] = useState<string | null>(null)
  const [removing, setRemoving] = useState<Member | null>(null)
  const [handover, setHandover] = useState<Member | null>(null)
  const load = async () => {
    try {
      const [m, s] = await Promise.all([
        api<Member[]>('GET', `/api/teams/${team.id}/members`),
        api<Staff[]>('GET', '/api/staff'),
      ])
      setMembers(m)
      setStaff(s)
    } catch (e) {
      setError(problemWords(e))
    }
  }
  useEffect(() => { void load() }, [team.id])
  const on = new Set(members?.map((m) => m.staff_id))
  const addable = staff.filter((s) => s.active && !on.has(s.id))
  const put = async (staffId: string, r: string, what: string) => {
    setError(null); setSaved(null)
    try {
      await api('PUT', `/api/teams/${team.id}/members/${staffId}`, { role: r })
      await load()
      setSaved(what)
      if (staffId === session.user.id) await onChanged()
    } catch (e) {
      setError(problemWords(e))
      await load()
    }
  }
  const add = async (e: Event) => {
    e.preventDefault()
    if (!who) { setError('Choose a person to add.'); return }
    const name = staff.find((s) => s.id === who)?.display_name ?? 'They'
    await put(who, role, `${name} is on ${team.name} as ${role}.`)
    setWho('')
  }
  const remove = async (m: Member) => {
    setError(null); setSaved(null)
    try {
      await api('DELETE', `/api/teams/${team.id}/members/${m.staff_id}`)
      setRemoving(null)
      await load()
      setSaved(`${m.display_name} is no longer on ${team.name}.`)
      if (m.staff_id === session.user.id) await onChanged()
    } catch (e) {
      setRemoving(null)
      if (e instanceof ApiError && e.code === 'carries_clients') setHandover(m)
      else setError(problemWords(e))
    }
  }
  return (
    <section class="card" aria-labelledby="members-title">
      <h2 id="members-title">Members and roles</h2>
      {!members ? <p>Loading…</p> : members.length === 0 ? <p>Nobody is on this team yet. Add its lead first.</p> : (
        <table>
          <thead><tr><th>Person</th><th>Discipline</th><th>Role</th><th><span class="sr-only">Remove</span></th></tr></thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.staff_id}>
                <td data-label="Person"><strong>{m.display_name}</strong> <span class="muted">{m.username}</span></td>
                <td data-label="Discipline">{disciplineWords(m.discipline)}</td>
                <td data-label="Role">
                  <label class="sr-only" for={`role-${m.staff_id}`}>Role of {m.display_name}</label>
                  <select id={`role-${m.staff_id}`} value={m.role} onChange={(e) => void put(m.staff_id, e.currentTarget.value, `${m.display_name} is now ${e.currentTarget.value}.`)}>
                    <option value="lead">Lead</option>
                    <option value="member">Member</option>
                    <option value="viewer">Viewer</option>
                  </select>
                </td>
                <td><button onClick={() => setRemoving(m)} aria-label={`Remove ${m.display_name} from ${team.name}`}>Remove</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form onSubmit={add} aria-label="Add a member" class="row-actions" style={{ marginTop: '0.8rem' }}>
        <div>
          <label for="add-who">Add a person</label>
          <select id="add-who" value={who} onChange={(e) => setWho(e.currentTarget.value)}>
            <option value="">{addable.length ? 'Choose…' : 'Everyone active is on this team'}</option>
            {addable.map((s) => <option key={s.id} value={s.id}>{s.display_name} ({disciplineWords(s.discipline)})</option>)}
          </select>
        </div>
        <div>
          <label for="add-role">Role</label>
          <select id="add-role" value={role} onChange={(e) => setRole(e.currentTarget.value)} aria-describedby="add-role-help">
            <option value="lead">Lead</option>
            <option value="member">Member</option>
            <option value="viewer">Viewer</option>
          </select>
        </div>
        <button class="primary" type="submit">Add to team</button>
      </form>
      <p class="help" id="add-role-help">{ROLE_WORDS[role]}. New people: create their account under <Link href="/admin/staff">Staff</Link> first.</p>
      <div role="alert">{error && <p class="error">{error}</p>}</div>
      <div role="status">{saved && <p class="ok">{saved}</p>}</div>
      {removing && (
        <ConfirmDialog title={`Remove ${removing.display_name} from ${team.name}?`} confirm="Remove" danger
          onConfirm={() => remove(removing)} onCancel={() => setRemoving(null)}>
          <p>They lose access to this team's board and records at once. Their account stays, with their other teams.</p>
        </ConfirmDialog>
      )}
      {handover && (
        <HandoverDialog staffId={handover.staff_id} teamId={team.id}
          title={`Hand over ${handover.display_name}'s clients`}
          intro={`${handover.display_name} is case manager of clients on ${team.name}. Choose who takes each one; then they leave the team, all in one step.`}
          confirm="Hand over and remove"
          submit={(assignments) => api('POST', `/api/teams/${team.id}/members/${handover.staff_id}/remove`, { assignments })}
          onDone={() => { const m = handover; setHandover(null); void load().then(() => setSaved(`${m.display_name}'s clients are handed over and they are no longer on ${team.name}.`)) }}
          onCancel={() => setHandover(null)} />
      )}
    </section>
  )
}
