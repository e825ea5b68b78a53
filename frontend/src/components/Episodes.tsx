// Episodes on the client page and the phone: admissions, emergency visits, crisis beds, jail
// and homeless periods, with start, end and whether the team was involved. An open admission,
// crisis bed or jail stay shows the client as away on the board; recording its end brings
// them back. Also the client's outcomes before and after enrolment (12 and 24 months).
import { useEffect, useState } from 'preact/hooks'
import { api, type MyTeam, type Schemas } from '../lib/api'
import { problemWords } from '../lib/problem'
import { teamDay } from '../lib/time'
import { uuid } from '../lib/uuid'
import { useTeamEvents } from '../lib/liveScope'
import { changeWords, EPISODE_KINDS, episodeDays, figure, KIND_WORD, takesAway, type EpisodeKind } from '../lib/episodes'
import { shortDay } from '../lib/days'

type Episode = Schemas['EpisodeOut']
type Outcomes = Schemas['ClientOutcomes']

type TeamRef = Pick<MyTeam, 'team_id' | 'timezone'>

/** The form's state: what was typed stays when the server refuses. */
type Draft = { kind: EpisodeKind; start: string; end: string; team_involved: boolean; note: string }

async function record(teamId: string, clientId: string, d: Draft, id: string): Promise<Episode> {
  return api<Episode>('POST', `/api/teams/${teamId}/clients/${clientId}/episodes`, {
    id, kind: d.kind, start: d.start, end: d.end || undefined, team_involved: d.team_involved, note: d.note || undefined,
  } satisfies Schemas['EpisodeBody'])
}

async function endEpisode(teamId: string, clientId: string, e: Episode, end: string): Promise<Episode> {
  return api<Episode>('PATCH', `/api/teams/${teamId}/clients/${clientId}/episodes/${e.id}`, { version: e.version, end } satisfies Schemas['EpisodePatch'])
}

