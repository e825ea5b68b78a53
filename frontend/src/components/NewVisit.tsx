// Add a planned visit on the planner's day. A visit that would double-book its staff member
// is not written: the clash is shown and the lead books it anyway or leaves it. "Repeats
// every N days until <day>" (off by default) books a recurring series instead (POST
// visit-series: all of its visits or, on a clash, none until "Book anyway").
import { useState } from 'preact/hooks'
import { api, type Schemas } from '../lib/api'
import { longDay } from '../lib/time'
import { uuid } from '../lib/uuid'
import { staffName } from './common'
import { describeConflicts, type Decision } from './Decision'
import { SeriesList } from './VisitSeries'
import type { Board, ContactOut } from '../live/types'

export function NewVisit({ board, day, visits, ask, onDone }: { board: Board; day: string; visits: ContactOut[]; ask: (d: Decision) => void; onDone: () => void }) {
  const workers = board.staff.filter((s) => s.role !== 'viewer')
  const [f, setF] = useState({ client_id: '', staff_id: '', start: '10:00', end: '11:00', activity: 'check-in', place: 'community' as Schemas['Place'] })
  const [error, setError] = useState<string | null>(null)
  const [repeat, setRepeat] = useState(false)
  const [every, setEvery] = useState('14')
  const [until, setUntil] = useState('')
  const [said, setSaid] = useState<string | null>(null)
  const [seriesSeq, setSeriesSeq] = useState(0)
  const set = (k: string) => (e: Event) => setF({ ...f, [k]: (e.target as HTMLInputElement).value })
  const client = (id: string) => board.clients.find((c) => c.id === id)?.display_name ?? 'a client'

  // One id per visit, kept for "Book anyway": a retry of the same PUT never logs twice.
  const save = async (id: string, allow_overlap: boolean) => {
    setError(null)
    setSaid(null)
    if (repeat) return saveSeries(allow_overlap)
    const body: Schemas['ContactIn'] = {
      client_id: f.client_id, staff_ids: [f.staff_id], day, start: f.start, end: f.end || undefined,
      kind: 'face_to_face', place: f.place, activity: f.activity, status: 'planned', allow_overlap,
    }
    try {
      await api('PUT', `/api/teams/${board.team.id}/contacts/${id}`, body)
      onDone()
    } catch (err) {
      const planned = { id, client_id: f.client_id, day, start: f.start, end: f.end, staff_ids: [f.staff_id] } as ContactOut
      const lines = await describeConflicts(board.team.id, err, [...visits, planned], { staff: (s) => staffName(board.staff, s), client, day })
      if (lines) {
        ask({
          kind: 'double_booked',
          title: `Not booked yet: a visit with ${client(f.client_id)} at ${f.start}${f.end ? `–${f.end}` : ''} would double-book ${staffName(board.staff, f.staff_id)}:`,
          lines,
          confirm: 'Book anyway (overlap)',
          onConfirm: () => save(id, true),
        })
      } else setError((err as Error).message)
    }
  }

  const saveSeries = async (allow_overlap: boolean) => {
    const body: Schemas['NewSeriesBody'] = {
      client_id: f.client_id, staff_ids: [f.staff_id], first_day: day, every_days: Number(every), until: until || undefined,
      start: f.start, end: f.end, kind: 'face_to_face', place: f.place, activity: f.activity, allow_overlap,
    }
    try {
      const out = await api<Schemas['SeriesContacts']>('POST', `/api/teams/${board.team.id}/visit-series`, body)
      setSaid(`Booked ${out.contacts.length} visit${out.contacts.length === 1 ? '' : 's'} with ${client(f.client_id)}, every ${out.series.every_days} days until ${longDay(out.series.until)}.`)
      setSeriesSeq((n) => n + 1)
      onDone()
    } catch (err) {
      const lines = await describeConflicts(board.team.id, err, visits, { staff: (s) => staffName(board.staff, s), client, day })
      if (lines) {
        ask({
          kind: 'double_booked',
          title: `Not booked yet: visits with ${client(f.client_id)} every ${every} days at ${f.start}–${f.end} would double-book ${staffName(board.staff, f.staff_id)}:`,
          lines,
          confirm: 'Book anyway (overlap)',
          onConfirm: () => saveSeries(true),
        })
      } else setError((err as Error).message)
    }
  }

  return (
    <>
    <form class="card" style={{ marginTop: '1rem' }} onSubmit={(e) => { e.preventDefault(); void save(uuid(), false) }}>
      <h2 style={{ marginTop: 0 }}>Add a visit on {longDay(day)}</h2>
      <div class="planner-tools">
        <div><label for="nv-client">Client</label><select id="nv-client" required value={f.client_id} onChange={set('client_id')}>
          <option value="">Choose…</option>{board.clients.map((c) => <option key={c.id} value={c.id}>{c.display_name}</option>)}</select></div>
        <div><label for="nv-staff">Staff</label><select id="nv-staff" required value={f.staff_id} onChange={set('staff_id')}>
          <option value="">Choose…</option>{workers.map((w) => <option key={w.id} value={w.id}>{w.display_name}</option>)}</select></div>
        <div><label for="nv-start">Start</label><input id="nv-start" type="time" required value={f.start} onInput={set('start')} /></div>
        <div><label for="nv-end">End</label><input id="nv-end" type="time" required={repeat} value={f.end} onInput={set('end')} /></div>
        <div><label for="nv-activity">What for</label><input id="nv-activity" required value={f.activity} onInput={set('activity')} /></div>
        <div><label for="nv-place">Place</label><select id="nv-place" value={f.place} onChange={set('place')}>
          {(['community', 'home', 'office', 'hospital', 'other'] satisfies Schemas['Place'][]).map((p) => <option key={p}>{p}</option>)}</select></div>
        <button class="primary" type="submit">{repeat ? 'Add recurring visits' : 'Add visit'}</button>
      </div>
      <div class="planner-tools repeat">
        <label class="check"><input type="checkbox" checked={repeat} onChange={(e) => setRepeat((e.target as HTMLInputElement).checked)} /> Repeats</label>
        {repeat && <>
          <div><label for="nv-every">every … days</label><input id="nv-every" type="number" min={1} max={90} required value={every} onInput={(e) => setEvery((e.target as HTMLInputElement).value)} style={{ width: '6rem' }} /></div>
          <div><label for="nv-until">until (optional; default 12 weeks)</label><input id="nv-until" type="date" min={day} value={until} onInput={(e) => setUntil((e.target as HTMLInputElement).value)} /></div>
        </>}
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      <div role="status" aria-live="polite">{said && <p class="ok" data-testid="series-result">{said}</p>}</div>
    </form>
    <SeriesList board={board} key={seriesSeq} onChanged={onDone} />
    </>
  )
}
