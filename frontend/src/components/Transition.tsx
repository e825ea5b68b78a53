// The client's transition on the client page: a lead reviews readiness over six areas
// (ready / unclear / not ready), chooses the plan (step down to an ICM team, transfer, or
// discharge) and the receiving team and person, fills in the warm hand-off (I-PASS: illness
// severity, summary, actions, situation awareness and contingencies), then completes or
// cancels it. The readiness summary is the server's rule (domain/care/transition.rs), shown
// in its words. After a completed transition the sending team's check-ins at 30, 60 and 90
// days are listed with a way to record each; a client discharged within the last year can
// return to the caseload without new screening.
import { useEffect, useState } from 'preact/hooks'
import { api, type MyTeam, type Schemas } from '../lib/api'
import { problemWords } from '../lib/problem'
import { addDays, longDay, teamDay } from '../lib/time'
import { useTeamEvents } from '../lib/liveScope'
import type { Board, CheckinOut, ClientOut, TransitionOut } from '../live/types'
import { DISCHARGE_REASONS, ManagerOptions } from './ClientLifecycle'
import { staffName } from './common'

type Area = keyof Schemas['ReadinessAreas']
type Readiness = Schemas['Readiness']
type Plan = Schemas['TransitionPlan']
type Severity = Schemas['IllnessSeverity']
type Outcome = Schemas['CheckinOutcome']

export const AREAS: [Area, string][] = [
  ['housing', 'Housing'],
  ['hospitalization', 'Hospitalization'],
  ['emergency_use', 'Emergency use'],
  ['engagement', 'Engagement'],
  ['medication', 'Medication'],
  ['justice', 'Justice'],
]
const READINESS: [Readiness, string][] = [['ready', 'Ready'], ['unclear', 'Unclear'], ['not_ready', 'Not ready']]
const READINESS_WORD: Record<Readiness, string> = { ready: '✓ Ready', unclear: '? Unclear', not_ready: '✗ Not ready' }
const SUMMARY_ICON: Record<Schemas['ReadinessSummary'], string> = { consider: '✓', unclear: '?', not_ready: '✗' }
const PLANS: [Plan, string][] = [
  ['step_down', 'Step down to an ICM team'],
  ['transfer', 'Transfer to another team'],
  ['discharge', 'Discharge (standard or primary care)'],
]
const OUTCOMES: [Outcome, string][] = [
  ['reached', 'Reached — doing well'],
  ['needs_support', 'Reached — needs support'],
  ['not_reached', 'Not reached'],
]
const OUTCOME_WORD: Record<Outcome, string> = { reached: 'Reached', needs_support: 'Needs support', not_reached: 'Not reached' }

const dayY = (d: string) => `${longDay(d)} ${d.slice(0, 4)}`

export function TransitionPanel({ team, teams, client, board, onChanged }: {
  team: MyTeam; teams: MyTeam[]; client: ClientOut; board: Board | null; onChanged: () => void | Promise<void>
}) {
  const base = `/api/teams/${team.team_id}/clients/${client.id}`
  const isLead = team.role === 'lead'
  const canRecord = team.role !== 'viewer'
  const [tr, setTr] = useState<TransitionOut | null>(null)
  const [checkins, setCheckins] = useState<CheckinOut[]>([])
  const [error, setError] = useState<string | null>(null)
  const [said, setSaid] = useState<string | null>(null)
  const [planning, setPlanning] = useState(false)
  const load = async () => {
    try {
      setTr(await api<TransitionOut>('GET', `${base}/transition`))
    } catch { setTr(null) }
    try { setCheckins(await api<CheckinOut[]>('GET', `${base}/checkins`)) } catch { setCheckins([]) }
  }
  useEffect(() => { void load() }, [base, client.version, client.status])
  useTeamEvents(team.team_id, (k) => k.startsWith('transition.') || k.startsWith('checkin'), (e) => {
    if ((e.data as { client_id?: string } | null)?.client_id === client.id) void load()
  })
  const run = async (f: () => Promise<unknown>, words: string) => {
    setError(null); setSaid(null)
    try { await f(); setSaid(words); await load(); await onChanged(); return true } catch (e) { setError(problemWords(e)); return false }
  }

  const open = tr?.state === 'open' ? tr : null
  const today = teamDay(team.timezone)
  const canReturn = isLead && client.status === 'discharged' && !!client.discharged_on && addDays(client.discharged_on, 365) >= today
  const showPanel = open || checkins.length > 0 || tr || (isLead && client.status === 'active') || canReturn
  if (!showPanel) return null

  return (
    <section class="card transition" aria-label="Transition" data-testid="transition-panel" style={{ marginTop: '1rem' }}>
      <h2>Transition</h2>
      {error && <p class="error" role="alert">{error}</p>}
      <div role="status">{said && <p class="ok">{said}</p>}</div>
      {open ? (
        <OpenTransition tr={open} teams={teams} isLead={isLead} run={run} base={base} />
      ) : tr && tr.state === 'completed' ? (
        <p>Completed {tr.completed_on ? dayY(tr.completed_on) : ''}: {PLANS.find(([p]) => p === tr.plan)?.[1]}{tr.to_team_id ? ` — ${teams.find((t) => t.team_id === tr.to_team_id)?.name ?? 'another team'}` : ''}.</p>
      ) : null}
      {!open && isLead && client.status === 'active' && (
        planning
          ? <StartForm team={team} teams={teams} base={base} onDone={async (ok) => { if (ok) { setPlanning(false); setSaid('Transition started: the client is transitioning.'); await load(); await onChanged() } }} onError={setError} onCancel={() => setPlanning(false)} />
          : <button class="primary" onClick={() => { setPlanning(true); setSaid(null) }} data-testid="plan-transition">Plan a transition…</button>
      )}
      {checkins.length > 0 && <Checkins list={checkins} canRecord={canRecord} base={base} run={run} board={board} today={today} />}
      {canReturn && <ReturnForm team={team} board={board} run={run} base={base} discharged={client.discharged_on!} />}
    </section>
  )
}

