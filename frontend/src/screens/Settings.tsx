// Team settings (`/teams/:team/settings`): what the team's leads change through
// PATCH /api/teams/{id}, and the wall displays' tokens (create → the link shown once with a
// QR code; revoke after an in-page confirmation). Members see the settings read-only.
import { useEffect, useState } from 'preact/hooks'
import { api, ApiError, type MyTeam, type Schemas } from '../lib/api'
import { problemWords } from '../lib/problem'
import type { Session } from '../lib/session'
import { TeamNav } from '../components/common'
import { navigate } from '../lib/router'
import { DisplayTokens } from '../components/DisplayTokens'
import { TimezoneField, timeZoneProblem } from '../components/TimezoneField'
import { DEFAULT_QUALIFYING, DIAGNOSES } from '../lib/screening'
import '../screening.css'
import '../settings.css'

type Team = Schemas['TeamOut']
type Patch = Schemas['TeamPatch']

export function SettingsScreen({ team, session, onSignOut }: { team: MyTeam; session: Session; onSignOut: () => void }) {
  const canChange = team.role === 'lead' || session.user.is_admin
  const [current, setCurrent] = useState<Team | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    setCurrent(null)
    api<Team>('GET', `/api/teams/${team.team_id}`).then(setCurrent, (e) => setError(problemWords(e)))
  }, [team.team_id])

  return (
    <>
      <TeamNav team={team} here="settings" onSignOut={onSignOut} />
      <main class="page settings">
        <h1>Team settings — {current?.name ?? team.name}</h1>
        {error && <p class="error" role="alert">{error}</p>}
        {!current ? !error && <p>Loading…</p> : <SettingsForm team={current} canChange={canChange} onSaved={setCurrent} />}
        {canChange && (
          <section class="card" aria-labelledby="import-title">
            <h2 id="import-title">Import clients</h2>
            <p>Add or update the team's clients from a CSV file (an existing caseload, or a list from another system).</p>
            <a class="button" href={`/teams/${team.team_id}/import`} onClick={(e) => { e.preventDefault(); navigate(`/teams/${team.team_id}/import`) }}>Import clients from a CSV file</a>
          </section>
        )}
        {canChange ? (
          <DisplayTokens teamId={team.team_id} defaultPrivacy={current?.privacy ?? 'initials'} />
        ) : (
          <section class="card" aria-labelledby="displays-title">
            <h2 id="displays-title">Wall displays</h2>
            <p>Only the team's leads can create or revoke display links for the wall screen.</p>
          </section>
        )}
      </main>
    </>
  )
}

