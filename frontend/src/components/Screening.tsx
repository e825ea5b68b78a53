// Referral and screening on the client page (issue 14): where the referral came from, the
// latest screening's result with each reason in words (hospital days a month against the
// line of 4), and for leads the screening form (diagnosis, years of illness, impaired life
// areas, the high-need indicators) and the decision: Accept or Decline, with a reason box that
// is required when the decision goes against the recommendation, and on an ICM team a case
// manager picked with each one's caseload (n / 15). The server applies the rules
// (domain/care/screening.rs) and the cap; refusals are said in words.
import { useEffect, useState } from 'preact/hooks'
import { api, type MyTeam, type Schemas } from '../lib/api'
import { problemWords } from '../lib/problem'
import { refusalWords } from '../lib/refusal'
import { ApiError } from '../lib/api'
import { longDay } from '../lib/time'
import { useTeamEvents } from '../lib/liveScope'
import {
  DIAGNOSES, IMPAIRMENTS, aboveLine, againstRecommendation, daysPerMonth, diagnosisWord,
  recommendationWord, screeningProblems, HOSPITAL_DAYS_LINE, type DecisionKind, type Impairment,
} from '../lib/screening'
import { ManagerOptions } from './ClientLifecycle'
import '../screening.css'
import { staffName } from './common'
import type { Board, ClientOut } from '../live/types'

type Screening = Schemas['ScreeningOut']

const dayY = (d: string) => `${longDay(d)} ${d.slice(0, 4)}`

export function ScreeningPanel({ team, client, board, names, onChanged }: {
  team: MyTeam; client: ClientOut; board: Board | null; names: (id: string | null | undefined) => string; onChanged: () => Promise<void> | void
}) {
  const base = `/api/teams/${team.team_id}/clients/${client.id}/screening`
  const [latest, setLatest] = useState<Screening | null | undefined>(undefined)
  const [open, setOpen] = useState(false)
  const [correcting, setCorrecting] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [said, setSaid] = useState<string | null>(null)
  const load = () => api<Screening | null>('GET', base).then(setLatest, (e) => setError(problemWords(e)))
  useEffect(() => { setOpen(false); void load() }, [base, client.status])
  useTeamEvents(team.team_id, (k) => k === 'screening.recorded' || k === 'screening.decided', (e) => {
    if ((e.data as { client_id?: string } | null)?.client_id === client.id) void load()
  })
  const isLead = team.role === 'lead'
  const waiting = client.status === 'referred' || client.status === 'screening'
  const undecided = client.status === 'screening' && latest && !latest.decision
  if (latest === undefined) return <section class="card screening" aria-label="Screening"><h2>Referral and screening</h2><p>Loading…</p></section>
  if (!latest && !waiting && !client.referral) return null
  const r = client.referral

  return (
    <section class="card screening" aria-label="Screening">
      <h2>Referral and screening</h2>
      {error && <p class="error" role="alert">{error}</p>}
      <div role="status">{said && <p class="ok">{said}</p>}</div>
      {r && !correcting && (
        <p class="referral">Referred by <strong>{r.source}</strong>{r.received_on ? ` on ${dayY(r.received_on)}` : ''}{r.reason ? <>: <q>{r.reason}</q></> : ''}</p>
      )}
      {isLead && waiting && !correcting && !open && (
        <button onClick={() => { setCorrecting(true); setSaid(null) }}>{r ? 'Correct the referral…' : 'Record where the referral came from…'}</button>
      )}
      {isLead && waiting && correcting && (
        <ReferralForm team={team} client={client} onCancel={() => setCorrecting(false)} onSaved={async () => {
          setCorrecting(false); setSaid('Referral saved.'); await onChanged()
        }} />
      )}
      {client.status === 'declined' && <p class="declined-note"><strong>Declined</strong> — not taken on after screening. A lead may refer them again (Status and care).</p>}
      {!latest ? (
        <p>{waiting ? 'Not screened yet.' : 'No screening recorded.'}</p>
      ) : (
        <ScreeningResult s={latest} names={names} />
      )}
      {isLead && waiting && !open && (
        <button onClick={() => { setOpen(true); setSaid(null) }}>{latest ? 'Screen again…' : 'Screen…'}</button>
      )}
      {isLead && waiting && open && (
        <ScreeningForm previous={latest ?? null} onCancel={() => setOpen(false)} onSubmit={async (body) => {
          setError(null)
          try {
            const s = await api<Screening>('PUT', base, body)
            setOpen(false)
            setLatest(s)
            setSaid(`Screened: ${recommendationWord(s.recommendation)}.`)
            await onChanged()
            return null
          } catch (e) {
            return problemWords(e)
          }
        }} />
      )}
      {isLead && undecided && !open && latest && (
        <DecisionForm team={team} screening={latest} board={board} clientName={`${client.preferred_name ?? client.given_name} ${client.family_name}`}
          onDone={async (words) => { setSaid(words); await load(); await onChanged() }} />
      )}
    </section>
  )
}