function ReadinessList({ tr }: { tr: TransitionOut }) {
  return (
    <ul class="readiness" aria-label="Readiness">
      {AREAS.map(([k, label]) => (
        <li key={k} class={`r-${tr.readiness[k]}`}><strong>{label}</strong>: {READINESS_WORD[tr.readiness[k]]}</li>
      ))}
    </ul>
  )
}

function OpenTransition({ tr, teams, isLead, run, base }: {
  tr: TransitionOut; teams: MyTeam[]; isLead: boolean; base: string; run: (f: () => Promise<unknown>, words: string) => Promise<boolean>
}) {
  const [reason, setReason] = useState<Schemas['DischargeReason'] | ''>('')
  const [outcome, setOutcome] = useState('')
  const [toBoard, setToBoard] = useState<Board | null>(null)
  useEffect(() => {
    if (tr.to_team_id) api<Board>('GET', `/api/teams/${tr.to_team_id}/board`).then(setToBoard, () => setToBoard(null))
  }, [tr.to_team_id])
  const toTeam = teams.find((t) => t.team_id === tr.to_team_id)
  const who = (id: string | null | undefined) => staffName(toBoard?.staff ?? [], id)
  const h = tr.handoff
  const complete = () => {
    const body: Schemas['CompleteBody'] = tr.plan === 'discharge'
      ? { discharge_reason: reason || undefined, resolve_open_flags: outcome.trim() ? { outcome: outcome.trim() } : undefined }
      : {}
    return run(() => api('POST', `${base}/transition/complete`, body), tr.plan === 'discharge' ? 'Discharged: check-ins at 30, 60 and 90 days are scheduled.' : `Moved to ${toTeam?.name ?? 'the receiving team'} with the warm hand-off: check-ins at 30, 60 and 90 days are scheduled.`)
  }
  return (
    <div data-testid="open-transition">
      <p class={`summary s-${tr.readiness_summary}`} data-testid="readiness-summary">
        <span aria-hidden="true">{SUMMARY_ICON[tr.readiness_summary]} </span>{tr.readiness_words}</p>
      <ReadinessList tr={tr} />
      <p><strong>Plan:</strong> {PLANS.find(([p]) => p === tr.plan)?.[1]}
        {toTeam ? <> to <strong>{toTeam.name}</strong></> : tr.to_team_id ? ' to another team' : ''}
        {tr.to_case_manager_id ? <> with <strong>{who(tr.to_case_manager_id)}</strong></> : ''}</p>
      {tr.note && <p><strong>Why:</strong> {tr.note}</p>}
      {h && (
        <div class="warm-handoff" data-testid="warm-handoff">
          <strong>Warm hand-off</strong> to {who(h.to_staff_id ?? tr.to_case_manager_id)} · <strong>{h.severity}</strong>: {h.summary}
          {h.actions && h.actions.length > 0 && <ul>{h.actions.map((a, i) => <li key={i}>{a}</li>)}</ul>}
          {h.contingency && <p>If … then: {h.contingency}</p>}
        </div>
      )}
      {isLead && (
        <div class="complete">
          {tr.plan === 'discharge' && (
            <div class="row">
              <div><label for="tr-reason">Discharge reason</label>
                <select id="tr-reason" value={reason} onChange={(e) => setReason((e.target as HTMLSelectElement).value as Schemas['DischargeReason'])}>
                  <option value="">Choose…</option>
                  {DISCHARGE_REASONS.map(([r, w]) => <option key={r} value={r}>{w}</option>)}
                </select></div>
              <div><label for="tr-outcome">Outcome for open flags (if any)</label>
                <input id="tr-outcome" value={outcome} onInput={(e) => setOutcome((e.target as HTMLInputElement).value)} /></div>
            </div>
          )}
          <div class="row">
            <button class="primary" onClick={() => void complete()} data-testid="complete-transition">
              {tr.plan === 'discharge' ? 'Complete: discharge' : `Complete: move to ${toTeam?.name ?? 'the receiving team'}`}
            </button>
            <button onClick={() => void run(() => api('POST', `${base}/transition/cancel`, {}), 'Transition cancelled: the client is active again.')}>Cancel transition</button>
          </div>
        </div>
      )}
    </div>
  )
}

