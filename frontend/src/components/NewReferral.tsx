// A new referral (leads): names, where the referral came from (required), the day it
// arrived (today by default, never in the future) and why, the record number of the referring
// system, and optionally the case manager who will screen the client. The client starts
// `referred`; screening and the decision happen on the client page (components/Screening.tsx).
// Used on the planner and on the Referrals screen.
import { useState } from 'preact/hooks'
import { api, type ApiError, type Schemas } from '../lib/api'
import { navigate } from '../lib/router'
import { ManagerOptions } from './ClientLifecycle'
import { teamDay } from '../lib/time'
import type { Board, ClientOut } from '../live/types'

export function NewReferral({ board, onMade, startOpen }: { board: Board; onMade?: (c: ClientOut) => void; startOpen?: boolean }) {
  const today = teamDay(board.team.timezone)
  const empty = { given_name: '', family_name: '', preferred_name: '', external_id: '', case_manager_id: '', source: '', received_on: today, reason: '' }
  const [f, setF] = useState(empty)
  const [open, setOpen] = useState(!!startOpen)
  const [error, setError] = useState<string | null>(null)
  const [made, setMade] = useState<ClientOut | null>(null)
  const icm = board.team.mode === 'icm'
  const field = (k: keyof typeof empty, label: string, required = false) => (
    <div><label for={`ref-${k}`}>{label}</label>
      <input id={`ref-${k}`} required={required} maxLength={200} value={f[k]} onInput={(e) => setF({ ...f, [k]: (e.target as HTMLInputElement).value })} /></div>
  )
  const save = async (e: Event) => {
    e.preventDefault()
    setError(null)
    try {
      const body: Schemas['NewClient'] = {
        given_name: f.given_name.trim(), family_name: f.family_name.trim(), status: 'referred',
        preferred_name: f.preferred_name.trim() || undefined, external_id: f.external_id.trim() || undefined,
        case_manager_id: f.case_manager_id || undefined,
        referral: { source: f.source.trim(), received_on: f.received_on || undefined, reason: f.reason.trim() || undefined },
      }
      const c = await api<ClientOut>('POST', `/api/teams/${board.team.id}/clients`, body)
      setMade(c)
      setF(empty)
      onMade?.(c)
    } catch (x) {
      const a = x as ApiError
      const errs = Array.isArray(a.body.errors) ? (a.body.errors as { field: string; message: string }[]) : []
      setError(errs.length ? errs.map((y) => `${y.field.replace(/_/g, ' ')}: ${y.message}`).join('; ') : a.message)
    }
  }
  const link = made && `/teams/${board.team.id}/clients/${made.id}`
  return (
    <section class="card lifecycle" style={{ marginTop: '1rem' }} aria-label="New referral">
      <div class="row"><h2 style={{ margin: 0, flex: '1 1 auto' }}>New referral</h2>
        {!open && <button onClick={() => { setOpen(true); setMade(null) }}>New referral…</button>}</div>
      <div role="status">{made && link && (
        <p class="ok">{made.given_name} {made.family_name} is referred. <a href={link} onClick={(e) => { e.preventDefault(); navigate(link) }}>Open the client page</a> to screen and admit.</p>
      )}</div>
      {open && (
        <form onSubmit={save} aria-label="New referral form">
          <div class="row">
            {field('given_name', 'Given name', true)}
            {field('family_name', 'Family name', true)}
            {field('preferred_name', 'Preferred name (optional)')}
            {field('external_id', 'Record number (optional)')}
            {field('source', 'Referred by (ward, GP, court, self…)', true)}
            <div><label for="ref-received_on">Referral received</label>
              <input id="ref-received_on" type="date" required max={today} value={f.received_on} onInput={(e) => setF({ ...f, received_on: (e.target as HTMLInputElement).value })} /></div>
            <div><label for="ref-case_manager_id">{icm ? 'Case manager' : 'Primary contact'} (optional)</label>
              <select id="ref-case_manager_id" value={f.case_manager_id} onChange={(e) => setF({ ...f, case_manager_id: (e.target as HTMLSelectElement).value })}>
                <option value="">Not yet</option>
                <ManagerOptions staff={board.staff} icm={icm} cap={board.team.caseload_cap} allowFull />
              </select></div>
          </div>
          <div><label for="ref-reason">Reason for the referral (optional)</label>
            <textarea id="ref-reason" rows={2} maxLength={2000} value={f.reason} onInput={(e) => setF({ ...f, reason: (e.target as HTMLTextAreaElement).value })} /></div>
          <div role="alert">{error && <p class="error">{error}</p>}</div>
          <div class="row" style={{ marginTop: '0.6rem' }}>
            <button type="button" onClick={() => setOpen(false)}>Close</button>
            <button class="primary" type="submit">Refer</button>
          </div>
        </form>
      )}
    </section>
  )
}
