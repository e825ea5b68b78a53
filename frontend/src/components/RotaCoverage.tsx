// Two weeks of on call, one row per day: shifts as bars on a 24-hour axis, the hours nobody
// covers in red and in words ("No one on call Wed 9 Dec 09:00–17:00"). Leads add an
// exception shift (or cover a gap with one) and delete a shift, confirmed in the page.
import { useRef, useState } from 'preact/hooks'
import { api, ApiError, type Schemas } from '../lib/api'
import { problemWords } from '../lib/problem'
import { dayPart, gapWords, spanWords, type LocalSpan } from '../lib/rota'
import { addDays, longDay } from '../lib/time'
import { shortName } from './common'

type Coverage = Schemas['CoverageOut']
type Shift = Schemas['ShiftOut']
type Staff = { id: string; display_name: string }

const hm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
const at = (day: string, m: number) => (m >= 1440 ? `${addDays(day, 1)}T00:00` : `${day}T${hm(m)}`)

export function RotaCoverage({ teamId, days, coverage, error, canEdit, staff, onChanged }: {
  teamId: string; days: string[]; coverage: Coverage | null; error: string | null; canEdit: boolean; staff: Staff[]; onChanged: () => void
}) {
  const [asking, setAsking] = useState<Shift | null>(null)
  const [deleteError, setDeleteError] = useState<string | null>(null)
  const [done, setDone] = useState<string | null>(null)
  const [prefill, setPrefill] = useState<LocalSpan | null>(null)
  const formRef = useRef<HTMLFormElement>(null)

  const remove = async (s: Shift) => {
    setDeleteError(null)
    try {
      await api('DELETE', `/api/teams/${teamId}/oncall/shifts/${s.id}`)
      setAsking(null)
      setDone(`Deleted ${shortName(s.staff_name)}'s shift ${spanWords(s)}.`)
      onChanged()
    } catch (e) {
      setDeleteError(problemWords(e))
    }
  }
  const cover = (gap: LocalSpan) => {
    setPrefill({ ...gap })
    formRef.current?.scrollIntoView({ block: 'nearest' })
    setTimeout(() => formRef.current?.querySelector('select')?.focus(), 0)
  }

  const gaps = coverage?.gaps ?? []
  return (
    <section class="card rota-coverage" aria-labelledby="coverage-title">
      <h2 id="coverage-title">Next two weeks: {longDay(days[0])} – {longDay(days[days.length - 1])}</h2>
      {error && <p class="error" role="alert">{error}</p>}
      {!coverage ? <p>Loading…</p> : (
        <>
          <p class={gaps.length ? 'gap-summary' : 'ok'} data-testid="gap-summary">
            {gaps.length === 0 ? '✓ Someone is on call at every hour of these two weeks.' : `⚠ ${gaps.length === 1 ? '1 gap' : `${gaps.length} gaps`} with no one on call: ${gaps.slice(0, 3).map((g) => spanWords(g)).join('; ')}${gaps.length > 3 ? '; …' : ''}`}
          </p>
          {done && <p class="ok" role="status">{done}</p>}
          {canEdit && <ExceptionShift key={prefill ? `${prefill.starts_local}-${prefill.ends_local}` : 'new'} formRef={formRef} teamId={teamId} staff={staff} initial={prefill ?? { starts_local: `${days[0]}T09:00`, ends_local: `${days[0]}T17:00` }} onAdded={(s) => { setDone(`Added: ${s.staff_name} on call ${spanWords(s)}.`); setPrefill(null); onChanged() }} />}
          <div class="cov-axis" aria-hidden="true"><span /><div class="cov-ticks">{[0, 6, 12, 18, 24].map((h) => <span key={h} style={{ left: `${(h / 24) * 100}%` }}>{String(h).padStart(2, '0')}</span>)}</div></div>
          <ol class="cov-days">
            {days.map((day) => {
              const parts = coverage.shifts.map((s) => ({ s, p: dayPart(day, s) })).filter((x) => x.p)
              const holes = gaps.map((g) => dayPart(day, g)).filter((p): p is { from: number; to: number } => !!p)
              const starting = coverage.shifts.filter((s) => s.starts_local.slice(0, 10) === day)
              return (
                <li key={day} class="cov-day" data-testid="cov-day" data-day={day}>
                  <div class="cov-label">{longDay(day)}</div>
                  <div class="cov-bar" aria-hidden="true">
                    {holes.map((p) => <span key={`g${p.from}`} class="cov-gap" style={{ left: `${(p.from / 1440) * 100}%`, width: `${((p.to - p.from) / 1440) * 100}%` }} />)}
                    {parts.map(({ s, p }) => (
                      <span key={s.id} class="cov-shift" title={`${s.staff_name} ${spanWords(s)}`} style={{ left: `${(p!.from / 1440) * 100}%`, width: `${((p!.to - p!.from) / 1440) * 100}%` }}>
                        {p!.to - p!.from >= 240 ? shortName(s.staff_name) : ''}
                      </span>
                    ))}
                  </div>
                  <ul class="cov-list">
                    {holes.map((p) => {
                      const gap = { starts_local: at(day, p.from), ends_local: at(day, p.to) }
                      return (
                        <li key={`g${p.from}`} class="cov-gap-words" data-testid="gap">
                          <span>⚠ {gapWords(gap)}</span>
                          {canEdit && <button type="button" class="small" onClick={() => cover(gap)}>Cover…</button>}
                        </li>
                      )
                    })}
                    {starting.map((s) => (
                      <li key={s.id} data-testid="shift">
                        <span>{spanWords(s).replace(`${longDay(day)} `, '')} <strong>{s.staff_name}</strong></span>
                        {canEdit && <button type="button" class="small" aria-label={`Delete ${s.staff_name}'s shift ${spanWords(s)}`} onClick={() => { setAsking(s); setDeleteError(null); setDone(null) }}>Delete</button>}
                        {asking?.id === s.id && (
                          <div class="ask-inline" role="group" aria-label="Confirm deleting the shift">
                            <p>Delete {s.staff_name}'s shift {spanWords(s)}? The hours become uncovered unless another shift covers them.</p>
                            <button type="button" class="danger" onClick={() => void remove(s)}>Delete shift</button>
                            <button type="button" onClick={() => setAsking(null)}>Keep it</button>
                            {deleteError && <p class="error" role="alert">{deleteError}</p>}
                          </div>
                        )}
                      </li>
                    ))}
                  </ul>
                </li>
              )
            })}
          </ol>
        </>
      )}
    </section>
  )
}