function EpisodeForm({ team, clientId, onSaved, compact }: { team: TeamRef; clientId: string; onSaved: (e: Episode) => void; compact?: boolean }) {
  const today = teamDay(team.timezone)
  const [d, setD] = useState<Draft>({ kind: 'psychiatric_admission', start: today, end: '', team_involved: false, note: '' })
  // One id per episode being recorded: a retried tap on a weak network records it once.
  const [id, setId] = useState(uuid)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const kinds = compact ? EPISODE_KINDS.filter((k) => k !== 'homeless') : EPISODE_KINDS
  const submit = async (ev: Event) => {
    ev.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const e = await record(team.team_id, clientId, d, id)
      setId(uuid())
      setD({ ...d, end: '', note: '' })
      onSaved(e)
    } catch (err) {
      setError(problemWords(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <form class={`episode-form${compact ? ' compact' : ''}`} onSubmit={submit} data-testid="episode-form">
      <label>What
        <select value={d.kind} onChange={(e) => setD({ ...d, kind: (e.target as HTMLSelectElement).value as EpisodeKind })} data-testid="episode-kind">
          {kinds.map((k) => <option key={k} value={k}>{KIND_WORD[k]}</option>)}
        </select>
      </label>
      <label>From <input type="date" value={d.start} max={today} required onInput={(e) => setD({ ...d, start: (e.target as HTMLInputElement).value })} data-testid="episode-start" /></label>
      {!compact && (
        <label>To <input type="date" value={d.end} max={today} min={d.start} onInput={(e) => setD({ ...d, end: (e.target as HTMLInputElement).value })} data-testid="episode-end" />
          <small>{takesAway(d.kind) ? 'Leave empty while it lasts: the client shows as away.' : d.kind === 'ed_visit' ? 'Empty: one day.' : 'Leave empty while it lasts.'}</small>
        </label>
      )}
      <label class="check"><input type="checkbox" checked={d.team_involved} onChange={(e) => setD({ ...d, team_involved: (e.target as HTMLInputElement).checked })} /> The team was involved</label>
      {!compact && <label>Note <textarea rows={2} maxLength={1000} value={d.note} onInput={(e) => setD({ ...d, note: (e.target as HTMLTextAreaElement).value })} /></label>}
      {error && <p class="error" role="alert">{error}</p>}
      <button class="primary" type="submit" disabled={busy} data-testid="episode-save">{busy ? 'Saving…' : `Record ${KIND_WORD[d.kind].toLowerCase()}`}</button>
    </form>
  )
}

/** "Ended" control of an open episode: a day (default today) and a button. */
function EndControl({ team, clientId, e, onSaved }: { team: TeamRef; clientId: string; e: Episode; onSaved: (e: Episode) => void }) {
  const today = teamDay(team.timezone)
  const [end, setEnd] = useState(today)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const save = async () => {
    setBusy(true)
    setError(null)
    try { onSaved(await endEpisode(team.team_id, clientId, e, end)) } catch (err) { setError(problemWords(err)) } finally { setBusy(false) }
  }
  return (
    <span class="end-control">
      <label>Ended <input type="date" value={end} min={e.start} max={today} onInput={(x) => setEnd((x.target as HTMLInputElement).value)} data-testid="episode-end-day" /></label>
      <button type="button" onClick={save} disabled={busy} data-testid="episode-end-save">{takesAway(e.kind) ? 'Record discharge / return' : 'Record end'}</button>
      {error && <span class="error" role="alert">{error}</span>}
    </span>
  )
}

/** The episodes card of the client page. */
export function Episodes({ team, clientId, canWrite, names }: { team: MyTeam; clientId: string; canWrite: boolean; names: (id: string) => string }) {
  const base = `/api/teams/${team.team_id}/clients/${clientId}/episodes`
  const [list, setList] = useState<Episode[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [adding, setAdding] = useState(false)
  const [said, setSaid] = useState<string | null>(null)
  const load = () => api<Episode[]>('GET', base).then(setList, (e) => setError((e as Error).message))
  useEffect(() => { void load() }, [base])
  useTeamEvents(team.team_id, (kind) => kind === 'episode.recorded' || kind === 'episode.updated', (e) => {
    if ((e.data as { client_id?: string } | null)?.client_id === clientId) void load()
  })
  const saved = (e: Episode) => {
    setSaid(e.end ? `${KIND_WORD[e.kind]} recorded (${episodeDays(e.start, e.end)}).` : `${KIND_WORD[e.kind]} recorded from ${shortDay(e.start)}${e.away ? ': the client shows as away on the board.' : '.'}`)
    setAdding(false)
    void load()
  }
  const open = (list ?? []).filter((e) => e.away)
  return (
    <section class="card episodes" aria-label="Hospital, crisis and other episodes">
      <h2>Hospital, crisis, jail, housing</h2>
      {error && <p class="error" role="alert">{error}</p>}
      <div role="status">{said && <p class="ok">{said}</p>}</div>
      {open.map((e) => (
        <p key={e.id} class="away big" data-testid="client-away">{KIND_WORD[e.kind]} since {shortDay(e.start)}</p>
      ))}
      {list === null ? <p>Loading…</p> : list.length === 0 ? <p>None recorded.</p> : (
        <ul class="episode-list">{list.map((e) => (
          <li key={e.id} data-testid="episode">
            <strong>{KIND_WORD[e.kind]}</strong> · {episodeDays(e.start, e.end)}{e.team_involved ? ' · team involved' : ''}
            {e.note ? ` — ${e.note}` : ''} <span class="muted">(recorded by {names(e.recorded_by)})</span>
            {canWrite && !e.end && <div><EndControl team={team} clientId={clientId} e={e} onSaved={saved} /></div>}
          </li>
        ))}</ul>
      )}
      {canWrite && (adding
        ? <><EpisodeForm team={team} clientId={clientId} onSaved={saved} /><button type="button" onClick={() => setAdding(false)}>Cancel</button></>
        : <button type="button" onClick={() => { setAdding(true); setSaid(null) }} data-testid="episode-add">Record an admission or episode…</button>)}
    </section>
  )
}

/** The phone's compact form (in the client quick card): record an admission, or a return. */
export function EpisodeQuick({ team, clientId }: { team: TeamRef; clientId: string }) {
  const base = `/api/teams/${team.team_id}/clients/${clientId}/episodes`
  const [list, setList] = useState<Episode[] | null>(null)
  const [open, setOpen] = useState(false)
  const [said, setSaid] = useState<string | null>(null)
  const load = () => api<Episode[]>('GET', base).then(setList, () => setList([]))
  useEffect(() => { void load() }, [base])
  const away = (list ?? []).filter((e) => e.away)
  const saved = (e: Episode) => {
    setSaid(e.away ? `${KIND_WORD[e.kind]} recorded: away on the board.` : `${KIND_WORD[e.kind]} recorded.`)
    setOpen(false)
    void load()
  }
  return (
    <section class="episode-quick" aria-label="Admission">
      <h3>Admission, crisis bed, jail</h3>
      <div role="status">{said && <p class="ok">{said}</p>}</div>
      {away.map((e) => (
        <div key={e.id}>
          <p class="away big">{KIND_WORD[e.kind]} since {shortDay(e.start)}</p>
          <EndControl team={team} clientId={clientId} e={e} onSaved={saved} />
        </div>
      ))}
      {open
        ? <EpisodeForm team={team} clientId={clientId} onSaved={saved} compact />
        : <button type="button" class="wide" onClick={() => setOpen(true)} data-testid="episode-quick-open">Record admission or ED visit…</button>}
    </section>
  )
}

/** The client's outcomes: before and after enrolment, 12 and 24 months. */
export function ClientOutcomesCard({ team, clientId }: { team: MyTeam; clientId: string }) {
  const [o, setO] = useState<Outcomes | null>(null)
  const [error, setError] = useState<string | null>(null)
  const load = () => api<Outcomes>('GET', `/api/teams/${team.team_id}/clients/${clientId}/outcomes`).then(setO, (e) => setError((e as Error).message))
  useEffect(() => { void load() }, [team.team_id, clientId])
  useTeamEvents(team.team_id, (kind) => kind === 'episode.recorded' || kind === 'episode.updated', (e) => {
    if ((e.data as { client_id?: string } | null)?.client_id === clientId) void load()
  })
  return (
    <section class="card outcomes-card" aria-label="Outcomes">
      <h2>Outcomes before and after enrolment</h2>
      {error && <p class="error" role="alert">{error}</p>}
      {!o ? <p>Loading…</p> : !o.enrolled_on ? <p>Not enrolled yet: outcomes count from the day the client becomes active.</p> : (
        <>
          <p>Enrolled {shortDay(o.enrolled_on)} {o.enrolled_on.slice(0, 4)}. “After” counts up to today.</p>
          <table class="list" aria-label="Outcomes by window">
            <thead><tr><th>Window</th><th>Hospital days / month</th><th>Hospital days</th><th>Admissions</th><th>ED visits</th><th>Jail days</th><th>Homeless days</th></tr></thead>
            <tbody>{o.windows.flatMap((w) => [
              <tr key={`${w.months}b`}><td>{w.months} months before</td><td>{figure(w.before.hospital_days_per_month, 2)}</td><td>{w.before.hospital_days}</td><td>{w.before.admissions}</td><td>{w.before.ed_visits}</td><td>{w.before.jail_days}</td><td>{w.before.homeless_days}</td></tr>,
              <tr key={`${w.months}a`}><td>{w.months} months after{w.after.complete ? '' : ` (${figure(w.after.months)} so far)`}</td>
                <td><strong>{figure(w.after.hospital_days_per_month, 2)}</strong> <span class="muted">{changeWords(w.before.hospital_days_per_month, w.after.hospital_days_per_month)}</span></td>
                <td>{w.after.hospital_days}</td><td>{w.after.admissions}</td><td>{w.after.ed_visits}</td><td>{w.after.jail_days}</td><td>{w.after.homeless_days}</td></tr>,
            ])}</tbody>
          </table>
        </>
      )}
    </section>
  )
}
