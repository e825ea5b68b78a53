// The lead's planner: a day's visits in staff columns. Drag a visit to someone else (or use
// its "Move to" menu), undo for a few seconds, see what changed on a conflict and retry;
// move all of one person's planned visits when they are out; add a visit. ICM teams see
// each case manager's caseload against the cap and the clients waiting for one.
import { useEffect, useMemo, useState } from 'preact/hooks'
import type { Session } from '../lib/session'
import { api, ApiError, type MyTeam, type Schemas } from '../lib/api'
import { useTeamLive } from '../lib/liveScope'
import { teamDay, longDay, addDays } from '../lib/time'
import { uuid } from '../lib/uuid'
import { ConnectionBadge, TeamNav, staffName } from '../components/common'
import type { Board, ContactOut } from '../live/types'

interface Undo { text: string; run: () => Promise<void> }

export function PlannerScreen({ team, onSignOut }: { team: MyTeam; session: Session; onSignOut: () => void }) {
  const live = useTeamLive(team.team_id)
  const board = live.model?.board ?? null
  const tz = board?.team.timezone ?? team.timezone
  const [day, setDay] = useState(() => teamDay(team.timezone))
  const [visits, setVisits] = useState<ContactOut[]>([])
  const [error, setError] = useState<string | null>(null)
  const [conflict, setConflict] = useState<{ text: string; retry: () => Promise<void> } | null>(null)
  const [undo, setUndo] = useState<Undo | null>(null)
  const [dropTarget, setDropTarget] = useState<string | null>(null)
  const isLead = team.role === 'lead'

  const reload = async () => {
    try {
      setVisits(await api<ContactOut[]>('GET', `/api/teams/${team.team_id}/contacts?day=${day}&limit=1000`))
    } catch (e) {
      setError((e as Error).message)
    }
  }
  // Live: any change to the team re-reads the day.
  useEffect(() => { void reload() }, [day, live.model?.seq])
  useEffect(() => { if (!undo) return; const t = setTimeout(() => setUndo(null), 8000); return () => clearTimeout(t) }, [undo])

  const workers = (board?.staff ?? []).filter((s) => s.role !== 'viewer')
  const clientName = useMemo(() => new Map((board?.clients ?? []).map((c) => [c.id, c.display_name])), [board])

  const move = async (v: ContactOut, from: string, to: string, version = v.version, quiet = false): Promise<void> => {
    if (from === to) return
    setError(null)
    setConflict(null)
    const staff_ids = [...new Set(v.staff_ids.map((s) => (s === from ? to : s)))]
    try {
      await api<ContactOut>('PATCH', `/api/teams/${team.team_id}/contacts/${v.id}`, { version, staff_ids } satisfies Schemas['ContactPatch'])
      if (!quiet && board) setUndo({
        text: `Moved ${clientName.get(v.client_id) ?? 'visit'} to ${staffName(board.staff, to)}`,
        run: async () => {
          const cur = await api<ContactOut[]>('GET', `/api/teams/${team.team_id}/contacts?day=${v.day}&client_id=${v.client_id}`)
          const now = cur.find((c) => c.id === v.id)
          if (now) await move(now, to, from, now.version, true)
        },
      })
      await reload()
    } catch (e) {
      const err = e as ApiError
      if (err.code === 'version_conflict' && board) {
        const cur = err.body.current as ContactOut
        const who = cur.staff_ids.map((s) => staffName(board.staff, s)).join(', ')
        setConflict({
          text: `Someone else changed this visit meanwhile: it is now ${cur.status}, ${cur.start ?? 'any time'} with ${who}.`,
          retry: async () => { setConflict(null); await move(cur, from, to, cur.version) },
        })
        await reload()
      } else setError(err.message)
    }
  }

  return (
    <>
      <TeamNav team={team} here="planner" onSignOut={onSignOut}><ConnectionBadge state={live.state} since={live.lastCurrentAt} tz={tz} /></TeamNav>
      <main class="page wide">
        <h1 style={{ marginTop: 0 }}>Planner — {longDay(day)}</h1>
        <div class="planner-tools">
          <div>
            <label for="day">Day</label>
            <input id="day" type="date" value={day} onInput={(e) => setDay((e.target as HTMLInputElement).value || day)} />
          </div>
          <button onClick={() => setDay(addDays(day, -1))}>← Previous day</button>
          <button onClick={() => setDay(teamDay(tz))}>Today</button>
          <button onClick={() => setDay(addDays(day, 1))}>Next day →</button>
        </div>
        <div role="alert" aria-live="assertive">
          {error && <p class="error">{error}</p>}
          {conflict && (
            <p class="notice">{conflict.text} <button onClick={() => conflict.retry()}>Move it anyway</button> <button onClick={() => setConflict(null)}>Leave it</button></p>
          )}
        </div>
        {board && isLead && <OutToday board={board} day={day} onDone={reload} onError={setError} />}
        <div class="columns" aria-label="Visits by staff member">
          {workers.map((s) => {
            const mine = visits.filter((v) => v.staff_ids.includes(s.id)).sort((a, b) => (a.start ?? '').localeCompare(b.start ?? ''))
            return (
              <section key={s.id} class={`column${dropTarget === s.id ? ' drop' : ''}`} data-testid={`column-${s.display_name}`}
                aria-label={`${s.display_name}'s visits`}
                onDragOver={(e) => { if (isLead) { e.preventDefault(); setDropTarget(s.id) } }}
                onDragLeave={() => setDropTarget(null)}
                onDrop={(e) => {
                  e.preventDefault()
                  setDropTarget(null)
                  const [id, from] = (e.dataTransfer?.getData('text/plain') ?? '').split('|')
                  const v = visits.find((x) => x.id === id)
                  if (v && from) void move(v, from, s.id)
                }}>
                <h3>{s.display_name} <span style={{ fontWeight: 400 }}>({mine.length})</span></h3>
                {mine.map((v) => (
                  <article key={v.id} class={`visit ${v.status}`} draggable={isLead && v.status === 'planned'} data-testid="visit"
                    onDragStart={(e) => e.dataTransfer?.setData('text/plain', `${v.id}|${s.id}`)}>
                    <div class="t">{v.start ?? 'any time'}{v.end ? `–${v.end}` : ''} {v.status !== 'planned' ? `(${v.status})` : ''}</div>
                    <div>{clientName.get(v.client_id) ?? 'client'}</div>
                    <div style={{ color: '#4b5563', fontSize: '14px' }}>{v.activity} · {v.place}</div>
                    {isLead && v.status === 'planned' && (
                      <select aria-label={`Move ${clientName.get(v.client_id) ?? 'visit'} to`} value="" onChange={(e) => { const to = (e.target as HTMLSelectElement).value; if (to) void move(v, s.id, to) }}>
                        <option value="">Move to…</option>
                        {workers.filter((w) => w.id !== s.id).map((w) => <option key={w.id} value={w.id}>{w.display_name}</option>)}
                      </select>
                    )}
                  </article>
                ))}
              </section>
            )
          })}
        </div>
        {board && team.role !== 'viewer' && <NewVisit board={board} day={day} onDone={reload} />}
        {board && board.team.mode === 'icm' && <Caseloads board={board} isLead={isLead} />}
      </main>
      {undo && (
        <div class="toast" role="status">{undo.text} <button onClick={async () => { const u = undo; setUndo(null); await u.run(); await reload() }}>Undo</button></div>
      )}
    </>
  )
}

