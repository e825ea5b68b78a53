// The client's support plan on the client page: goals in the client's own words, a measurable
// objective and target day each, interventions (what, who, how often), natural supports, the
// 90-day review (overdue stands out), progress notes per goal, and a printable copy for the
// client's signature (a print stylesheet shows only the plan). The plan is written whole with
// the version last read; a change made elsewhere meanwhile is said in words and reloaded.
import { useEffect, useState } from 'preact/hooks'
import { api, ApiError, type MyTeam, type Schemas } from '../lib/api'
import { problemWords } from '../lib/problem'
import { longDay, teamDay } from '../lib/time'

/** A day with its year: plans and reviews reach into next year, and the plan is signed. */
const dayY = (d: string) => `${longDay(d)} ${d.slice(0, 4)}`
import { uuid as newUuid } from '../lib/uuid'
import { useTeamEvents } from '../lib/liveScope'
import type { MemberOut } from '../live/types'

type Plan = Schemas['PlanOut']
type Goal = Schemas['GoalOut']
type Lifecycle = Schemas['GoalLifecycle']
type Achievement = Schemas['Achievement']

export const LIFECYCLE_WORD: Record<Lifecycle, string> = {
  proposed: 'Proposed', active: 'Active', on_hold: 'On hold', completed: 'Completed', cancelled: 'Cancelled',
}
export const ACHIEVEMENT_WORD: Record<Achievement, string> = {
  in_progress: 'In progress', improving: 'Improving', worsening: 'Worsening', no_change: 'No change',
  achieved: 'Achieved', sustaining: 'Sustaining', not_achieved: 'Not achieved', no_progress: 'No progress',
  not_attainable: 'Not attainable',
}

export function SupportPlan({ team, clientId, clientName, canWrite, members }: {
  team: MyTeam; clientId: string; clientName: string; canWrite: boolean; members: MemberOut[]
}) {
  const base = `/api/teams/${team.team_id}/clients/${clientId}/plan`
  const [plan, setPlan] = useState<Plan | null | undefined>(undefined)
  const [editing, setEditing] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [said, setSaid] = useState<string | null>(null)
  const load = () => api<Plan>('GET', base).then(setPlan, (e) => {
    if (e instanceof ApiError && e.status === 404) setPlan(null)
    else setError(problemWords(e))
  })
  useEffect(() => { void load() }, [base])
  useTeamEvents(team.team_id, (k) => k === 'plan.updated' || k === 'goal.progress_recorded', (e) => {
    if ((e.data as { client_id?: string } | null)?.client_id === clientId && !editing) void load()
  })
  const name = (id?: string | null) => members.find((m) => m.staff_id === id)?.display_name ?? ''
  const today = teamDay(team.timezone)
  const print = () => {
    document.body.classList.add('print-plan')
    window.print()
    document.body.classList.remove('print-plan')
  }

  return (
    <section class="card support-plan" aria-label="Support plan">
      <h2>Support plan <span class="print-only">for {clientName}</span></h2>
      {error && <p class="error" role="alert">{error}</p>}
      <div role="status" class="no-print">{said && <p class="ok">{said}</p>}</div>
      {plan === undefined ? <p>Loading…</p> : editing ? (
        <PlanForm plan={plan} members={members} today={today} onCancel={() => setEditing(false)} onSave={async (body) => {
          setError(null)
          try {
            const p = await api<Plan>('PUT', base, body)
            setPlan(p); setEditing(false)
            setSaid(`Plan saved. Next review due ${dayY(p.review_due)}.`)
            return null
          } catch (e) {
            if (e instanceof ApiError && e.code === 'version_conflict') {
              await load(); setEditing(false)
              setError('Someone else changed this plan meanwhile; it has been reloaded. Make your change again.')
              return null
            }
            return problemWords(e)
          }
        }} />
      ) : plan === null ? (
        <>
          <p>No support plan yet.</p>
          {canWrite && <button class="no-print" onClick={() => { setEditing(true); setSaid(null) }}>Write the plan…</button>}
        </>
      ) : (
        <>
          <p class={plan.review_due < today ? 'due overdue' : 'due'}>
            Reviewed {dayY(plan.reviewed_on)} · {plan.review_due < today ? `review overdue since ${dayY(plan.review_due)}` : `next review due ${dayY(plan.review_due)}`}
          </p>
          {plan.goals.length === 0 ? <p>No goals yet.</p> : (
            <ol class="goals">{plan.goals.map((g) => (
              <GoalView key={g.id} goal={g} name={name} tz={team.timezone} canWrite={canWrite}
                onProgress={async (achievement, note) => {
                  try {
                    await api('POST', `${base}/goals/${g.id}/progress`, { achievement, note } satisfies Schemas['ProgressBody'])
                    await load()
                    return null
                  } catch (e) { return problemWords(e) }
                }} />
            ))}</ol>
          )}
          <h3>Natural supports</h3>
          <p>{plan.natural_supports || 'None recorded.'}</p>
          <div class="signatures print-only">
            <p>Client's signature ______________________ Date __________</p>
            <p>Staff signature ______________________ Date __________</p>
          </div>
          <div class="actions no-print">
            {canWrite && <button onClick={() => { setEditing(true); setSaid(null) }}>Edit the plan…</button>}
            <button onClick={print}>Print for signature</button>
          </div>
        </>
      )}
    </section>
  )
}