function StartForm({ team, teams, base, onDone, onError, onCancel }: {
  team: MyTeam; teams: MyTeam[]; base: string; onDone: (ok: boolean) => void; onError: (s: string | null) => void; onCancel: () => void
}) {
  const [areas, setAreas] = useState<Partial<Record<Area, Readiness>>>({})
  const [plan, setPlan] = useState<Plan>('discharge')
  const [toTeam, setToTeam] = useState('')
  const [toBoard, setToBoard] = useState<Board | null>(null)
  const [cm, setCm] = useState('')
  const [note, setNote] = useState('')
  const [receiver, setReceiver] = useState('')
  const [severity, setSeverity] = useState<Severity>('stable')
  const [summary, setSummary] = useState('')
  const [actions, setActions] = useState('')
  const [contingency, setContingency] = useState('')
  const [busy, setBusy] = useState(false)
  const moves = plan !== 'discharge'
  const targets = teams.filter((t) => t.team_id !== team.team_id && t.role === 'lead' && (plan !== 'step_down' || t.mode === 'icm'))
  useEffect(() => {
    setToBoard(null); setCm(''); setReceiver('')
    if (toTeam) api<Board>('GET', `/api/teams/${toTeam}/board`).then(setToBoard, (e) => onError((e as Error).message))
  }, [toTeam])
  useEffect(() => { if (!targets.some((t) => t.team_id === toTeam)) setToTeam('') }, [plan])
  const missing = AREAS.filter(([k]) => !areas[k]).map(([, l]) => l)
  const submit = async (e: Event) => {
    e.preventDefault()
    if (missing.length) { onError(`Rate every area: ${missing.join(', ')}`); return }
    onError(null); setBusy(true)
    const body: Schemas['TransitionBody'] = {
      readiness: areas as Schemas['ReadinessAreas'],
      plan,
      note,
      to_team_id: moves ? toTeam || undefined : undefined,
      to_case_manager_id: moves ? cm || undefined : undefined,
      handoff: moves && summary.trim() ? {
        to_staff_id: receiver || undefined,
        severity,
        summary: summary.trim(),
        actions: actions.split('\n').map((a) => a.trim()).filter(Boolean),
        contingency: contingency.trim(),
      } : undefined,
    }
    try { await api('POST', `${base}/transition`, body); onDone(true) } catch (err) { onError(problemWords(err)); onDone(false) } finally { setBusy(false) }
  }
  return (
    <form aria-label="Plan a transition" onSubmit={(e) => void submit(e)} class="transition-form">
      <fieldset><legend>Readiness</legend>
        <table class="readiness-grid"><tbody>
          {AREAS.map(([k, label]) => (
            <tr key={k} role="radiogroup" aria-label={label}><th scope="row">{label}</th>
              {READINESS.map(([r, w]) => (
                <td key={r}><label class="choice"><input type="radio" name={`area-${k}`} value={r} checked={areas[k] === r}
                  onChange={() => { setAreas({ ...areas, [k]: r }); onError(null) }} /> {w}</label></td>
              ))}
            </tr>
          ))}
        </tbody></table>
      </fieldset>
      <fieldset><legend>Plan</legend>
        {PLANS.map(([p, w]) => (
          <label key={p} class="choice"><input type="radio" name="tr-plan" value={p} checked={plan === p} onChange={() => setPlan(p)} /> {w}</label>
        ))}
      </fieldset>
      {moves && (
        <fieldset><legend>Receiving team</legend>
          <div class="row">
            <div><label for="tr-team">Team</label>
              <select id="tr-team" required value={toTeam} onChange={(e) => setToTeam((e.target as HTMLSelectElement).value)}>
                <option value="">{targets.length ? 'Choose…' : plan === 'step_down' ? 'No ICM team you lead' : 'No other team you lead'}</option>
                {targets.map((t) => <option key={t.team_id} value={t.team_id}>{t.name} ({t.mode.toUpperCase()})</option>)}
              </select></div>
            <div><label for="tr-cm">{toBoard?.team.mode === 'act' ? 'Primary contact there' : 'Case manager there'}</label>
              <select id="tr-cm" value={cm} disabled={!toBoard} onChange={(e) => { const v = (e.target as HTMLSelectElement).value; setCm(v); if (!receiver) setReceiver(v) }}>
                <option value="">{toBoard ? 'Choose…' : 'Choose a team first'}</option>
                {toBoard && <ManagerOptions staff={toBoard.staff} icm={toBoard.team.mode === 'icm'} cap={toBoard.team.caseload_cap} />}
              </select></div>
          </div>
        </fieldset>
      )}
      {moves && (
        <fieldset><legend>Warm hand-off (I-PASS)</legend>
          <div class="row">
            <div><label for="tr-receiver">Receives it</label>
              <select id="tr-receiver" value={receiver} disabled={!toBoard} onChange={(e) => setReceiver((e.target as HTMLSelectElement).value)}>
                <option value="">{toBoard ? 'Choose…' : 'Choose a team first'}</option>
                {toBoard?.staff.filter((s) => s.role !== 'viewer').map((s) => <option key={s.id} value={s.id}>{s.display_name}</option>)}
              </select></div>
            <div><label for="tr-severity">Illness severity</label>
              <select id="tr-severity" value={severity} onChange={(e) => setSeverity((e.target as HTMLSelectElement).value as Severity)}>
                <option value="stable">Stable</option><option value="watcher">Watcher</option><option value="unstable">Unstable</option>
              </select></div>
          </div>
          <label for="tr-summary">Patient summary</label>
          <textarea id="tr-summary" rows={2} maxLength={1000} value={summary} onInput={(e) => setSummary((e.target as HTMLTextAreaElement).value)} />
          <label for="tr-actions">Actions for the receiver (one per line)</label>
          <textarea id="tr-actions" rows={2} value={actions} onInput={(e) => setActions((e.target as HTMLTextAreaElement).value)} />
          <label for="tr-contingency">Situation awareness and contingencies ("if … then …")</label>
          <textarea id="tr-contingency" rows={2} maxLength={1000} value={contingency} onInput={(e) => setContingency((e.target as HTMLTextAreaElement).value)} />
        </fieldset>
      )}
      <label for="tr-note">Why (in words)</label>
      <textarea id="tr-note" rows={2} maxLength={1000} value={note} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} />
      <div class="row">
        <button class="primary" type="submit" disabled={busy}>Start transition</button>
        <button type="button" onClick={onCancel}>Close</button>
      </div>
    </form>
  )
}