function ReferralForm({ team, client, onCancel, onSaved }: {
  team: MyTeam; client: ClientOut; onCancel: () => void; onSaved: () => Promise<void>
}) {
  const r = client.referral
  const [source, setSource] = useState(r?.source ?? '')
  const [day, setDay] = useState(r?.received_on ?? '')
  const [reason, setReason] = useState(r?.reason ?? '')
  const [problem, setProblem] = useState<string | null>(null)
  return (
    <form class="referral-form" aria-label="Referral" onSubmit={async (e) => {
      e.preventDefault()
      setProblem(null)
      try {
        await api('PATCH', `/api/teams/${team.team_id}/clients/${client.id}`, {
          version: client.version,
          referral: { source: source.trim(), received_on: day || undefined, reason: reason.trim() || undefined },
        } satisfies Schemas['ClientPatch'])
        await onSaved()
      } catch (x) {
        setProblem(x instanceof ApiError && x.code === 'version_conflict' ? 'Someone else changed this record meanwhile; reload the page and try again.' : problemWords(x))
      }
    }}>
      <div class="row">
        <div><label for="refc-source">Referred by</label>
          <input id="refc-source" required maxLength={200} value={source} onInput={(e) => setSource((e.target as HTMLInputElement).value)} /></div>
        <div><label for="refc-day">Referral received</label>
          <input id="refc-day" type="date" value={day} onInput={(e) => setDay((e.target as HTMLInputElement).value)} /></div>
      </div>
      <div><label for="refc-reason">Reason for the referral</label>
        <textarea id="refc-reason" rows={2} maxLength={2000} value={reason} onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} /></div>
      {problem && <p class="error" role="alert">{problem}</p>}
      <div class="actions">
        <button type="submit" class="primary" disabled={!source.trim()}>Save referral</button>
        <button type="button" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  )
}

function ScreeningResult({ s, names }: { s: Screening; names: (id: string | null | undefined) => string }) {
  const rec = s.recommendation
  const line = aboveLine(s.answers.hospital_days_24m)
  return (
    <div class="screening-result" data-testid="screening-result">
      <p class={`recommendation rec-${rec}`}><span class="rec-label">Recommendation</span> <strong>{recommendationWord(rec)}</strong></p>
      <p>{s.explanation}</p>
      <div class="reasons">
        <div>
          <h3>{s.smi ? '✓ Serious mental illness' : '✗ Not all three SMI tests met'}</h3>
          <ul>{s.smi_reasons.map((x, i) => <li key={i}>{x}</li>)}</ul>
        </div>
        <div>
          <h3>{s.high_need ? `▲ High need (${s.high_need_reasons.length})` : 'No high-need indicator'}</h3>
          {s.high_need_reasons.length > 0 && <ul>{s.high_need_reasons.map((x, i) => <li key={i}>{x}</li>)}</ul>}
        </div>
      </div>
      <p class={line ? 'hospital above' : 'hospital'}>Hospital days a month: <strong>{daysPerMonth(s.answers.hospital_days_24m)}</strong> ({s.answers.hospital_days_24m} in 24 months){line ? ` — at or above the line of ${HOSPITAL_DAYS_LINE}` : ''}</p>
      <p class="muted">{diagnosisWord(s.answers.diagnosis)} · screened {dayY(s.screened_on)} by {names(s.screened_by)}</p>
      {s.decision && (
        <p class={`decision-made ${s.decision}`}>
          <strong>{s.decision === 'accept' ? 'Accepted' : 'Declined'}</strong>{s.decided_at ? ` ${dayY(s.decided_at.slice(0, 10))}` : ''} by {names(s.decided_by)}
          {s.against_recommendation ? ' (against the recommendation)' : ''}{s.decision_reason ? <>: <q>{s.decision_reason}</q></> : ''}
        </p>
      )}
    </div>
  )
}

