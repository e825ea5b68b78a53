// The client's assessment on the client page: the latest one (tier, why, next due — overdue
// stands out), earlier ones, and a form to record a new one: three factors rated 0–3 with
// the evidence behind each, and for leads an override of the computed tier with a reason.
// The server computes the tier (the rule is in domain/care/assessment.rs); the client's risk
// tier follows the latest assessment.
import { useEffect, useState } from 'preact/hooks'
import { api, type MyTeam, type Schemas } from '../lib/api'
import { problemWords } from '../lib/problem'
import { longDay, teamDay } from '../lib/time'
import { RISK_WORD } from './common'
import { useTeamEvents } from '../lib/liveScope'

type Assessment = Schemas['AssessmentOut']
type Factor = 'biomedical' | 'behavioral' | 'circumstantial'

const FACTORS: [Factor, string, string][] = [
  ['biomedical', 'Biomedical', 'physical health, medication effects'],
  ['behavioral', 'Behavioural', 'symptoms, substance use, self-harm, engagement'],
  ['circumstantial', 'Circumstantial', 'housing, money, justice, supports'],
]
const RATING_WORD = ['0 none', '1 mild', '2 moderate', '3 severe']

export function Assessments({ team, clientId, canWrite, names, onSaved }: {
  team: MyTeam; clientId: string; canWrite: boolean; names: (id: string) => string; onSaved: () => void
}) {
  const base = `/api/teams/${team.team_id}/clients/${clientId}/assessments`
  const [list, setList] = useState<Assessment[] | null>(null)
  const [open, setOpen] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [said, setSaid] = useState<string | null>(null)
  const load = () => api<Assessment[]>('GET', base).then(setList, (e) => setError((e as Error).message))
  useEffect(() => { void load() }, [base])
  // Another screen recorded one: show it.
  useTeamEvents(team.team_id, (kind) => kind === 'assessment.recorded', (e) => {
    if ((e.data as { client_id?: string } | null)?.client_id === clientId) void load()
  })
  const today = teamDay(team.timezone)
  const latest = list?.[0]
  const overdue = latest && latest.next_due < today

  return (
    <section class="card assessment" aria-label="Assessment">
      <h2>Assessment</h2>
      {error && <p class="error" role="alert">{error}</p>}
      <div role="status">{said && <p class="ok">{said}</p>}</div>
      {list === null ? <p>Loading…</p> : !latest ? <p>Not assessed yet.</p> : (
        <>
          <p style={{ fontSize: '20px' }}>
            <span class={`risk ${latest.tier}`}>{RISK_WORD[latest.tier]}</span> {longDay(latest.assessed_on)} by {names(latest.assessed_by)}
          </p>
          <p>{latest.explanation}</p>
          <p class={overdue ? 'due overdue' : 'due'}>{overdue ? `Reassessment overdue since ${longDay(latest.next_due)}` : `Next assessment due ${longDay(latest.next_due)}`}</p>
          <ul class="factors">{FACTORS.map(([k, label]) => (
            <li key={k}><strong>{label} {latest.factors[k]}</strong>{latest.evidence[k] ? `: ${latest.evidence[k]}` : ''}</li>
          ))}</ul>
          {list.length > 1 && (
            <details><summary>Earlier assessments ({list.length - 1})</summary>
              <ul>{list.slice(1).map((a) => (
                <li key={a.id}>{longDay(a.assessed_on)}: <strong>{a.tier}</strong> ({a.factors.biomedical}/{a.factors.behavioral}/{a.factors.circumstantial}) by {names(a.assessed_by)}</li>
              ))}</ul>
            </details>
          )}
        </>
      )}
      {canWrite && !open && <button onClick={() => { setOpen(true); setSaid(null) }}>New assessment…</button>}
      {canWrite && open && (
        <AssessmentForm isLead={team.role === 'lead'} onCancel={() => setOpen(false)} onSubmit={async (body) => {
          setError(null)
          try {
            const a = await api<Assessment>('POST', base, body)
            setOpen(false)
            setSaid(`Saved: ${a.tier} tier. Next assessment due ${longDay(a.next_due)}.`)
            await load()
            onSaved()
            return null
          } catch (e) {
            return problemWords(e)
          }
        }} />
      )}
    </section>
  )
}