function GoalView({ goal, name, tz, canWrite, onProgress }: {
  goal: Goal; name: (id?: string | null) => string; tz: string; canWrite: boolean
  onProgress: (a: Achievement, note: string) => Promise<string | null>
}) {
  const [adding, setAdding] = useState(false)
  const [achievement, setAchievement] = useState<Achievement>('in_progress')
  const [note, setNote] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  const latest = goal.progress[goal.progress.length - 1]
  const past = goal.target_date < teamDay(tz) && (goal.lifecycle === 'active' || goal.lifecycle === 'proposed' || goal.lifecycle === 'on_hold')
  return (
    <li class="goal">
      <p class="own-words">“{goal.in_own_words}”</p>
      <p><strong>Objective:</strong> {goal.objective} · <span class={past ? 'overdue' : ''}><strong>Target:</strong> {dayY(goal.target_date)}{past ? ' (passed)' : ''}</span> · <span class={`lifecycle ${goal.lifecycle}`}>{LIFECYCLE_WORD[goal.lifecycle]}</span></p>
      {goal.interventions.length > 0 && (
        <ul>{goal.interventions.map((v, i) => <li key={i}>{v.what}{v.staff_id ? ` — ${name(v.staff_id)}` : ''} — {v.frequency}</li>)}</ul>
      )}
      {latest && <p class="progress"><strong>{ACHIEVEMENT_WORD[latest.achievement]}</strong> ({longDay(latest.recorded_at.slice(0, 10))}, {name(latest.recorded_by)}): {latest.note}
        {goal.progress.length > 1 ? ` · ${goal.progress.length - 1} earlier note${goal.progress.length > 2 ? 's' : ''}` : ''}</p>}
      {canWrite && !adding && <button class="no-print" onClick={() => setAdding(true)}>Add progress…</button>}
      {adding && (
        <form class="progress-form no-print" aria-label={`Progress on “${goal.in_own_words}”`} onSubmit={async (e) => {
          e.preventDefault()
          const words = await onProgress(achievement, note)
          setProblem(words)
          if (!words) { setAdding(false); setNote('') }
        }}>
          <label for={`ach-${goal.id}`}>How it is going</label>
          <select id={`ach-${goal.id}`} value={achievement} onChange={(e) => setAchievement((e.target as HTMLSelectElement).value as Achievement)}>
            {Object.entries(ACHIEVEMENT_WORD).map(([k, w]) => <option key={k} value={k}>{w}</option>)}
          </select>
          <label for={`note-${goal.id}`}>Progress note</label>
          <textarea id={`note-${goal.id}`} rows={2} maxLength={1000} value={note} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} />
          {problem && <p class="error" role="alert">{problem}</p>}
          <div class="actions"><button type="submit" class="primary" disabled={!note.trim()}>Save progress</button><button type="button" onClick={() => setAdding(false)}>Cancel</button></div>
        </form>
      )}
    </li>
  )
}

type DraftIntervention = { what: string; staff_id: string; frequency: string }
type DraftGoal = { id: string; in_own_words: string; objective: string; target_date: string; lifecycle: Lifecycle; interventions: DraftIntervention[]; hasProgress: boolean }

function draftOf(plan: Plan | null): DraftGoal[] {
  return (plan?.goals ?? []).map((g) => ({
    id: g.id, in_own_words: g.in_own_words, objective: g.objective, target_date: g.target_date, lifecycle: g.lifecycle,
    interventions: g.interventions.map((v) => ({ what: v.what, staff_id: v.staff_id ?? '', frequency: v.frequency })),
    hasProgress: g.progress.length > 0,
  }))
}