function Checkins({ list, canRecord, base, run, board, today }: {
  list: CheckinOut[]; canRecord: boolean; base: string; board: Board | null; today: string
  run: (f: () => Promise<unknown>, words: string) => Promise<boolean>
}) {
  const [recording, setRecording] = useState<string | null>(null)
  const [outcome, setOutcome] = useState<Outcome>('reached')
  const [note, setNote] = useState('')
  const who = (id: string | null | undefined) => staffName(board?.staff ?? [], id)
  return (
    <div class="checkins">
      <h3>Check-ins after the transition</h3>
      <ul data-testid="checkins">
        {list.map((k) => {
          const late = !k.outcome && k.due_on < today
          return (
            <li key={k.id} data-testid="checkin" class={late ? 'late' : ''}>
              <strong>Day {k.after_days}</strong> · {k.outcome ? 'was due' : late ? <strong class="overdue-word">OVERDUE since</strong> : 'due'} {dayY(k.due_on)}
              {k.outcome ? <> — <strong>{OUTCOME_WORD[k.outcome]}</strong>{k.note ? `: ${k.note}` : ''} ({who(k.recorded_by)})</> : canRecord && recording !== k.id && (
                <> <button onClick={() => { setRecording(k.id); setOutcome('reached'); setNote('') }} data-testid="record-checkin">Record check-in</button></>
              )}
              {recording === k.id && (
                <form class="row" aria-label={`Record the day ${k.after_days} check-in`} onSubmit={(e) => {
                  e.preventDefault()
                  void run(() => api('POST', `${base}/checkins/${k.id}`, { outcome, note: note.trim() || undefined } satisfies Schemas['CheckinBody']), `Day ${k.after_days} check-in recorded.`).then((ok) => { if (ok) setRecording(null) })
                }}>
                  <label for={`ck-outcome-${k.id}`}>Outcome</label>
                  <select id={`ck-outcome-${k.id}`} value={outcome} onChange={(e) => setOutcome((e.target as HTMLSelectElement).value as Outcome)}>
                    {OUTCOMES.map(([o, w]) => <option key={o} value={o}>{w}</option>)}
                  </select>
                  <label for={`ck-note-${k.id}`}>Note</label>
                  <input id={`ck-note-${k.id}`} maxLength={1000} value={note} onInput={(e) => setNote((e.target as HTMLInputElement).value)} />
                  <button class="primary" type="submit">Save</button>
                  <button type="button" onClick={() => setRecording(null)}>Close</button>
                </form>
              )}
            </li>
          )
        })}
      </ul>
    </div>
  )
}

