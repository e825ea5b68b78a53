// The team's outcomes: hospital days, admissions, emergency visits, jail and homeless days in
// the 12 and 24 months before and after each client's enrolment, with the number of clients
// behind every figure (a small number is said so), as bars and as a table; CSV export.
import { useEffect, useState } from 'preact/hooks'
import { api, type MyTeam, type Schemas } from '../lib/api'
import { ResultsTabs, TeamNav } from '../components/common'
import { BeforeAfterBars } from '../components/Chart'
import { changeWords, clientsWords, figure } from '../lib/episodes'
import { downloadCsv } from '../lib/download'
import { problemWords } from '../lib/problem'
import { shortDay } from '../lib/days'

type Team = Schemas['TeamOutcomes']
type Side = Schemas['TeamSide']

const perClient = (total: number, s: Side) => (s.clients ? Math.round((100 * total) / s.clients) / 100 : null)

export function OutcomesScreen({ team, onSignOut }: { team: MyTeam; onSignOut: () => void }) {
  const [o, setO] = useState<Team | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [said, setSaid] = useState<string | null>(null)
  useEffect(() => {
    api<Team>('GET', `/api/teams/${team.team_id}/outcomes`).then(setO, (e) => setError(problemWords(e)))
  }, [team.team_id])
  const exportCsv = async () => {
    setError(null)
    try { setSaid(`Downloaded ${await downloadCsv(`/api/teams/${team.team_id}/outcomes.csv`, 'outcomes.csv')}.`) } catch (e) { setError(problemWords(e)) }
  }
  const labels = (o?.windows ?? []).map((w) => `${w.months} months`)
  const metric = (f: (s: Side) => number | null | undefined, side: 'before' | 'after') => (o?.windows ?? []).map((w) => f(w[side]) ?? null)
  return (
    <>
      <TeamNav team={team} here="outcomes" onSignOut={onSignOut} />
      <main class="page outcomes-page">
        <ResultsTabs team={team} here="outcomes" />
        <div class="page-head">
          <h1>Outcomes before and after enrolment</h1>
          <button type="button" onClick={exportCsv} data-testid="outcomes-csv">Export CSV</button>
        </div>
        {error && <p class="error" role="alert">{error}</p>}
        <div role="status">{said && <p class="ok">{said}</p>}</div>
        {!o ? <p>Loading…</p> : o.enrolled_clients === 0 ? <p>No client has been enrolled yet: outcomes count from the day a client becomes active.</p> : (
          <>
            <p class="lede">
              {o.enrolled_clients} clients enrolled. For each client, the 12 and 24 months before the day they joined the
              caseload against the months since (up to today, {shortDay(o.today)}). A hospital day is a day of a psychiatric or
              medical admission. The number of clients behind each figure is under it: a figure from few clients is read with care.
            </p>
            <div class="chart-grid">
              <figure class="card"><BeforeAfterBars title="Hospital days per client per month" labels={labels}
                before={metric((s) => s.hospital_days_per_month, 'before')} after={metric((s) => s.hospital_days_per_month, 'after')} />
                <figcaption>{o.windows.map((w) => `${w.months} m: ${changeWords(w.before.hospital_days_per_month, w.after.hospital_days_per_month)} (before ${clientsWords(w.before.clients)}, after ${clientsWords(w.after.clients)})`).join(' · ')}</figcaption>
              </figure>
              <figure class="card"><BeforeAfterBars title="Admissions per client" labels={labels}
                before={metric((s) => perClient(s.admissions, s), 'before')} after={metric((s) => perClient(s.admissions, s), 'after')} />
                <figcaption>{o.windows.map((w) => `${w.months} m: ${w.before.admissions} → ${w.after.admissions} admissions`).join(' · ')}</figcaption>
              </figure>
              <figure class="card"><BeforeAfterBars title="Emergency visits per client" labels={labels}
                before={metric((s) => s.ed_visits_mean, 'before')} after={metric((s) => s.ed_visits_mean, 'after')} />
                <figcaption>{o.windows.map((w) => `${w.months} m: ${w.before.ed_visits} → ${w.after.ed_visits} visits`).join(' · ')}</figcaption>
              </figure>
              <figure class="card"><BeforeAfterBars title="Jail days per client" labels={labels}
                before={metric((s) => s.jail_days_mean, 'before')} after={metric((s) => s.jail_days_mean, 'after')} />
                <figcaption>{o.windows.map((w) => `${w.months} m: ${w.before.jail_days} → ${w.after.jail_days} days`).join(' · ')}</figcaption>
              </figure>
              <figure class="card"><BeforeAfterBars title="Homeless days per client" labels={labels}
                before={metric((s) => s.homeless_days_mean, 'before')} after={metric((s) => s.homeless_days_mean, 'after')} />
                <figcaption>{o.windows.map((w) => `${w.months} m: ${w.before.homeless_days} → ${w.after.homeless_days} days`).join(' · ')}</figcaption>
              </figure>
            </div>
            <section class="card">
              <h2>The figures</h2>
              <table class="list" aria-label="Outcomes by window" data-testid="outcomes-table">
                <thead><tr><th>Window</th><th>Clients</th><th>Client-months</th><th>Hospital days</th><th>per client-month</th><th>Admissions</th><th>ED visits</th><th>Jail days</th><th>Homeless days</th></tr></thead>
                <tbody>{o.windows.flatMap((w) => (['before', 'after'] as const).map((side) => {
                  const s = w[side]
                  return (
                    <tr key={`${w.months}${side}`}>
                      <td>{w.months} months {side}</td>
                      <td>{s.clients}{side === 'after' && s.clients_complete < s.clients ? ` (${s.clients_complete} complete)` : ''}</td>
                      <td>{figure(s.months)}</td><td>{s.hospital_days}</td><td><strong>{figure(s.hospital_days_per_month, 2)}</strong></td>
                      <td>{s.admissions}</td><td>{s.ed_visits}</td><td>{s.jail_days}</td><td>{s.homeless_days}</td>
                    </tr>
                  )
                }))}</tbody>
              </table>
            </section>
          </>
        )}
      </main>
    </>
  )
}
