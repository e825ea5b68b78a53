// DACTS fidelity: the 28 items of the scale for the 4 weeks ending a chosen day. Nine are
// computed from the team's own contacts, huddle reviews and enrolments (value, score, the
// bands, the evidence behind it: click through to the clients), each with a 12-month trend;
// the rest take a reviewer's rating, recorded here by a lead. CSV export.
import { useEffect, useState } from 'preact/hooks'
import { api, type MyTeam, type Schemas } from '../lib/api'
import { ResultsTabs, TeamNav } from '../components/common'
import { ScoreTrend } from '../components/Chart'
import { downloadCsv } from '../lib/download'
import { problemWords } from '../lib/problem'
import { teamDay } from '../lib/time'
import { shortDay } from '../lib/days'
import { figure } from '../lib/episodes'
import { navigate } from '../lib/router'
import { slippingWords } from '../components/FidelitySlipping'

type Fidelity = Schemas['FidelityOut']
type Item = Schemas['FidelityItem']

const SECTIONS: [string, string][] = [['H', 'Human resources'], ['O', 'Organizational boundaries'], ['S', 'Nature of services']]

export function FidelityScreen({ team, onSignOut }: { team: MyTeam; onSignOut: () => void }) {
  const today = teamDay(team.timezone)
  const [to, setTo] = useState(today)
  const [f, setF] = useState<Fidelity | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [said, setSaid] = useState<string | null>(null)
  // The report first (this month and the last: one quick read), then the 12-month trend.
  const load = async () => {
    try {
      const now = await api<Fidelity>('GET', `/api/teams/${team.team_id}/fidelity?to=${to}`)
      setF((prev) => (prev && prev.period.to === now.period.to && prev.trend.length > now.trend.length ? { ...now, trend: prev.trend } : now))
      const year = await api<Fidelity>('GET', `/api/teams/${team.team_id}/fidelity?months=12&to=${to}`)
      setF(year)
    } catch (e) {
      setError(problemWords(e))
    }
  }
  useEffect(() => { setError(null); void load() }, [team.team_id, to])
  const exportCsv = async () => {
    setError(null)
    try { setSaid(`Downloaded ${await downloadCsv(`/api/teams/${team.team_id}/fidelity.csv?to=${to}`, 'fidelity.csv')}.`) } catch (e) { setError(problemWords(e)) }
  }
  return (
    <>
      <TeamNav team={team} here="fidelity" onSignOut={onSignOut} />
      <main class="page fidelity-page">
        <ResultsTabs team={team} here="fidelity" />
        <div class="page-head">
          <h1>Fidelity to ACT (DACTS)</h1>
          <label>4 weeks ending <input type="date" value={to} max={today} onChange={(e) => setTo((e.target as HTMLInputElement).value || today)} data-testid="fidelity-to" /></label>
          <button type="button" onClick={exportCsv} data-testid="fidelity-csv">Export CSV</button>
        </div>
        {error && <p class="error" role="alert">{error}</p>}
        <div role="status">{said && <p class="ok">{said}</p>}</div>
        {!f ? <p>Loading…</p> : (
          <>
            <p class="fid-summary" data-testid="fidelity-mean">
              Mean of the scored items <strong>{figure(f.mean_of_scored, 2)}</strong> ({f.scored} of 28 scored) · {shortDay(f.period.from)} – {shortDay(f.period.to)}.
              An established team scores 4 or more.
            </p>
            {f.slipping.length > 0 && <p class="fid-slip">Slipping: {slippingWords(f).join(' · ')}</p>}
            {SECTIONS.map(([letter, title]) => (
              <section key={letter} class="fid-section">
                <h2>{title}</h2>
                <div class="fid-items">{f.items.filter((i) => i.id.startsWith(letter)).map((i) => (
                  <FidelityCard key={i.id} item={i} f={f} team={team} onRated={(m) => { setSaid(m); void load() }} />
                ))}</div>
              </section>
            ))}
          </>
        )}
      </main>
    </>
  )
}