function ReturnForm({ team, board, run, base, discharged }: {
  team: MyTeam; board: Board | null; base: string; discharged: string
  run: (f: () => Promise<unknown>, words: string) => Promise<boolean>
}) {
  const [cm, setCm] = useState('')
  const icm = team.mode === 'icm'
  return (
    <form class="return row" aria-label="Return to the caseload" onSubmit={(e) => {
      e.preventDefault()
      void run(() => api<ClientOut>('POST', `${base}/return`, { case_manager_id: cm || undefined } satisfies Schemas['ReturnBody']), 'Back on the caseload (no new screening: discharged within the last year).')
    }}>
      <p>Discharged {dayY(discharged)}: within a year, the client may return without new screening.</p>
      <label for="return-cm">{icm ? 'Case manager' : 'Primary contact (optional)'}</label>
      <select id="return-cm" required={icm} value={cm} onChange={(e) => setCm((e.target as HTMLSelectElement).value)}>
        <option value="">Choose…</option>
        {board && <ManagerOptions staff={board.staff} icm={icm} cap={board.team.caseload_cap} />}
      </select>
      <button class="primary" type="submit" data-testid="return-client">Return to the caseload</button>
    </form>
  )
}

/** Record one check-in where it is listed (the huddle's "Due today"): outcome and a note. */
export function CheckinRecorder({ teamId, clientId, checkinId, label }: { teamId: string; clientId: string; checkinId: string; label: string }) {
  const [open, setOpen] = useState(false)
  const [outcome, setOutcome] = useState<Outcome>('reached')
  const [note, setNote] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  if (!open) return <> <button type="button" class="record-checkin" onClick={() => setOpen(true)} aria-label={label}>Record…</button></>
  return (
    <form class="checkin-inline" aria-label={label} onSubmit={async (e) => {
      e.preventDefault(); setBusy(true); setError(null)
      try {
        await api('POST', `/api/teams/${teamId}/clients/${clientId}/checkins/${checkinId}`, { outcome, note: note.trim() || undefined } satisfies Schemas['CheckinBody'])
        setOpen(false)
      } catch (err) { setError(problemWords(err)) } finally { setBusy(false) }
    }}>
      {error && <p class="error" role="alert">{error}</p>}
      <label for={`ci-o-${checkinId}`}>Outcome</label>
      <select id={`ci-o-${checkinId}`} value={outcome} onChange={(e) => setOutcome((e.target as HTMLSelectElement).value as Outcome)}>
        {OUTCOMES.map(([o, w]) => <option key={o} value={o}>{w}</option>)}
      </select>
      <label for={`ci-n-${checkinId}`}>Note</label>
      <input id={`ci-n-${checkinId}`} maxLength={1000} value={note} onInput={(e) => setNote((e.target as HTMLInputElement).value)} />
      <button class="primary" type="submit" disabled={busy}>Save</button>
      <button type="button" onClick={() => setOpen(false)}>Close</button>
    </form>
  )
}
