// The team's repeating on-call week as an editable table (leads; others read it): rows of
// weekday, start, end, person; saved with the version read, errors per row in words. Then
// "Apply to the next N weeks" from a day, with what happened in words.
import { useEffect, useState } from 'preact/hooks'
import { api, ApiError, type Schemas } from '../lib/api'
import { problemWords } from '../lib/problem'
import { applyWords, slotField, WEEKDAYS } from '../lib/rota'
import { formatTeamDateTime } from '../lib/time'
import { shortName } from './common'

type Pattern = Schemas['PatternOut']
type Row = { key: number; weekday: number; start: string; end: string; staff_id: string }
type Staff = { id: string; display_name: string }

let nextKey = 1
const rowOf = (s: Schemas['SlotOut'] | Omit<Row, 'key'>): Row => ({ key: nextKey++, weekday: s.weekday, start: s.start, end: s.end, staff_id: s.staff_id })

export function RotaPattern({ teamId, tz, canEdit, staff, today, reloadKey, shiftOwner, onApplied }: {
  teamId: string; tz: string; canEdit: boolean; staff: Staff[]; today: string
  /** Changes when someone saved the pattern (a live event). */
  reloadKey: number
  shiftOwner: (id: string) => string | null
  onApplied: () => void
}) {
  const [pattern, setPattern] = useState<Pattern | null>(null)
  const [rows, setRows] = useState<Row[]>([])
  const [dirty, setDirty] = useState(false)
  const [changedElsewhere, setChangedElsewhere] = useState(false)
  const [errors, setErrors] = useState<Map<number, string>>(new Map())
  const [error, setError] = useState<string | null>(null)
  const [saved, setSaved] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const load = async () => {
    try {
      const p = await api<Pattern>('GET', `/api/teams/${teamId}/oncall/pattern`)
      setPattern(p)
      setRows(p.slots.map(rowOf))
      setDirty(false)
      setChangedElsewhere(false)
      setErrors(new Map())
    } catch (e) {
      setError(problemWords(e))
    }
  }
  useEffect(() => { void load() }, [teamId])
  // Someone saved: re-read, unless this person is in the middle of editing (then say so).
  useEffect(() => {
    if (reloadKey === 0) return
    if (dirty) setChangedElsewhere(true)
    else void load()
  }, [reloadKey])

  const edit = (key: number, patch: Partial<Row>) => {
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)))
    setDirty(true)
    setSaved(null)
    setErrors((m) => { const n = new Map(m); n.delete(key); return n })
  }
  const add = () => {
    const last = rows[rows.length - 1]
    setRows([...rows, rowOf({ weekday: last ? (last.weekday % 7) + 1 : 1, start: last?.start ?? '17:00', end: last?.end ?? '09:00', staff_id: last?.staff_id ?? staff[0]?.id ?? '' })])
    setDirty(true)
    setSaved(null)
  }
  const remove = (key: number) => { setRows(rows.filter((r) => r.key !== key)); setDirty(true); setSaved(null) }

  const save = async () => {
    setBusy(true)
    setError(null)
    setErrors(new Map())
    setSaved(null)
    try {
      const body: Schemas['PatternIn'] = { version: pattern?.version ?? 0, slots: rows.map(({ weekday, start, end, staff_id }) => ({ weekday, start, end, staff_id })) }
      const p = await api<Pattern>('PUT', `/api/teams/${teamId}/oncall/pattern`, body)
      setPattern(p)
      setRows(p.slots.map(rowOf))
      setDirty(false)
      setChangedElsewhere(false)
      setSaved(`Saved: ${p.slots.length} ${p.slots.length === 1 ? 'slot' : 'slots'} a week.`)
    } catch (e) {
      if (e instanceof ApiError && e.code === 'validation_failed') {
        const perRow = new Map<number, string>()
        const rest: string[] = []
        for (const f of (e.body.errors ?? []) as Schemas['FieldError'][]) {
          const at = slotField(f.field)
          if (at && rows[at[0]]) {
            const k = rows[at[0]].key
            perRow.set(k, [perRow.get(k), `${FIELD[at[1]] ?? at[1]}: ${f.message.replace(/slots\[(\d+)\]/g, (_, n: string) => `row ${Number(n) + 1}`)}`].filter(Boolean).join('. '))
          } else rest.push(`${f.field}: ${f.message}`)
        }
        setErrors(perRow)
        setError(perRow.size ? `Not saved: ${plural(perRow.size)} to correct${rest.length ? `. ${rest.join('. ')}` : ''}.` : problemWords(e))
      } else if (e instanceof ApiError && e.code === 'version_conflict') {
        const cur = e.body.current as Pattern | undefined
        if (cur) setPattern({ ...pattern!, version: cur.version })
        const who = cur?.updated_by ? staff.find((s) => s.id === cur.updated_by)?.display_name : null
        const when = cur?.updated_at ? formatTeamDateTime(cur.updated_at, tz) : null
        setError(`Not saved: ${who ?? 'someone else'} changed the pattern${when ? ` at ${when}` : ''} (now ${cur ? cur.slots.length : 'some'} slots). Your rows are still here: "Reload" shows theirs, "Save" again puts yours over it.`)
      } else setError(problemWords(e))
    } finally {
      setBusy(false)
    }
  }

  const name = (id: string) => staff.find((s) => s.id === id)?.display_name ?? 'someone who left'
  return (
    <section class="card rota-pattern" aria-labelledby="pattern-title">
      <h2 id="pattern-title">Weekly pattern</h2>
      <p class="hint">The repeating week. "End" at or before "start" runs past midnight.
        {pattern?.updated_at && <> Last saved {formatTeamDateTime(pattern.updated_at, tz)}{pattern.updated_by ? ` by ${name(pattern.updated_by)}` : ''}.</>}
      </p>
      {changedElsewhere && (
        <p class="notice" role="status">Someone else saved the pattern meanwhile. <button type="button" onClick={() => void load()}>Reload (drops my changes)</button></p>
      )}
      {!pattern ? <p>Loading…</p> : rows.length === 0 && !canEdit ? <p>No pattern yet.</p> : (
        <table class="pattern-table" data-testid="pattern">
          <thead><tr><th scope="col">Day</th><th scope="col">Start</th><th scope="col">End</th><th scope="col">Person</th>{canEdit && <th scope="col"><span class="sr-only">Remove</span></th>}</tr></thead>
          <tbody>
            {rows.map((r, i) => {
              const err = errors.get(r.key)
              const label = `row ${i + 1}`
              return [
                <tr key={r.key} data-testid="pattern-row" class={err ? 'has-error' : ''}>
                  {canEdit ? (
                    <>
                      <td data-label="Day"><select aria-label={`Day, ${label}`} value={r.weekday} onChange={(e) => edit(r.key, { weekday: Number(e.currentTarget.value) })}>
                        {WEEKDAYS.map((d, k) => <option key={d} value={k + 1}>{d}</option>)}
                      </select></td>
                      <td data-label="Start"><input type="time" aria-label={`Start, ${label}`} value={r.start} onInput={(e) => edit(r.key, { start: e.currentTarget.value })} /></td>
                      <td data-label="End"><input type="time" aria-label={`End, ${label}`} value={r.end} onInput={(e) => edit(r.key, { end: e.currentTarget.value })} /></td>
                      <td data-label="Person"><select aria-label={`Person, ${label}`} value={r.staff_id} onChange={(e) => edit(r.key, { staff_id: e.currentTarget.value })}>
                        {!staff.some((s) => s.id === r.staff_id) && <option value={r.staff_id}>{name(r.staff_id)}</option>}
                        {staff.map((s) => <option key={s.id} value={s.id}>{s.display_name}</option>)}
                      </select></td>
                      <td><button type="button" aria-label={`Remove ${label}`} onClick={() => remove(r.key)}>✕ Remove</button></td>
                    </>
                  ) : (
                    <><td>{WEEKDAYS[r.weekday - 1]}</td><td>{r.start}</td><td>{r.end}{r.end <= r.start ? ' (next day)' : ''}</td><td>{shortName(name(r.staff_id))}</td></>
                  )}
                </tr>,
                err && <tr key={`${r.key}-err`} class="row-error"><td colSpan={5} role="alert" data-testid="row-error">Row {i + 1}: {err}</td></tr>,
              ]
            })}
          </tbody>
        </table>
      )}
      {canEdit && pattern && (
        <div class="actions">
          <button type="button" onClick={add}>+ Add row</button>
          <button type="button" class="primary" disabled={busy || !dirty} onClick={() => void save()}>{busy ? 'Saving…' : 'Save pattern'}</button>
          {dirty && <span class="hint">Unsaved changes</span>}
        </div>
      )}
      {error && <p class="error" role="alert" data-testid="pattern-error">{error}</p>}
      {saved && <p class="ok" role="status">{saved}</p>}
      {canEdit && pattern && <ApplyPattern teamId={teamId} today={today} disabled={dirty || pattern.version === 0} shiftOwner={shiftOwner} name={(id) => shortName(name(id))} onApplied={onApplied} />}
    </section>
  )
}

