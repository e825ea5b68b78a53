// The lead's planner: a day's visits in staff columns. Drag a visit to someone else (or use
// its "Move to" menu), undo for a few seconds. Nothing is double-booked silently: a move or
// a new visit that would overlap someone's visit shows the clash and waits for the lead
// ("Book anyway (overlap)" or "Leave it"); visits that overlap anyway are marked. Absences
// over date ranges move a person's planned visits to a cover, with undo. ICM teams see each
// case manager's caseload against the cap and the clients waiting for one.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import type { Session } from '../lib/session'
import { api, ApiError, type MyTeam, type Schemas } from '../lib/api'
import { useTeamLive } from '../lib/liveScope'
import { teamDay, longDay, addDays } from '../lib/time'
import { overlapsIn } from '../lib/booking'
import { ANY, hourLabel, hourRows, rowOf } from '../lib/hours'
import { outWords } from '../lib/days'
import { ConnectionBadge, TeamNav, staffName } from '../components/common'
import { DecisionNotice, describeConflicts, type Decision } from '../components/Decision'
import { AbsenceForm, AbsenceList, type Absence, type Undo } from '../components/Absences'
import { NewVisit } from '../components/NewVisit'
import { Caseloads } from '../components/Caseloads'
import { NewReferral } from '../components/NewReferral'
import type { BoardStaff, ContactOut } from '../live/types'

/** An undo on screen: a new one replaces it (its own id, its own timer). */
interface Toast extends Undo { id: number }