function FidelityCard({ item, f, team, onRated }: { item: Item; f: Fidelity; team: MyTeam; onRated: (m: string) => void }) {
  const trend = f.trend.map((m) => m.items.find((x) => x.id === item.id)?.score ?? null)
  const days = f.trend.map((m) => m.to)
  return (
    <article class={`fid-item${item.score != null && item.score < 4 ? ' low' : ''}`} data-testid="fidelity-item" data-item={item.id}>
      <header>
        <span class="fid-id">{item.id}</span> <strong>{item.name}</strong>
        <span class={`fid-score s${item.score ?? 0}`} aria-label={`score ${item.score ?? 'none'} of 5`}>{item.score ?? '—'}<small>/5</small></span>
      </header>
      {item.needs_rating ? (
        <>
          <p class="muted">{item.rating ? `Reviewer's rating for the period to ${shortDay(item.rating.period_to)}${item.rating.note ? `: ${item.rating.note}` : ''}` : 'Needs a reviewer’s rating.'}</p>
          {team.role === 'lead' && <RatingForm team={team} item={item} periodTo={f.period.to} onRated={onRated} />}
        </>
      ) : (
        <>
          <p class="fid-value"><strong>{figure(item.value, 2)}</strong> {item.unit}</p>
          <ol class="bands" aria-label="Bands">{item.bands.map((b, k) => (
            <li key={b} class={item.score === k + 1 ? 'on' : ''}><span>{k + 1}</span>{b}</li>
          ))}</ol>
          <ScoreTrend days={days} scores={trend} label={`${item.id} score by month`} />
          <Evidence item={item} team={team} />
        </>
      )}
    </article>
  )
}

function Evidence({ item, team }: { item: Item; team: MyTeam }) {
  const e = item.evidence
  const open = (id: string) => (ev: Event) => { ev.preventDefault(); navigate(`/teams/${team.team_id}/clients/${id}`) }
  return (
    <details class="evidence">
      <summary>{e.summary}{e.median != null ? ` · median ${figure(e.median, 2)}` : ''} ({e.rows.length} rows)</summary>
      <ul>{e.rows.slice(0, 200).map((r, k) => (
        <li key={k}>
          {r.day ? `${shortDay(r.day)}: ` : ''}
          {r.client_id ? <a href={`/teams/${team.team_id}/clients/${r.client_id}`} onClick={open(r.client_id)}>{r.client_name ?? 'client'}</a> : null}
          {r.client_id ? ' — ' : ''}{r.label}
          {r.contact_ids.length > 0 ? <span class="muted"> ({r.contact_ids.length} contact{r.contact_ids.length === 1 ? '' : 's'})</span> : null}
          {r.client_ids.length > 0 && !r.client_id ? <span class="muted"> ({r.client_ids.length} client{r.client_ids.length === 1 ? '' : 's'})</span> : null}
        </li>
      ))}</ul>
    </details>
  )
}

function RatingForm({ team, item, periodTo, onRated }: { team: MyTeam; item: Item; periodTo: string; onRated: (m: string) => void }) {
  const [score, setScore] = useState(String(item.rating?.score ?? ''))
  const [note, setNote] = useState(item.rating?.note ?? '')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const save = async (ev: Event) => {
    ev.preventDefault()
    setBusy(true)
    setError(null)
    try {
      await api('PUT', `/api/teams/${team.team_id}/fidelity/ratings`, { item: item.id, period_to: periodTo, score: Number(score), note: note || undefined } satisfies Schemas['RatingBody'])
      onRated(`${item.id} rated ${score} for the period to ${shortDay(periodTo)}.`)
    } catch (e) { setError(problemWords(e)) } finally { setBusy(false) }
  }
  return (
    <form class="rating-form" onSubmit={save} data-testid="rating-form">
      <label>Score
        <select value={score} required onChange={(e) => setScore((e.target as HTMLSelectElement).value)} data-testid="rating-score">
          <option value="">—</option>
          {[1, 2, 3, 4, 5].map((s) => <option key={s} value={String(s)}>{s}</option>)}
        </select>
      </label>
      <label>Why <input value={note} maxLength={2000} onInput={(e) => setNote((e.target as HTMLInputElement).value)} data-testid="rating-note" /></label>
      <button type="submit" disabled={busy || !score} data-testid="rating-save">Save rating</button>
      {error && <p class="error" role="alert">{error}</p>}
    </form>
  )
}