const FIELD: Record<string, string> = { weekday: 'Day', start: 'Start', end: 'End', staff_id: 'Person', row: 'Row' }
const plural = (n: number) => (n === 1 ? '1 row' : `${n} rows`)

function ApplyPattern({ teamId, today, disabled, shiftOwner, name, onApplied }: {
  teamId: string; today: string; disabled: boolean; shiftOwner: (id: string) => string | null; name: (id: string) => string; onApplied: () => void
}) {
  const [from, setFrom] = useState(today)
  const [weeks, setWeeks] = useState(2)
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const apply = async () => {
    setBusy(true)
    setError(null)
    setResult(null)
    try {
      const out = await api<Schemas['ApplyOut']>('POST', `/api/teams/${teamId}/oncall/pattern/apply`, { from, weeks } satisfies Schemas['ApplyIn'])
      setResult(applyWords(out.created.length, out.skipped, shiftOwner, name))
      onApplied()
    } catch (e) {
      setError(problemWords(e))
    } finally {
      setBusy(false)
    }
  }
  return (
    <form class="apply" onSubmit={(e) => { e.preventDefault(); void apply() }}>
      <h3>Turn the pattern into shifts</h3>
      <div class="apply-fields">
        <label>From<input aria-label="Apply from" type="date" value={from} required onInput={(e) => setFrom(e.currentTarget.value)} /></label>
        <label>Weeks<select aria-label="Weeks" value={weeks} onChange={(e) => setWeeks(Number(e.currentTarget.value))}>
          {[1, 2, 3, 4, 5, 6, 7, 8].map((n) => <option key={n} value={n}>{n}</option>)}
        </select></label>
        <button type="submit" class="primary" disabled={busy || disabled}>{busy ? 'Applying…' : `Apply to the next ${weeks === 1 ? 'week' : `${weeks} weeks`}`}</button>
      </div>
      {disabled && <p class="hint">Save the pattern first.</p>}
      <p class="hint">Shifts already there are kept; a slot that would overlap one is skipped.</p>
      {error && <p class="error" role="alert">{error}</p>}
      {result && <p class="ok" role="status" data-testid="apply-result">{result}</p>}
    </form>
  )
}