function OutToday({ board, day, onDone, onError }: { board: Board; day: string; onDone: () => void; onError: (m: string | null) => void }) {
  const workers = board.staff.filter((s) => s.role !== 'viewer')
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const [done, setDone] = useState<string | null>(null)
  return (
    <form class="card planner-tools" style={{ marginBottom: '0.8rem' }} onSubmit={async (e) => {
      e.preventDefault()
      onError(null)
      setDone(null)
      try {
        const r = await api<Schemas['Reassigned']>('POST', `/api/teams/${board.team.id}/contacts/reassign`, { day, from_staff_id: from, to_staff_id: to } satisfies Schemas['Reassign'])
        setDone(`${r.moved} planned visit${r.moved === 1 ? '' : 's'} moved from ${staffName(board.staff, from)} to ${staffName(board.staff, to)}.`)
        onDone()
      } catch (err) { onError((err as Error).message) }
    }}>
      <div><label for="out">Who is out</label>
        <select id="out" required value={from} onChange={(e) => setFrom((e.target as HTMLSelectElement).value)}>
          <option value="">Choose…</option>{workers.map((w) => <option key={w.id} value={w.id}>{w.display_name}</option>)}
        </select></div>
      <div><label for="cover">Who covers</label>
        <select id="cover" required value={to} onChange={(e) => setTo((e.target as HTMLSelectElement).value)}>
          <option value="">Choose…</option>{workers.filter((w) => w.id !== from).map((w) => <option key={w.id} value={w.id}>{w.display_name}</option>)}
        </select></div>
      <button class="primary" type="submit">Move all their planned visits</button>
      {done && <span role="status">{done}</span>}
    </form>
  )
}

