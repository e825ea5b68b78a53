// Staff (`/admin/staff`): every account (active or not, discipline, teams) and a new one
// (username, name, discipline, a first password under the shown rule, normally one they
// must change when they first sign in). One person (`/admin/staff/:id`): name and
// discipline, reset the password (a temporary one: their sessions end and they choose their
// own at the next sign-in), deactivate with a hand-over of their clients, reactivate.
import { useEffect, useState } from 'preact/hooks'
import { api, type Schemas } from '../../lib/api'
import { problemWords } from '../../lib/problem'
import type { Session } from '../../lib/session'
import { AdminNav } from './AdminNav'
import { Link } from '../../components/common'
import { HandoverDialog } from '../../components/Handover'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { PASSWORD_RULE } from '../Password'
import { DISCIPLINES, disciplineWords } from './Teams'

type Staff = Schemas['StaffListed']
type StaffOut = Schemas['StaffOut']

function Tags({ s }: { s: StaffOut }) {
  return (
    <>
      {!s.active && <span class="tag inactive">Inactive</span>}
      {s.is_admin && <span class="tag">Admin</span>}
      {s.must_change_password && s.active && <span class="tag temp">Temporary password</span>}
    </>
  )
}

export function AdminStaff({ onSignOut }: { session: Session; onSignOut: () => void }) {
  const [staff, setStaff] = useState<Staff[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [show, setShow] = useState<'active' | 'inactive' | 'all'>('active')
  const [search, setSearch] = useState('')
  const load = () => api<Staff[]>('GET', '/api/staff').then(setStaff, (e) => setError(problemWords(e)))
  useEffect(() => { void load() }, [])
  const q = search.trim().toLowerCase()
  const shown = (staff ?? [])
    .filter((s) => show === 'all' || (show === 'active') === s.active)
    .filter((s) => !q || s.display_name.toLowerCase().includes(q) || s.username.includes(q))
  const inactive = (staff ?? []).filter((s) => !s.active).length
  return (
    <>
      <AdminNav here="staff" onSignOut={onSignOut} />
      <main class="page admin">
        <h1>Staff</h1>
        {error && <p class="error" role="alert">{error}</p>}
        <section class="card" aria-labelledby="staff-list-title">
          <h2 id="staff-list-title">Accounts</h2>
          <div class="row-actions">
            <div>
              <label for="staff-show">Show</label>
              <select id="staff-show" value={show} onChange={(e) => setShow(e.currentTarget.value as typeof show)}>
                <option value="active">Active</option>
                <option value="inactive">Inactive ({inactive})</option>
                <option value="all">Everyone</option>
              </select>
            </div>
            <div>
              <label for="staff-search">Find by name or username</label>
              <input id="staff-search" type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
            </div>
          </div>
          {!staff ? <p>Loading…</p> : shown.length === 0 ? <p>Nobody here.</p> : (
            <table>
              <thead><tr><th>Person</th><th>Discipline</th><th>Teams</th><th>Open</th></tr></thead>
              <tbody>
                {shown.map((s) => (
                  <tr key={s.id}>
                    <td data-label="Person"><strong>{s.display_name}</strong> <span class="muted">{s.username}</span><div><Tags s={s} /></div></td>
                    <td data-label="Discipline">{disciplineWords(s.discipline)}</td>
                    <td data-label="Teams">{s.teams.length === 0 ? <span class="muted">no team</span> : s.teams.map((t) => `${t.name} (${t.role})`).join(', ')}</td>
                    <td data-label="Open"><Link href={`/admin/staff/${s.id}`}>{`Manage ${s.display_name}`}</Link></td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <NewStaffForm onCreated={() => void load()} />
      </main>
    </>
  )
}

function NewStaffForm({ onCreated }: { onCreated: (s: StaffOut) => void }) {
  const empty = { username: '', display_name: '', discipline: 'case_manager', password: '' }
  const [f, setF] = useState(empty)
  const [temporary, setTemporary] = useState(true)
  const [admin, setAdmin] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [made, setMade] = useState<StaffOut | null>(null)
  const [busy, setBusy] = useState(false)
  const save = async (e: Event) => {
    e.preventDefault()
    setError(null); setMade(null)
    setBusy(true)
    try {
      const body: Schemas['NewStaff'] = { ...f, username: f.username.trim(), display_name: f.display_name.trim(), is_admin: admin, must_change_password: temporary }
      const s = await api<StaffOut>('POST', '/api/staff', body)
      setMade(s)
      setF(empty)
      setAdmin(false)
      onCreated(s)
    } catch (err) {
      setError(problemWords(err))
    } finally {
      setBusy(false)
    }
  }
  const input = (k: keyof typeof empty, label: string, extra: Record<string, unknown> = {}) => (
    <div>
      <label for={`ns-${k}`}>{label}</label>
      <input id={`ns-${k}`} required value={f[k]} onInput={(e) => setF({ ...f, [k]: e.currentTarget.value })} {...extra} />
    </div>
  )
  return (
    <form class="card" onSubmit={save} aria-labelledby="new-staff-title">
      <h2 id="new-staff-title">New staff account</h2>
      <fieldset disabled={busy}>
        <legend class="sr-only">New staff account</legend>
        <div class="grid2">
          {input('display_name', 'Name as colleagues see it', { maxLength: 100 })}
          <div>
            {input('username', 'Username (to sign in)', { maxLength: 64, autoComplete: 'off', spellcheck: false, 'aria-describedby': 'ns-username-help' })}
            <p class="help" id="ns-username-help">3–64 letters, digits, '.', '_', '-' or '@', e.g. maria.lopez.</p>
          </div>
          <div>
            <label for="ns-discipline">Discipline</label>
            <select id="ns-discipline" value={f.discipline} onChange={(e) => setF({ ...f, discipline: e.currentTarget.value })}>
              {DISCIPLINES.map((d) => <option key={d} value={d}>{disciplineWords(d)}</option>)}
            </select>
          </div>
          <div>
            {input('password', 'First password', { type: 'text', minLength: 12, maxLength: 256, autoComplete: 'off', spellcheck: false, 'aria-describedby': 'ns-password-help' })}
            <p class="help" id="ns-password-help">{PASSWORD_RULE} Give it to them in person or by phone.</p>
          </div>
        </div>
        <label class="check"><input type="checkbox" checked={temporary} onChange={(e) => setTemporary(e.currentTarget.checked)} /> They choose their own password when they first sign in</label>
        <label class="check"><input type="checkbox" checked={admin} onChange={(e) => setAdmin(e.currentTarget.checked)} /> Administrator (manages teams and accounts)</label>
        <button class="primary" type="submit">{busy ? 'Creating…' : 'Create account'}</button>
      </fieldset>
      <div role="alert">{error && <p class="error">{error}</p>}</div>
      <div role="status">{made && <p class="ok">{made.display_name} can now sign in as <strong>{made.username}</strong>. <Link href={`/admin/staff/${made.id}`}>Put them on a team</Link> from their page or the team's.</p>}</div>
    </form>
  )
}

export function AdminStaffMember({ staffId, session, onSignOut }: { staffId: string; session: Session; onSignOut: () => void }) {
  const [person, setPerson] = useState<Staff | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const [deactivating, setDeactivating] = useState(false)
  const [reactivating, setReactivating] = useState(false)
  const load = () => api<Staff[]>('GET', '/api/staff').then((all) => {
    const p = all.find((s) => s.id === staffId)
    if (p) setPerson(p)
    else setError('There is no such staff account.')
  }, (e) => setError(problemWords(e)))
  useEffect(() => { void load() }, [staffId])
  const self = staffId === session.user.id
  return (
    <>
      <AdminNav here="staff" onSignOut={onSignOut} />
      <main class="page admin">
        <p><Link href="/admin/staff">← All staff</Link></p>
        <h1>{person?.display_name ?? 'Staff member'}</h1>
        {error && <p class="error" role="alert">{error}</p>}
        <div role="status">{notice && <p class="ok">{notice}</p>}</div>
        {person && (
          <>
            <section class="card" aria-labelledby="who-title">
              <h2 id="who-title">Account</h2>
              <p><strong>{person.username}</strong> · {disciplineWords(person.discipline)} <Tags s={person} /></p>
              <p>Teams: {person.teams.length === 0 ? 'none yet — add them from a team\'s page.' : person.teams.map((t, i) => (
                <span key={t.team_id}>{i > 0 && ', '}<Link href={`/admin/teams/${t.team_id}`}>{t.name}</Link> ({t.role})</span>
              ))}</p>
              <EditStaff person={person} onSaved={(p) => { setNotice(`Saved ${p.display_name}.`); void load() }} />
            </section>
            {person.active && <ResetPassword person={person} self={self} onDone={(m) => { setNotice(m); void load() }} />}
            <section class="card" aria-labelledby="status-title">
              <h2 id="status-title">{person.active ? 'Deactivate' : 'Reactivate'}</h2>
              {person.active ? (
                self ? <p>You cannot deactivate your own account.</p> : (
                  <>
                    <p>A deactivated person is signed out everywhere at once and cannot sign in. Their clients get a new case manager first: you choose who, for each client.</p>
                    <button class="danger" onClick={() => setDeactivating(true)}>Deactivate {person.display_name}…</button>
                  </>
                )
              ) : (
                <>
                  <p>{person.display_name} cannot sign in. Reactivating lets them sign in again with the password they had (reset it above afterwards if they forgot it); they are on the teams listed above.</p>
                  <button class="primary" onClick={() => setReactivating(true)}>Reactivate {person.display_name}</button>
                </>
              )}
            </section>
          </>
        )}
        {deactivating && person && (
          <HandoverDialog staffId={person.id}
            title={`Deactivate ${person.display_name}`}
            intro={`Choose who takes each client ${person.display_name} is case manager of (on every team). The clients move and the account is deactivated in one step; nothing changes if any part is refused.`}
            confirm={`Hand over and deactivate`}
            submit={(assignments) => api('POST', `/api/staff/${person.id}/deactivate`, { assignments })}
            onDone={() => { setDeactivating(false); setNotice(`${person.display_name} is deactivated and signed out everywhere.`); void load() }}
            onCancel={() => setDeactivating(false)} />
        )}
        {reactivating && person && (
          <ConfirmDialog title={`Reactivate ${person.display_name}?`} confirm="Reactivate"
            onConfirm={async () => {
              try {
                await api('PATCH', `/api/staff/${person.id}`, { active: true })
                setNotice(`${person.display_name} can sign in again.`)
                await load()
              } catch (e) { setError(problemWords(e)) }
              setReactivating(false)
            }}
            onCancel={() => setReactivating(false)}>
            <p>They can sign in again and see the teams they are on.</p>
          </ConfirmDialog>
        )}
      </main>
    </>
  )
}

function EditStaff({ person, onSaved }: { person: Staff; onSaved: (s: StaffOut) => void }) {
  const [name, setName] = useState(person.display_name)
  const [discipline, setDiscipline] = useState(person.discipline)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => { setName(person.display_name); setDiscipline(person.discipline) }, [person])
  const save = async (e: Event) => {
    e.preventDefault()
    setError(null)
    const p: Schemas['StaffPatch'] = {}
    if (name.trim() !== person.display_name) p.display_name = name.trim()
    if (discipline !== person.discipline) p.discipline = discipline
    if (!Object.keys(p).length) { setError('Nothing to save: nothing was changed.'); return }
    try { onSaved(await api<StaffOut>('PATCH', `/api/staff/${person.id}`, p)) } catch (err) { setError(problemWords(err)) }
  }
  return (
    <form onSubmit={save} aria-label="Name and discipline" class="row-actions">
      <div>
        <label for="ed-name">Name</label>
        <input id="ed-name" required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </div>
      <div>
        <label for="ed-discipline">Discipline</label>
        <select id="ed-discipline" value={discipline} onChange={(e) => setDiscipline(e.currentTarget.value)}>
          {DISCIPLINES.map((d) => <option key={d} value={d}>{disciplineWords(d)}</option>)}
        </select>
      </div>
      <button type="submit">Save</button>
      <div role="alert" style={{ flexBasis: '100%' }}>{error && <p class="error">{error}</p>}</div>
    </form>
  )
}

function ResetPassword({ person, self, onDone }: { person: Staff; self: boolean; onDone: (m: string) => void }) {
  const [pw, setPw] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const save = async (e: Event) => {
    e.preventDefault()
    setError(null)
    setBusy(true)
    try {
      await api('PATCH', `/api/staff/${person.id}`, { password: pw })
      setPw('')
      onDone(self
        ? 'Your password is changed; your other sessions ended.'
        : `${person.display_name}'s password is reset. They are signed out everywhere and must choose their own password when they next sign in with the temporary one.`)
    } catch (err) {
      setError(problemWords(err).replace(/^password:/, 'Password:'))
    } finally {
      setBusy(false)
    }
  }
  return (
    <form class="card" onSubmit={save} aria-labelledby="reset-title">
      <h2 id="reset-title">Reset the password</h2>
      <p>{self ? 'Set a new password for your own account.' : `For when ${person.display_name} forgot theirs: set a temporary password and tell them in person or by phone. Their sessions end at once, and they must choose their own password at the next sign-in.`}</p>
      <label for="reset-pw">{self ? 'New password' : 'Temporary password'}</label>
      <input id="reset-pw" type="text" required minLength={12} maxLength={256} autoComplete="off" spellcheck={false} value={pw}
        aria-describedby="reset-pw-help" onInput={(e) => setPw(e.currentTarget.value)} />
      <p class="help" id="reset-pw-help">{PASSWORD_RULE}</p>
      <button class="primary" type="submit" disabled={busy}>{busy ? 'Saving…' : self ? 'Change my password' : 'Reset password'}</button>
      <div role="alert">{error && <p class="error">{error}</p>}</div>
    </form>
  )
}