function PlanForm({ plan, members, today, onSave, onCancel }: {
  plan: Plan | null; members: MemberOut[]; today: string
  onSave: (b: Schemas['PlanBody']) => Promise<string | null>; onCancel: () => void
}) {
  const [goals, setGoals] = useState<DraftGoal[]>(() => draftOf(plan))
  const [supports, setSupports] = useState(plan?.natural_supports ?? '')
  const [reviewed, setReviewed] = useState(today)
  const [problem, setProblem] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const working = members.filter((m) => m.role !== 'viewer')
  const set = (i: number, patch: Partial<DraftGoal>) => setGoals(goals.map((g, k) => (k === i ? { ...g, ...patch } : g)))
  const setV = (i: number, j: number, patch: Partial<DraftIntervention>) =>
    set(i, { interventions: goals[i].interventions.map((v, k) => (k === j ? { ...v, ...patch } : v)) })
  const addGoal = () => setGoals([...goals, { id: newUuid(), in_own_words: '', objective: '', target_date: '', lifecycle: 'active', interventions: [], hasProgress: false }])
  return (
    <form class="plan-form" aria-label="Edit the support plan" onSubmit={async (e) => {
      e.preventDefault()
      if (busy) return
      setBusy(true)
      const words = await onSave({
        version: plan?.version ?? null,
        reviewed_on: reviewed,
        natural_supports: supports,
        goals: goals.map((g) => ({
          id: g.id, in_own_words: g.in_own_words, objective: g.objective, target_date: g.target_date, lifecycle: g.lifecycle,
          interventions: g.interventions.map((v) => ({ what: v.what, frequency: v.frequency, staff_id: v.staff_id || null })),
        })),
      })
      setBusy(false)
      setProblem(words)
    }}>
      {goals.map((g, i) => (
        <fieldset key={g.id}>
          <legend>Goal {i + 1}</legend>
          <label for={`g-words-${i}`}>In the client's own words</label>
          <textarea id={`g-words-${i}`} rows={2} maxLength={1000} value={g.in_own_words} onInput={(e) => set(i, { in_own_words: (e.target as HTMLTextAreaElement).value })} />
          <label for={`g-obj-${i}`}>Measurable objective</label>
          <input id={`g-obj-${i}`} maxLength={1000} value={g.objective} onInput={(e) => set(i, { objective: (e.target as HTMLInputElement).value })} />
          <div class="pair">
            <div><label for={`g-target-${i}`}>Target date</label>
              <input id={`g-target-${i}`} type="date" value={g.target_date} onInput={(e) => set(i, { target_date: (e.target as HTMLInputElement).value })} /></div>
            <div><label for={`g-life-${i}`}>Status</label>
              <select id={`g-life-${i}`} value={g.lifecycle} onChange={(e) => set(i, { lifecycle: (e.target as HTMLSelectElement).value as Lifecycle })}>
                {Object.entries(LIFECYCLE_WORD).map(([k, w]) => <option key={k} value={k}>{w}</option>)}
              </select></div>
          </div>
          {g.interventions.map((v, j) => (
            <div class="intervention" key={j}>
              <div><label for={`v-what-${i}-${j}`}>Intervention {j + 1}: what</label>
                <input id={`v-what-${i}-${j}`} maxLength={1000} value={v.what} onInput={(e) => setV(i, j, { what: (e.target as HTMLInputElement).value })} /></div>
              <div><label for={`v-who-${i}-${j}`}>Who</label>
                <select id={`v-who-${i}-${j}`} value={v.staff_id} onChange={(e) => setV(i, j, { staff_id: (e.target as HTMLSelectElement).value })}>
                  <option value="">The team</option>
                  {working.map((m) => <option key={m.staff_id} value={m.staff_id}>{m.display_name}</option>)}
                </select></div>
              <div><label for={`v-freq-${i}-${j}`}>How often</label>
                <input id={`v-freq-${i}-${j}`} maxLength={1000} value={v.frequency} onInput={(e) => setV(i, j, { frequency: (e.target as HTMLInputElement).value })} /></div>
            </div>
          ))}
          <div class="actions">
            <button type="button" onClick={() => set(i, { interventions: [...g.interventions, { what: '', staff_id: '', frequency: '' }] })}>Add an intervention</button>
            {g.hasProgress
              ? <span class="hint">Has progress notes: mark it completed or cancelled rather than removing it.</span>
              : <button type="button" onClick={() => setGoals(goals.filter((_, k) => k !== i))}>Remove goal {i + 1}</button>}
          </div>
        </fieldset>
      ))}
      <button type="button" onClick={addGoal}>Add a goal</button>
      <label for="plan-supports">Natural supports (family, friends, peers)</label>
      <textarea id="plan-supports" rows={2} maxLength={2000} value={supports} onInput={(e) => setSupports((e.target as HTMLTextAreaElement).value)} />
      <label for="plan-reviewed">Reviewed with the client on</label>
      <input id="plan-reviewed" type="date" max={today} value={reviewed} onInput={(e) => setReviewed((e.target as HTMLInputElement).value)} />
      {problem && <p class="error" role="alert">{problem}</p>}
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>Save the plan</button>
        <button type="button" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  )
}
