// Who is out, over date ranges: the lead records an absence (who, from, to, who covers,
// why); every planned visit of that person in the range moves to the cover, or nothing is
// moved and the clashes are shown (the lead chooses). A list of current and upcoming
// absences, each with "Cancel absence" for leads.
import { useState } from 'preact/hooks'
import { api, type ApiError, type Schemas } from '../lib/api'
import { rangeWords } from '../lib/days'
import { undoAbsence, undoWords } from '../lib/absenceUndo'
import { staffName } from './common'
import { describeConflicts, type Decision } from './Decision'
import type { Board } from '../live/types'

export type Absence = Schemas['AbsenceOut']

/** An undo offered for a few seconds; `run` answers in words. */
export interface Undo { text: string; run: () => Promise<string | void>; ms?: number }

interface FormProps {
  board: Board
  today: string
  ask: (d: Decision) => void
  onUndo: (u: Undo) => void
  onDone: () => void
}

export function AbsenceForm({ board, today, ask, onUndo, onDone }: FormProps) {
  const workers = board.staff.filter((s) => s.role !== 'viewer')
  const [f, setF] = useState({ staff_id: '', from: today, to: today, covered_by: '', reason: '' })
  const [error, setError] = useState<string | null>(null)
  const [done, setDone] = useState<string | null>(null)
  const set = (k: keyof typeof f) => (e: Event) => setF({ ...f, [k]: (e.target as HTMLInputElement).value })
  const team = board.team.id
  const client = (id: string) => board.clients.find((c) => c.id === id)?.display_name ?? 'a client'
  const who = (id: string) => staffName(board.staff, id)

  const record = async (allow_overlap: boolean) => {
    setError(null)
    setDone(null)
    const body: Schemas['NewAbsenceBody'] = {
      staff_id: f.staff_id, from: f.from, to: f.to,
      covered_by: f.covered_by || null, reason: f.reason.trim() || null, allow_overlap,
    }
    try {
      const r = await api<Schemas['AbsenceCreated']>('POST', `/api/teams/${team}/absences`, body)
      const a = r.absence
      const moved = a.covered_by
        ? `${r.moved} planned visit${r.moved === 1 ? '' : 's'} moved to ${who(a.covered_by)}.`
        : 'No one covers: their planned visits stay where they are.'
      const text = `${who(a.staff_id)} is out ${rangeWords(a.from, a.to)}. ${moved}`
      setDone(text)
      setF({ ...f, staff_id: '', covered_by: '', reason: '' })
      onUndo({
        text,
        ms: 15_000,
        run: async () => {
          const u = await undoAbsence(api, team, a, r.contacts)
          return undoWords(u, who(a.staff_id), a.covered_by ? who(a.covered_by) : '', client)
        },
      })
      onDone()
    } catch (e) {
      const err = e as ApiError
      const lines = await describeConflicts(team, err, [], { staff: who, client })
      if (lines) {
        ask({
          kind: 'double_booked',
          title: `Nothing is recorded yet: moving ${who(f.staff_id)}'s planned visits (${rangeWords(f.from, f.to)}) to ${who(f.covered_by)} would double-book:`,
          lines,
          confirm: 'Book anyway (overlap)',
          onConfirm: () => record(true),
        })
      } else if (err.code === 'conflict' && Array.isArray(err.body.overlaps)) {
        const o = (err.body.overlaps as Absence[])[0]
        setError(`${who(f.staff_id)} is already out ${rangeWords(o.from, o.to)}. Cancel or change that absence first.`)
      } else setError(err.message)
    }
  }

  return (
    <form class="card absence-form" aria-label="Record an absence" onSubmit={(e) => { e.preventDefault(); void record(false) }}>
      <h2>Someone is out</h2>
      <div class="planner-tools">
        <div><label for="abs-who">Who is out</label>
          <select id="abs-who" required value={f.staff_id} onChange={set('staff_id')}>
            <option value="">Choose…</option>{workers.map((w) => <option key={w.id} value={w.id}>{w.display_name}</option>)}
          </select></div>
        <div><label for="abs-from">From</label><input id="abs-from" type="date" required value={f.from} onInput={set('from')} /></div>
        <div><label for="abs-to">To (included)</label><input id="abs-to" type="date" required min={f.from} value={f.to} onInput={set('to')} /></div>
        <div><label for="abs-cover">Who covers (optional)</label>
          <select id="abs-cover" value={f.covered_by} onChange={set('covered_by')}>
            <option value="">No one — visits stay</option>
            {workers.filter((w) => w.id !== f.staff_id).map((w) => <option key={w.id} value={w.id}>{w.display_name}</option>)}
          </select></div>
        <div class="grow"><label for="abs-reason">Reason (optional, not shown on the wall)</label>
          <input id="abs-reason" maxLength={500} value={f.reason} onInput={set('reason')} /></div>
        <button class="primary" type="submit">Record absence</button>
      </div>
      <div role="status">{done && <p class="ok">{done}</p>}</div>
      {error && <p class="error" role="alert">{error}</p>}
    </form>
  )
}

export function AbsenceList({ board, absences, today, isLead, onChanged }: { board: Board; absences: Absence[]; today: string; isLead: boolean; onChanged: () => void }) {
  const [note, setNote] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const who = (id: string) => staffName(board.staff, id)
  const shown = absences.filter((a) => a.to >= today).sort((a, b) => a.from.localeCompare(b.from) || who(a.staff_id).localeCompare(who(b.staff_id)))
  const cancel = async (a: Absence) => {
    setError(null)
    setNote(null)
    try {
      await api('DELETE', `/api/teams/${board.team.id}/absences/${a.id}`)
      setNote(`${who(a.staff_id)}'s absence (${rangeWords(a.from, a.to)}) is cancelled.${a.covered_by ? ` Visits already moved stay with ${who(a.covered_by)}.` : ''}`)
      onChanged()
    } catch (e) { setError((e as Error).message) }
  }
  return (
    <section class="card absences" aria-label="Absences">
      <h2>Out now and coming up{shown.length === 0 ? <span class="muted"> — nobody is recorded out from today on</span> : ` (${shown.length})`}</h2>
      {shown.length > 0 && (
        <ul class="absence-list">
          {shown.map((a) => (
            <li key={a.id} data-testid="absence">
              <span class="who">{who(a.staff_id)}</span>
              <span class="when">{a.from <= today ? 'out now, ' : ''}{rangeWords(a.from, a.to)}</span>
              <span>{a.covered_by ? `covered by ${who(a.covered_by)}` : 'no cover'}</span>
              {a.reason && <span class="muted">— {a.reason}</span>}
              {isLead && <button onClick={() => cancel(a)}>Cancel absence</button>}
            </li>
          ))}
        </ul>
      )}
      <div role="status">{note && <p class="ok">{note}</p>}</div>
      {error && <p class="error" role="alert">{error}</p>}
    </section>
  )
}
