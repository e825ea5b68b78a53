// ICM caseloads in the planner: each case manager against the cap, and the clients waiting
// for one. A full case manager is marked full and not offered; a refusal from the server
// (someone filled the caseload meanwhile, or the person is full over other ICM teams) is
// shown in words with the person's total, and remembered for the choices.
import { useState } from 'preact/hooks'
import { api, type ApiError, type Schemas } from '../lib/api'
import { PERSON_CAP, asCaseloadFull, caseloadFullWords, isFull } from '../lib/caseload'
import { Link, staffName } from './common'
import type { Board } from '../live/types'

export function Caseloads({ board, isLead }: { board: Board; isLead: boolean }) {
  const cap = board.team.caseload_cap
  const managers = board.staff.filter((s) => s.role !== 'viewer' && (s.discipline === 'case_manager' || s.caseload > 0))
  // Screened clients wait to be admitted to a case manager; active ones without one need one.
  const waiting = board.clients.filter((c) => !c.case_manager_id && c.status !== 'referred')
  const referred = board.clients.filter((c) => !c.case_manager_id && c.status === 'referred')
  const [error, setError] = useState<string | null>(null)
  const [done, setDone] = useState<string | null>(null)
  const [choice, setChoice] = useState<Record<string, string>>({})
  /** Clients on other ICM teams, per person, as the server last said. */
  const [elsewhere, setElsewhere] = useState<Record<string, number>>({})
  const full = (m: Board['staff'][number]) => isFull(m.caseload, cap, elsewhere[m.id] ?? 0)
  const count = (m: Board['staff'][number]) => {
    const other = elsewhere[m.id]
    return `${m.caseload} / ${cap}${other ? `, ${m.caseload + other} over all ICM teams` : ''}${full(m) ? ', full' : ''}`
  }

  const assign = async (c: Board['clients'][number]) => {
    setError(null)
    setDone(null)
    const staff_id = choice[c.id]
    try {
      if (c.status === 'screening') {
        await api('PATCH', `/api/teams/${board.team.id}/clients/${c.id}`, { version: c.version, status: 'active', case_manager_id: staff_id } satisfies Schemas['ClientPatch'])
      } else {
        await api('PUT', `/api/teams/${board.team.id}/clients/${c.id}/case-manager`, { staff_id } satisfies Schemas['CaseManager'])
      }
      setDone(`${c.display_name} is now with ${staffName(board.staff, staff_id)}.`)
    } catch (err) {
      const x = err as ApiError
      const f = x.code === 'caseload_full' ? asCaseloadFull(x.body) : null
      if (f) {
        const who = f.staff_id ?? staff_id
        setElsewhere((e) => ({ ...e, [who]: f.on_other_teams }))
        setError(caseloadFullWords(f, staffName(board.staff, who)))
      } else setError(x.code === 'caseload_full' ? `Not assigned. ${x.message}` : x.message)
    }
  }
  return (
    <section class="card" style={{ marginTop: '1rem' }} aria-label="Caseloads">
      <h2 style={{ marginTop: 0 }}>Caseloads (at most {cap} clients each on this team; 15 per person over all ICM teams)</h2>
      <div class="caseloads">
        {managers.map((m) => (
          <div key={m.id} data-testid="caseload" class={full(m) ? 'full' : ''}>
            <strong>{m.display_name}</strong> — <span>{m.caseload} / {cap}</span>
            {elsewhere[m.id] ? <span> ({m.caseload + elsewhere[m.id]} over all ICM teams)</span> : null}
            {full(m) ? <strong class="full-mark"> FULL</strong> : ''}
            <div class="bar-track" role="meter" aria-valuemin={0} aria-valuemax={cap} aria-valuenow={m.caseload} aria-label={`${m.display_name}'s caseload`}>
              <div class={`bar-fill${full(m) ? ' full' : ''}`} style={{ width: `${Math.min(100, Math.max(m.caseload / cap, (m.caseload + (elsewhere[m.id] ?? 0)) / PERSON_CAP) * 100)}%` }} />
            </div>
          </div>
        ))}
      </div>
      <h3>Waiting for a case manager ({waiting.length})</h3>
      <div role="alert" aria-live="assertive">{error && <p class="error">{error}</p>}</div>
      <div role="status">{done && <p class="ok">{done}</p>}</div>
      <table class="list">
        <tbody>
          {waiting.map((c) => (
            <tr key={c.id}>
              <td>{c.display_name} <span class="muted">({c.status === 'screening' ? 'screened, to admit' : c.status})</span></td>
              <td>
                {isLead && (
                  <form style={{ display: 'flex', gap: '0.5rem', flexWrap: 'wrap' }} onSubmit={(e) => { e.preventDefault(); void assign(c) }}>
                    <select aria-label={`Case manager for ${c.display_name}`} required value={choice[c.id] ?? ''} style={{ minWidth: '14rem', flex: '1 1 14rem' }}
                      onChange={(e) => setChoice({ ...choice, [c.id]: (e.target as HTMLSelectElement).value })}>
                      <option value="">Choose…</option>
                      {managers.map((m) => <option key={m.id} value={m.id} disabled={full(m)}>{m.display_name} ({count(m)})</option>)}
                    </select>
                    <button type="submit">{c.status === 'screening' ? 'Admit' : 'Assign'}</button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {referred.length > 0 && (
        <p class="muted" data-testid="referred">{referred.length} referred client{referred.length === 1 ? '' : 's'} to screen before admission (on the client page):{' '}
          {referred.map((c, i) => <span key={c.id}>{i ? ', ' : ''}<Link href={`/teams/${board.team.id}/clients/${c.id}`}>{c.display_name}</Link></span>)}</p>
      )}
    </section>
  )
}