export function SettingsForm({ team, canChange, onSaved }: { team: Team; canChange: boolean; onSaved: (t: Team) => void }) {
  const [name, setName] = useState(team.name)
  const [escalate, setEscalate] = useState(String(team.escalate_after_minutes))
  const [privacy, setPrivacy] = useState(team.privacy)
  const [timezone, setTimezone] = useState(team.timezone)
  const [mode, setMode] = useState(team.mode)
  const [cap, setCap] = useState(String(team.caseload_cap))
  const [qualifying, setQualifying] = useState<string[]>(team.qualifying_diagnoses)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [saved, setSaved] = useState<string | null>(null)

  // The form follows the team it shows (after a save, or a conflict's current version).
  const reset = (t: Team) => {
    setName(t.name); setEscalate(String(t.escalate_after_minutes)); setPrivacy(t.privacy)
    setTimezone(t.timezone); setMode(t.mode); setCap(String(t.caseload_cap)); setQualifying(t.qualifying_diagnoses)
  }
  useEffect(() => reset(team), [team])

  const save = async (e: Event) => {
    e.preventDefault()
    setError(null)
    setSaved(null)
    const tzProblem = timezone.trim() !== team.timezone ? timeZoneProblem(timezone) : null
    if (tzProblem) {
      setError(`Time zone: ${tzProblem}`)
      return
    }
    const p: Patch = { version: team.version }
    if (name.trim() !== team.name) p.name = name.trim()
    if (Number(escalate) !== team.escalate_after_minutes) p.escalate_after_minutes = Number(escalate)
    if (privacy !== team.privacy) p.privacy = privacy as Patch['privacy']
    if (timezone.trim() !== team.timezone) p.timezone = timezone.trim()
    if (mode !== team.mode) p.mode = mode as Patch['mode']
    if (Number(cap) !== team.caseload_cap) p.caseload_cap = Number(cap)
    if (qualifying.length === 0) {
      setError('Qualifying diagnoses: keep at least one.')
      return
    }
    const sameList = qualifying.length === team.qualifying_diagnoses.length && qualifying.every((d) => team.qualifying_diagnoses.includes(d as never))
    if (!sameList) {
      // All five is the contract's default: stored as "not narrowed".
      p.qualifying_diagnoses = qualifying.length === DEFAULT_QUALIFYING.length ? null : (qualifying as Patch['qualifying_diagnoses'])
    }
    if (Object.keys(p).length === 1) {
      setSaved('Nothing to save: no setting was changed.')
      return
    }
    setBusy(true)
    try {
      const t = await api<Team>('PATCH', `/api/teams/${team.id}`, p)
      onSaved(t)
      setSaved('Settings saved.')
    } catch (err) {
      if (err instanceof ApiError && err.code === 'version_conflict' && err.body.current) {
        // Reset here too, so the message and their values render together (the effect
        // on `team` runs a frame later).
        reset(err.body.current as Team)
        onSaved(err.body.current as Team)
        setError('Someone else changed these settings meanwhile. The form now shows their version: make your change again.')
      } else if (err instanceof ApiError && err.code === 'caseload_full') {
        const over = (err.body.over ?? []) as { display_name?: string }[]
        setError(`${err.message}${over.length ? ` (${over.map((o) => o.display_name).filter(Boolean).join(', ')})` : ''}`)
      } else {
        setError(problemWords(err))
      }
    } finally {
      setBusy(false)
    }
  }

  return (
    <form class="card" onSubmit={save} aria-labelledby="team-settings-title">
      <h2 id="team-settings-title">Team</h2>
      {!canChange && <p class="notice">Only the team's leads (and administrators) can change these settings.</p>}
      <fieldset disabled={!canChange || busy}>
        <legend class="sr-only">Team settings</legend>
        <div class="grid2">
          <div>
            <label for="set-name">Team name</label>
            <input id="set-name" value={name} maxLength={100} required onInput={(e) => setName(e.currentTarget.value)} />
          </div>
          <div>
            <label for="set-escalate">Escalate an unanswered emergency after (minutes)</label>
            <input id="set-escalate" type="number" min={1} max={240} required value={escalate} onInput={(e) => setEscalate(e.currentTarget.value)} aria-describedby="set-escalate-help" />
            <p class="help" id="set-escalate-help">1–240. The on-call person and the leads are alerted when an emergency flag has no responder by then.</p>
          </div>
          <div>
            <label for="set-privacy">Wall display default</label>
            <select id="set-privacy" value={privacy} onChange={(e) => setPrivacy(e.currentTarget.value)} aria-describedby="set-privacy-help">
              <option value="initials">Initials only (no client names or notes)</option>
              <option value="names">Names</option>
            </select>
            <p class="help" id="set-privacy-help">What a new display link shows unless you choose otherwise.</p>
          </div>
          <TimezoneField id="set-timezone" value={timezone} onInput={setTimezone} />
          <div>
            <label for="set-mode">Team model</label>
            <select id="set-mode" value={mode} onChange={(e) => setMode(e.currentTarget.value)} aria-describedby="set-mode-help">
              <option value="act">ACT (shared caseload)</option>
              <option value="icm">ICM (one case manager per client)</option>
            </select>
            <p class="help" id="set-mode-help">Switching to ICM is refused while an active client has no case manager or someone carries more than the cap.</p>
          </div>
          <div>
            <label for="set-cap">ICM caseload cap (clients per case manager)</label>
            <input id="set-cap" type="number" min={1} max={15} required value={cap} onInput={(e) => setCap(e.currentTarget.value)} aria-describedby="set-cap-help" />
            <p class="help" id="set-cap-help">1–15. Used on ICM teams; it cannot go below anyone's current caseload.</p>
          </div>
        </div>
        <fieldset class="qualifying" aria-describedby="set-qualifying-help">
          <legend>Diagnoses that qualify at screening</legend>
          <div class="checks">
            {DIAGNOSES.filter(([d]) => DEFAULT_QUALIFYING.includes(d)).map(([d, w]) => (
              <label key={d}><input type="checkbox" checked={qualifying.includes(d)}
                onChange={(e) => setQualifying(e.currentTarget.checked ? [...qualifying, d] : qualifying.filter((x) => x !== d))} /> {w}</label>
            ))}
          </div>
          <p class="help" id="set-qualifying-help">{team.qualifying_diagnoses_narrowed ? 'Narrowed for this team. ' : 'The default: all five. '}
            A team may narrow the list (some states exclude a personality disorder alone); screenings already recorded keep their result.</p>
        </fieldset>
        {canChange && <button class="primary" type="submit">{busy ? 'Saving…' : 'Save settings'}</button>}
      </fieldset>
      {error && <p class="error" role="alert">{error}</p>}
      {saved && <p class="saved" role="status">{saved}</p>}
    </form>
  )
}