/** One shift outside the pattern: a person, from, to. */
function ExceptionShift({ teamId, staff, initial, onAdded, formRef }: {
  teamId: string; staff: Staff[]; initial: LocalSpan; onAdded: (s: Shift) => void; formRef: preact.RefObject<HTMLFormElement>
}) {
  const [who, setWho] = useState('')
  const [from, setFrom] = useState(initial.starts_local)
  const [to, setTo] = useState(initial.ends_local)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [overlapOk, setOverlapOk] = useState(false)
  const add = async (allow: boolean) => {
    if (!who) { setError('Choose who is on call.'); return }
    setBusy(true)
    setError(null)
    try {
      const s = await api<Shift>('POST', `/api/teams/${teamId}/oncall/shifts`, { staff_id: who, starts_local: from, ends_local: to, allow_overlap: allow })
      setOverlapOk(false)
      onAdded(s)
    } catch (e) {
      const overlaps = e instanceof ApiError ? ((e.body.overlaps ?? []) as Shift[]) : []
      // Overlapping another person's shift can be meant (a second on call); one's own never.
      setOverlapOk(e instanceof ApiError && e.code === 'conflict' && overlaps.length > 0 && overlaps.every((o) => o.staff_id !== who))
      setError(problemWords(e))
    } finally {
      setBusy(false)
    }
  }
  return (
    <form ref={formRef} class="exception" onSubmit={(e) => { e.preventDefault(); void add(false) }}>
      <h3>Add a shift outside the pattern</h3>
      <div class="apply-fields">
        <label>Person<select value={who} onChange={(e) => setWho(e.currentTarget.value)} required aria-label="Person">
          <option value="">Choose…</option>
          {staff.map((s) => <option key={s.id} value={s.id}>{s.display_name}</option>)}
        </select></label>
        <label>From<input type="datetime-local" aria-label="From" value={from} required onInput={(e) => setFrom(e.currentTarget.value)} /></label>
        <label>To<input type="datetime-local" aria-label="To" value={to} required onInput={(e) => setTo(e.currentTarget.value)} /></label>
        <button type="submit" class="primary" disabled={busy}>{busy ? 'Adding…' : 'Add shift'}</button>
      </div>
      {error && <p class="error" role="alert" data-testid="shift-error">{error}</p>}
      {overlapOk && <button type="button" onClick={() => void add(true)}>Add it anyway (two people on call)</button>}
    </form>
  )
}