type Form = {
  diagnosis: string; illness_years: string; impairments: Impairment[]; psychiatric_admissions_12m: string
  hospital_days_24m: string; ed_visits_12m: string; homeless: boolean; justice_involved: boolean; co_occurring_sud: boolean; not_engaging_office: boolean
}

const INDICATORS: [keyof Pick<Form, 'homeless' | 'justice_involved' | 'co_occurring_sud' | 'not_engaging_office'>, string][] = [
  ['homeless', 'Homeless'],
  ['justice_involved', 'Involved with the justice system'],
  ['co_occurring_sud', 'Co-occurring substance use'],
  ['not_engaging_office', 'Not engaging with office-based services'],
]

function ScreeningForm({ previous, onCancel, onSubmit }: {
  previous: Screening | null; onCancel: () => void; onSubmit: (b: Schemas['ScreeningBody']) => Promise<string | null>
}) {
  const p = previous?.answers
  const [f, setF] = useState<Form>({
    diagnosis: p?.diagnosis ?? '', illness_years: p ? String(p.illness_years) : '', impairments: p?.impairments ?? [],
    psychiatric_admissions_12m: String(p?.psychiatric_admissions_12m ?? 0), hospital_days_24m: String(p?.hospital_days_24m ?? 0),
    ed_visits_12m: String(p?.ed_visits_12m ?? 0), homeless: p?.homeless ?? false, justice_involved: p?.justice_involved ?? false,
    co_occurring_sud: p?.co_occurring_sud ?? false, not_engaging_office: p?.not_engaging_office ?? false,
  })
  const [problem, setProblem] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const problems = screeningProblems(f)
  const num = (k: 'illness_years' | 'psychiatric_admissions_12m' | 'hospital_days_24m' | 'ed_visits_12m', label: string, max: number, hint?: string) => (
    <div><label for={`scr-${k}`}>{label}</label>
      <input id={`scr-${k}`} type="number" inputMode="numeric" min={0} max={max} step={1} required value={f[k]}
        onInput={(e) => setF({ ...f, [k]: (e.target as HTMLInputElement).value })} />
      {hint && <p class="hint">{hint}</p>}</div>
  )
  const hd = Number(f.hospital_days_24m)
  return (
    <form class="screening-form" aria-label="Screening form" onSubmit={async (e) => {
      e.preventDefault()
      if (problems.length || busy) return
      setBusy(true)
      const words = await onSubmit({
        diagnosis: f.diagnosis as Schemas['Diagnosis'], illness_years: Number(f.illness_years), impairments: f.impairments,
        psychiatric_admissions_12m: Number(f.psychiatric_admissions_12m), hospital_days_24m: Number(f.hospital_days_24m),
        ed_visits_12m: Number(f.ed_visits_12m), homeless: f.homeless, justice_involved: f.justice_involved,
        co_occurring_sud: f.co_occurring_sud, not_engaging_office: f.not_engaging_office,
      })
      setBusy(false)
      setProblem(words)
    }}>
      <fieldset><legend>Serious mental illness: the three tests</legend>
        <div class="row">
          <div><label for="scr-diagnosis">Diagnosis</label>
            <select id="scr-diagnosis" required value={f.diagnosis} onChange={(e) => setF({ ...f, diagnosis: (e.target as HTMLSelectElement).value })}>
              <option value="">Choose…</option>
              {DIAGNOSES.map(([k, w]) => <option key={k} value={k}>{w}</option>)}
            </select></div>
          {num('illness_years', 'Years of illness', 100, 'At least 2 for SMI.')}
        </div>
        <p class="label">Impaired in (at least one for SMI)</p>
        <div class="checks" role="group" aria-label="Impairments">
          {IMPAIRMENTS.map(([k, w]) => (
            <label key={k} class={f.impairments.includes(k) ? 'chosen' : ''}>
              <input type="checkbox" checked={f.impairments.includes(k)} onChange={(e) => {
                const on = (e.target as HTMLInputElement).checked
                setF({ ...f, impairments: on ? [...f.impairments, k] : f.impairments.filter((x) => x !== k) })
              }} />{w}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset><legend>High-need indicators (any one)</legend>
        <div class="row">
          {num('hospital_days_24m', 'Hospital days, last 24 months', 731, Number.isFinite(hd) ? `${daysPerMonth(hd)} a month; 96 (4 a month) or more is high need.` : undefined)}
          {num('psychiatric_admissions_12m', 'Psychiatric admissions, last 12 months', 365, '2 or more is high need.')}
          {num('ed_visits_12m', 'Emergency visits, last 12 months', 365, '4 or more is high need.')}
        </div>
        <div class="checks" role="group" aria-label="Indicators">
          {INDICATORS.map(([k, w]) => (
            <label key={k} class={f[k] ? 'chosen' : ''}>
              <input type="checkbox" checked={f[k]} onChange={(e) => setF({ ...f, [k]: (e.target as HTMLInputElement).checked })} />{w}
            </label>
          ))}
        </div>
      </fieldset>
      {problem && <p class="error" role="alert">{problem}</p>}
      {problems.length > 0 && <p class="hint">{problems.join(' ')}</p>}
      <div class="actions">
        <button type="submit" class="primary" disabled={problems.length > 0 || busy}>Record screening</button>
        <button type="button" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  )
}

function DecisionForm({ team, screening, board, clientName, onDone }: {
  team: MyTeam; screening: Screening; board: Board | null; clientName: string; onDone: (words: string) => Promise<void>
}) {
  const icm = team.mode === 'icm'
  const [choice, setChoice] = useState<DecisionKind | null>(null)
  const [reason, setReason] = useState('')
  const [manager, setManager] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const against = choice ? againstRecommendation(choice, screening.recommendation) : false
  const needsManager = choice === 'accept' && icm
  const ready = !!choice && (!against || reason.trim() !== '') && (!needsManager || manager !== '')
  const staff = board?.staff ?? []
  const cap = board?.team.caseload_cap ?? 15
  return (
    <form class="decision-form" aria-label="Decision" onSubmit={async (e) => {
      e.preventDefault()
      if (!ready || busy || !choice) return
      setBusy(true); setProblem(null)
      try {
        await api('POST', `/api/teams/${team.team_id}/clients/${screening.client_id}/screening/decision`, {
          decision: choice, reason: reason.trim() || null, case_manager_id: choice === 'accept' && manager ? manager : null,
        } satisfies Schemas['DecisionBody'])
        await onDone(choice === 'accept'
          ? `${clientName} is accepted and active${manager ? ` with ${staffName(staff, manager)}` : ''}.`
          : `${clientName} is declined.`)
      } catch (x) {
        setProblem(x instanceof ApiError && x.code !== 'validation_failed' ? refusalWords(x, (id) => staffName(staff, id), manager || null) : problemWords(x))
      } finally { setBusy(false) }
    }}>
      <h3>Decision</h3>
      <div class="choices" role="radiogroup" aria-label="Accept or decline">
        <label class={choice === 'accept' ? 'chosen' : ''}><input type="radio" name="decision" checked={choice === 'accept'} onChange={() => setChoice('accept')} />Accept</label>
        <label class={choice === 'decline' ? 'chosen' : ''}><input type="radio" name="decision" checked={choice === 'decline'} onChange={() => setChoice('decline')} />Decline</label>
      </div>
      {needsManager && (
        <div><label for="dec-manager">Accept with case manager</label>
          <select id="dec-manager" required value={manager} onChange={(e) => setManager((e.target as HTMLSelectElement).value)}>
            <option value="">Choose…</option>
            <ManagerOptions staff={staff} icm cap={cap} />
          </select></div>
      )}
      {choice && (
        <div><label for="dec-reason">{against ? 'Why, against the recommendation (required)' : 'Reason (optional)'}</label>
          <textarea id="dec-reason" rows={2} maxLength={1000} value={reason} onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} /></div>
      )}
      {against && <p class="against">The screening recommends: {recommendationWord(screening.recommendation)}. Say why you decide otherwise.</p>}
      {problem && <p class="error" role="alert">{problem}</p>}
      <div class="actions">
        <button type="submit" class="primary" disabled={!ready || busy}>{choice === 'decline' ? 'Decline referral' : 'Accept and admit'}</button>
      </div>
    </form>
  )
}