function NewVisit({ board, day, onDone }: { board: Board; day: string; onDone: () => void }) {
  const workers = board.staff.filter((s) => s.role !== 'viewer')
  const [f, setF] = useState({ client_id: '', staff_id: '', start: '10:00', end: '11:00', activity: 'check-in', place: 'community' as Schemas['Place'] })
  const [error, setError] = useState<string | null>(null)
  const set = (k: string) => (e: Event) => setF({ ...f, [k]: (e.target as HTMLInputElement).value })
  return (
    <form class="card" style={{ marginTop: '1rem' }} onSubmit={async (e) => {
      e.preventDefault()
      setError(null)
      try {
        await api('PUT', `/api/teams/${board.team.id}/contacts/${uuid()}`, {
          client_id: f.client_id, staff_ids: [f.staff_id], day, start: f.start, end: f.end || undefined,
          kind: 'face_to_face', place: f.place, activity: f.activity, status: 'planned',
        } satisfies Schemas['ContactIn'])
        onDone()
      } catch (err) { setError((err as Error).message) }
    }}>
      <h2 style={{ marginTop: 0 }}>Add a visit on {longDay(day)}</h2>
      <div class="planner-tools">
        <div><label for="nv-client">Client</label><select id="nv-client" required value={f.client_id} onChange={set('client_id')}>
          <option value="">Choose…</option>{board.clients.map((c) => <option key={c.id} value={c.id}>{c.display_name}</option>)}</select></div>
        <div><label for="nv-staff">Staff</label><select id="nv-staff" required value={f.staff_id} onChange={set('staff_id')}>
          <option value="">Choose…</option>{workers.map((w) => <option key={w.id} value={w.id}>{w.display_name}</option>)}</select></div>
        <div><label for="nv-start">Start</label><input id="nv-start" type="time" required value={f.start} onInput={set('start')} /></div>
        <div><label for="nv-end">End</label><input id="nv-end" type="time" value={f.end} onInput={set('end')} /></div>
        <div><label for="nv-activity">What for</label><input id="nv-activity" required value={f.activity} onInput={set('activity')} /></div>
        <div><label for="nv-place">Place</label><select id="nv-place" value={f.place} onChange={set('place')}>
          {(['community', 'home', 'office', 'hospital', 'other'] satisfies Schemas['Place'][]).map((p) => <option key={p}>{p}</option>)}</select></div>
        <button class="primary" type="submit">Add visit</button>
      </div>
      {error && <p class="error" role="alert">{error}</p>}
    </form>
  )
}

function Caseloads({ board, isLead }: { board: Board; isLead: boolean }) {
  const cap = board.team.caseload_cap
  const managers = board.staff.filter((s) => s.role !== 'viewer' && (s.discipline === 'case_manager' || s.caseload > 0))
  // Screened clients wait to be admitted to a case manager; active ones without one need one.
  const waiting = board.clients.filter((c) => !c.case_manager_id && c.status !== 'referred')
  const referred = board.clients.filter((c) => !c.case_manager_id && c.status === 'referred')
  const [error, setError] = useState<string | null>(null)
  const [done, setDone] = useState<string | null>(null)
  const [choice, setChoice] = useState<Record<string, string>>({})
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
      setError(x.code === 'caseload_full' ? `Not assigned. ${x.message}` : x.message)
    }
  }
  return (
    <section class="card" style={{ marginTop: '1rem' }} aria-label="Caseloads">
      <h2 style={{ marginTop: 0 }}>Caseloads (at most {cap} clients each)</h2>
      <div class="caseloads">
        {managers.map((m) => (
          <div key={m.id} data-testid="caseload">
            <strong>{m.display_name}</strong> — <span>{m.caseload} / {cap}</span>{m.caseload >= cap ? ' (full)' : ''}
            <div class="bar-track" role="meter" aria-valuemin={0} aria-valuemax={cap} aria-valuenow={m.caseload} aria-label={`${m.display_name}'s caseload`}>
              <div class={`bar-fill${m.caseload >= cap ? ' full' : ''}`} style={{ width: `${Math.min(100, (m.caseload / cap) * 100)}%` }} />
            </div>
          </div>
        ))}
      </div>
      <h3>Waiting for a case manager ({waiting.length})</h3>
      <div role="alert" aria-live="assertive">{error && <p class="error">{error}</p>}</div>
      <div role="status">{done && <p class="notice" style={{ background: 'var(--ok-bg)', color: 'var(--ok)' }}>{done}</p>}</div>
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
                      {managers.map((m) => <option key={m.id} value={m.id}>{m.display_name} ({m.caseload} / {cap})</option>)}
                    </select>
                    <button type="submit">{c.status === 'screening' ? 'Admit' : 'Assign'}</button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {referred.length > 0 && <p class="muted">{referred.length} referred client(s) must be screened before admission.</p>}
    </section>
  )
}
