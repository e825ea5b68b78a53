// A hand-over plan in a dialog: before someone is deactivated (every team) or removed from a
// team (that team), each client they carry gets a new case manager — one person for all of a
// team's clients, or one per client. On an ICM team everybody's caseload is shown as
// "12 / 15"; a person without room is shown but not offered, and the plan itself counts:
// giving someone three clients uses three of their slots. The server checks it all again in
// one transaction (GET /api/staff/{id}/handover, then the caller's `submit`).
import { useEffect, useRef, useState } from 'preact/hooks'
import { api, type Schemas } from '../lib/api'
import { problemWords } from '../lib/problem'

type Plan = Schemas['HandoverOut']
type PlanTeam = Schemas['HandoverTeam']
type Candidate = Schemas['Candidate']
export type Assignment = Schemas['Assignment']

/** Slot-holding clients the plan gives `staffId` on `team`, not counting `exceptClient`. */
export function planned(team: PlanTeam, choice: Record<string, string>, staffId: string, exceptClient?: string): number {
  return team.clients.filter((c) => c.holds_slot && c.id !== exceptClient && choice[c.id] === staffId).length
}

/** Whether `cand` may take `client` given what the plan already gives them (ACT: always). */
export function canTake(team: PlanTeam, choice: Record<string, string>, cand: Candidate, client: { id: string; holds_slot: boolean }): boolean {
  if (cand.room == null || !client.holds_slot) return true
  return planned(team, choice, cand.staff_id, client.id) < cand.room
}

/** "12 / 15" (ICM: over every ICM team, and "here" when the team's own cap is lower), or a count (ACT). */
export function loadWords(team: PlanTeam, c: Candidate, extra: number): string {
  if (c.cap == null) return `${c.on_this_team} client${c.on_this_team === 1 ? '' : 's'}`
  const full = c.room === 0 ? ' — full' : ''
  const all = `${c.on_icm_teams + extra} / 15`
  if (team.caseload_cap < 15) return `${c.on_this_team + extra} / ${team.caseload_cap} here, ${all} in all${full}`
  return `${all}${full}`
}

export function HandoverDialog({ staffId, teamId, title, intro, confirm, submit, onDone, onCancel }: {
  staffId: string; teamId?: string; title: string; intro: string; confirm: string
  submit: (assignments: Assignment[]) => Promise<void>; onDone: () => void; onCancel: () => void
}) {
  const ref = useRef<HTMLDialogElement>(null)
  const [plan, setPlan] = useState<Plan | null>(null)
  const [choice, setChoice] = useState<Record<string, string>>({})
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const load = () => api<Plan>('GET', `/api/staff/${staffId}/handover${teamId ? `?team_id=${teamId}` : ''}`).then((p) => { setPlan(p); setChoice({}) }, (e) => setError(problemWords(e)))
  useEffect(() => {
    const d = ref.current
    if (d && !d.open) d.showModal()
    void load()
  }, [])

  const clients = plan?.teams.flatMap((t) => t.clients) ?? []
  const missing = clients.filter((c) => !choice[c.id]).length
  const allTo = (t: PlanTeam, staff: string) => {
    const next = { ...choice }
    for (const c of t.clients) next[c.id] = staff
    setChoice(next)
    setError(null)
  }
  const go = async () => {
    setError(null)
    if (missing > 0) {
      setError(`Choose a new case manager for every client (${missing} left).`)
      return
    }
    setBusy(true)
    try {
      await submit(clients.map((c) => ({ client_id: c.id, staff_id: choice[c.id] })))
      onDone()
    } catch (e) {
      setError(problemWords(e))
      // Caseloads may have changed meanwhile: show them as they are now, keeping the choices.
      const kept = choice
      await load()
      setChoice(kept)
    } finally {
      setBusy(false)
    }
  }

  return (
    <dialog ref={ref} class="ask wide" aria-labelledby="handover-title" onCancel={(e) => { e.preventDefault(); onCancel() }}>
      <h2 id="handover-title">{title}</h2>
      <p>{intro}</p>
      {!plan ? !error && <p>Loading…</p> : clients.length === 0 ? (
        <p class="ok">{plan.display_name} carries no clients{teamId ? ' on this team' : ''}: nothing to hand over.</p>
      ) : (
        plan.teams.map((t) => {
          const fitsAll = (c: Candidate) => c.room == null || c.room >= t.clients.filter((x) => x.holds_slot).length
          return (
            <section key={t.team_id} class="handover-team" aria-label={`Clients on ${t.name}`}>
              <h3>{t.name} <span class="muted">({t.mode.toUpperCase()}{t.mode === 'icm' ? `, cap ${t.caseload_cap}` : ''}) — {t.clients.length} client{t.clients.length === 1 ? '' : 's'}</span></h3>
              {t.candidates.length === 0 ? <p class="error">Nobody else on {t.name} can take clients: add a member to the team first.</p> : (
                <div class="handover-line">
                  <label for={`all-${t.team_id}`}>All of them to</label>
                  <select id={`all-${t.team_id}`} value="" onChange={(e) => { const v = e.currentTarget.value; if (v) allTo(t, v) }}>
                    <option value="">Choose one person for all…</option>
                    {t.candidates.map((c) => (
                      <option key={c.staff_id} value={c.staff_id} disabled={!fitsAll(c)}>
                        {c.display_name} ({loadWords(t, c, 0)}{!fitsAll(c) && c.room !== 0 ? `, room for ${c.room}` : ''})
                      </option>
                    ))}
                  </select>
                </div>
              )}
              {t.clients.map((cl) => {
                const id = `to-${cl.id}`
                const name = `${cl.given_name} ${cl.family_name}${cl.preferred_name ? ` (${cl.preferred_name})` : ''}`
                return (
                  <div key={cl.id} class="handover-line">
                    <label for={id}>{name} <span class="muted">— {cl.status}</span></label>
                    <select id={id} value={choice[cl.id] ?? ''} onChange={(e) => { setChoice({ ...choice, [cl.id]: e.currentTarget.value }); setError(null) }}>
                      <option value="">Choose a new case manager…</option>
                      {t.candidates.map((c) => {
                        const ok = canTake(t, choice, c, cl) || choice[cl.id] === c.staff_id
                        return (
                          <option key={c.staff_id} value={c.staff_id} disabled={!ok}>
                            {c.display_name} ({loadWords(t, c, planned(t, choice, c.staff_id))})
                          </option>
                        )
                      })}
                    </select>
                  </div>
                )
              })}
            </section>
          )
        })
      )}
      <div role="alert">{error && <p class="error">{error}</p>}</div>
      <div class="ask-actions">
        <button class="danger" disabled={busy || !plan} onClick={() => void go()}>{busy ? 'Working…' : confirm}</button>
        <button autoFocus onClick={onCancel}>Go back</button>
      </div>
    </dialog>
  )
}