export function PlannerScreen({ team, onSignOut }: { team: MyTeam; session: Session; onSignOut: () => void }) {
  const live = useTeamLive(team.team_id)
  const board = live.model?.board ?? null
  const tz = board?.team.timezone ?? team.timezone
  const [day, setDay] = useState(() => teamDay(team.timezone))
  const today = board?.day ?? teamDay(tz)
  const [visits, setVisits] = useState<ContactOut[]>([])
  const [absences, setAbsences] = useState<Absence[]>([])
  const [error, setError] = useState<string | null>(null)
  const [decision, setDecision] = useState<Decision | null>(null)
  const [toast, setToast] = useState<Toast | null>(null)
  const [said, setSaid] = useState<string | null>(null)
  const [dropTarget, setDropTarget] = useState<string | null>(null)
  const toastIds = useRef(0)
  const isLead = team.role === 'lead'

  const reload = async () => {
    try {
      const from = day < today ? day : today
      const [v, a] = await Promise.all([
        api<ContactOut[]>('GET', `/api/teams/${team.team_id}/contacts?day=${day}&limit=1000`),
        api<Absence[]>('GET', `/api/teams/${team.team_id}/absences?from=${from}`),
      ])
      setVisits(v)
      setAbsences(a)
    } catch (e) {
      setError((e as Error).message)
    }
  }
  // Live: any change to the team re-reads the day.
  useEffect(() => { void reload() }, [day, live.model?.seq])
  useEffect(() => {
    if (!toast) return
    const t = setTimeout(() => setToast((now) => (now?.id === toast.id ? null : now)), toast.ms ?? 8000)
    return () => clearTimeout(t)
  }, [toast])
  /** Offer an undo; any older one is gone (it would undo something no longer on screen). */
  const offerUndo = (u: Undo) => setToast({ ...u, id: ++toastIds.current })
  const ask = (d: Decision) => { setError(null); setSaid(null); setDecision(d) }

  const workers = (board?.staff ?? []).filter((s) => s.role !== 'viewer')
  const rows = useMemo(() => hourRows(visits), [visits])
  const clientName = useMemo(() => new Map((board?.clients ?? []).map((c) => [c.id, c.display_name])), [board])
  const client = (id: string) => clientName.get(id) ?? 'a client'
  const who = (id: string) => staffName(board?.staff ?? [], id)

  const move = async (v: ContactOut, from: string, to: string, opts: { version?: number; quiet?: boolean; allowOverlap?: boolean } = {}): Promise<void> => {
    if (from === to) return
    setError(null)
    setSaid(null)
    setDecision(null)
    const staff_ids = [...new Set(v.staff_ids.map((s) => (s === from ? to : s)))]
    const body: Schemas['ContactPatch'] = { version: opts.version ?? v.version, staff_ids, allow_overlap: opts.allowOverlap || undefined }
    try {
      const moved = await api<ContactOut>('PATCH', `/api/teams/${team.team_id}/contacts/${v.id}`, body)
      if (!opts.quiet) offerUndo({
        text: `Moved ${client(v.client_id)} to ${who(to)}${opts.allowOverlap ? ' (overlapping)' : ''}`,
        run: async () => {
          const cur = await api<ContactOut[]>('GET', `/api/teams/${team.team_id}/contacts?day=${v.day}&client_id=${v.client_id}`)
          const now = cur.find((c) => c.id === v.id)
          if (!now || now.version !== moved.version) return `${client(v.client_id)}'s visit was changed meanwhile; it stays as it is now.`
          await move(now, to, from, { version: now.version, quiet: true })
        },
      })
      await reload()
    } catch (e) {
      const err = e as ApiError
      const lines = await describeConflicts(team.team_id, err, visits, { staff: who, client, day })
      if (lines) {
        ask({
          kind: 'double_booked',
          title: `Not moved yet: ${client(v.client_id)} at ${v.start ?? 'any time'}${v.end ? `–${v.end}` : ''} to ${who(to)} would double-book:`,
          lines,
          confirm: 'Book anyway (overlap)',
          onConfirm: () => move(v, from, to, { ...opts, allowOverlap: true }),
        })
      } else if (err.code === 'version_conflict') {
        const cur = err.body.current as ContactOut
        ask({
          kind: 'changed',
          title: `Someone else changed this visit meanwhile: it is now ${cur.status}, ${cur.start ?? 'any time'} with ${cur.staff_ids.map(who).join(', ')}.`,
          lines: [],
          confirm: 'Move it anyway',
          onConfirm: () => move(cur, from, to, { ...opts, version: cur.version }),
        })
        await reload()
      } else setError(err.message)
    }
  }

  /** Who is out on the day on screen (the absences list; the board's row for today). */
  const outOn = (s: BoardStaff): { from: string; until: string; covered_by?: string | null } | null => {
    const a = absences.find((x) => x.staff_id === s.id && x.from <= day && day <= x.to)
    if (a) return { from: a.from, until: a.to, covered_by: a.covered_by }
    return day === today && s.absent_today ? s.absent_today : null
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
          {decision && <DecisionNotice d={decision} onClose={() => setDecision(null)} />}
        </div>
        <div role="status" aria-live="polite">{said && <p class="ok" data-testid="undo-result">{said}</p>}</div>
        {board && board.team.mode === 'icm' && (
          // ICM: the caseload tools first (who has room, who waits), the day's visits after.
          <>
            <Caseloads board={board} isLead={isLead} />
            {isLead && <NewReferral board={board} />}
          </>
        )}
        {board && isLead && <AbsenceForm board={board} today={today} ask={ask} onUndo={offerUndo} onDone={reload} />}
        {board && <AbsenceList board={board} absences={absences} today={today} isLead={isLead} onChanged={reload} />}
        {visits.length === 0 && !workers.some((s) => outOn(s)) ? (
          <p class="no-visits" data-testid="no-visits">No visits planned for {longDay(day)}.</p>
        ) : (
        <div class="columns timegrid" aria-label="Visits by staff member"
          style={{ gridTemplateColumns: `4.2rem repeat(${workers.length}, minmax(0, 1fr))`, gridTemplateRows: `auto repeat(${rows.length}, minmax(2.2rem, auto))` }}>
          <div class="hours" aria-hidden="true">
            <div class="colhead" />
            {rows.map((r) => <div key={r} class={`hour${r === ANY ? ' any' : ''}`}>{r === ANY ? 'Any time' : hourLabel(r)}</div>)}
          </div>
          {workers.map((s) => {
            const mine = visits.filter((v) => v.staff_ids.includes(s.id)).sort((a, b) => (a.start ?? '').localeCompare(b.start ?? ''))
            const overlaps = overlapsIn(mine)
            const out = outOn(s)
            const byRow = new Map<number, ContactOut[]>()
            for (const v of mine) { const r = rowOf(v, rows); byRow.set(r, [...(byRow.get(r) ?? []), v]) }
            return (
              <section key={s.id} class={`column${dropTarget === s.id ? ' drop' : ''}${out ? ' out' : ''}`} data-testid={`column-${s.display_name}`}
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
                <div class="colhead">
                  <h3>{s.display_name} <span style={{ fontWeight: 400 }}>({mine.length})</span></h3>
                  {out && <p class="out-mark" data-testid="column-out">{outWords(out, day, today, out.covered_by ? who(out.covered_by) : null)}</p>}
                  {overlaps.size > 0 && <p class="overlap-count">⚠ {overlaps.size} overlapping visits</p>}
                </div>
                {rows.map((r) => (
                  <div key={r} class={`cell${r === ANY ? ' any' : ''}`}>
                    {(byRow.get(r) ?? []).map((v) => {
                      const clash = overlaps.get(v.id)
                      return (
                        <article key={v.id} class={`visit ${v.status}${clash ? ' overlapping' : ''}`} draggable={isLead && v.status === 'planned'} data-testid="visit"
                          onDragStart={(e) => e.dataTransfer?.setData('text/plain', `${v.id}|${s.id}`)}>
                          <div class="t">{v.start ?? 'any time'}{v.end ? `–${v.end}` : ''} {v.status !== 'planned' ? `(${v.status})` : ''}</div>
                          <div class="c">{client(v.client_id)}</div>
                          <div class="sub">{v.activity} · {v.place}</div>
                          {clash && (
                            <div class="overlap-mark" data-testid="overlap">
                              ⚠ Overlaps {clash.map((o) => `${o.start}–${o.end} ${client(o.client_id)}`).join('; ')}
                            </div>
                          )}
                          {isLead && v.status === 'planned' && (
                            <select aria-label={`Move ${client(v.client_id)} to`} value="" onChange={(e) => { const to = (e.target as HTMLSelectElement).value; if (to) void move(v, s.id, to) }}>
                              <option value="">Move to…</option>
                              {workers.filter((w) => w.id !== s.id).map((w) => <option key={w.id} value={w.id}>{w.display_name}</option>)}
                            </select>
                          )}
                        </article>
                      )
                    })}
                  </div>
                ))}
              </section>
            )
          })}
        </div>
        )}
        {board && team.role !== 'viewer' && <NewVisit board={board} day={day} visits={visits} ask={ask} onDone={reload} />}
        {/* New referrals (clientsui): leads enter them here; screening and admission on the client page. */}
        {board && board.team.mode !== 'icm' && isLead && <NewReferral board={board} />}
      </main>
      {toast && (
        <div class="toast" role="status" key={toast.id}>
          <span>{toast.text}</span>
          <button onClick={async () => {
            const u = toast
            setToast(null)
            try {
              const words = await u.run()
              if (words) setSaid(words)
            } catch (e) { setError((e as Error).message) }
            await reload()
          }}>Undo</button>
        </div>
      )}
    </>
  )
}