function AssessmentForm({ isLead, onCancel, onSubmit }: {
  isLead: boolean; onCancel: () => void; onSubmit: (b: Schemas['NewAssessmentBody']) => Promise<string | null>
}) {
  const [ratings, setRatings] = useState<Record<Factor, number | null>>({ biomedical: null, behavioral: null, circumstantial: null })
  const [evidence, setEvidence] = useState<Record<Factor, string>>({ biomedical: '', behavioral: '', circumstantial: '' })
  const [override, setOverride] = useState<Schemas['RiskTier'] | ''>('')
  const [reason, setReason] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const missing = FACTORS.filter(([k]) => ratings[k] === null)
  const needEvidence = FACTORS.filter(([k]) => (ratings[k] ?? 0) > 0 && !evidence[k].trim())
  const ready = missing.length === 0 && needEvidence.length === 0 && (!override || reason.trim() !== '')
  return (
    <form class="assessment-form" aria-label="New assessment" onSubmit={async (e) => {
      e.preventDefault()
      if (!ready || busy) return
      setBusy(true)
      const r = (k: Factor) => ratings[k] ?? 0
      const words = await onSubmit({
        factors: { biomedical: r('biomedical'), behavioral: r('behavioral'), circumstantial: r('circumstantial') },
        evidence: { biomedical: evidence.biomedical || null, behavioral: evidence.behavioral || null, circumstantial: evidence.circumstantial || null },
        override_tier: override || null,
        override_reason: override ? reason : null,
      })
      setBusy(false)
      setProblem(words)
    }}>
      {FACTORS.map(([k, label, hint]) => (
        <fieldset key={k}>
          <legend>{label} <span class="hint">({hint})</span></legend>
          <div class="ratings" role="radiogroup" aria-label={`${label} rating`}>
            {RATING_WORD.map((w, i) => (
              <label key={i} class={ratings[k] === i ? 'chosen' : ''}>
                <input type="radio" name={`rating-${k}`} value={i} checked={ratings[k] === i} onChange={() => setRatings({ ...ratings, [k]: i })} />{w}
              </label>
            ))}
          </div>
          <label for={`evidence-${k}`}>{label} evidence{(ratings[k] ?? 0) > 0 ? ' (required)' : ''}</label>
          <textarea id={`evidence-${k}`} rows={2} maxLength={2000} value={evidence[k]} onInput={(e) => setEvidence({ ...evidence, [k]: (e.target as HTMLTextAreaElement).value })} />
        </fieldset>
      ))}
      {isLead && (
        <div class="override">
          <div><label for="override-tier">Override the computed tier (leads)</label>
            <select id="override-tier" value={override} onChange={(e) => setOverride((e.target as HTMLSelectElement).value as Schemas['RiskTier'] | '')}>
              <option value="">No override</option>
              <option value="low">low</option><option value="medium">medium</option><option value="high">high</option>
            </select></div>
          {override && <div><label for="override-reason">Why (required)</label>
            <input id="override-reason" maxLength={500} value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} /></div>}
        </div>
      )}
      {problem && <p class="error" role="alert">{problem}</p>}
      {!ready && <p class="hint">{missing.length ? `Rate ${missing.map(([, l]) => l.toLowerCase()).join(', ')}.` : needEvidence.length ? `Say what the ${needEvidence.map(([, l]) => l.toLowerCase()).join(', ')} rating rests on.` : 'An override needs a reason.'}</p>}
      <div class="actions">
        <button type="submit" class="primary" disabled={!ready || busy}>Save assessment</button>
        <button type="button" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  )
}
