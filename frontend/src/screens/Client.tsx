// One client: details, risk, open and past flags (on every team the client was on), recent
// contacts and those other teams recorded, handoffs that mention them; lifecycle changes for
// leads (a discharge asks for its reason, and for an outcome when flags are still open).
// Opening this page is written to the access log.
import { useEffect, useState } from 'preact/hooks'
import type { Session } from '../lib/session'
import { api, ApiError, type MyTeam, type Schemas } from '../lib/api'
import { asCaseloadFull, caseloadFullWords } from '../lib/caseload'
import { addDays, formatTeamWhen, teamDay } from '../lib/time'
import { CATEGORY_WORD, RISK_WORD, SEVERITY_WORD, TeamNav, respondersWords } from '../components/common'
import type { ClientOut, ContactOut, FlagOut, HandoffOut, MemberOut } from '../live/types'
import { RaiseFlagButton } from '../components/RaiseFlag'

const DISCHARGE_REASONS: [Schemas['DischargeReason'], string][] = [
  ['goals_met', 'Goals met'],
  ['moved', 'Moved away'],
  ['transferred_out', 'Transferred to another service'],
  ['declined_services', 'Declined services'],
  ['incarcerated', 'Incarcerated'],
  ['long_term_hospital', 'Long-term hospital stay'],
  ['died', 'Died'],
  ['lost_to_contact', 'Lost to contact'],
  ['other', 'Other'],
]

const NEXT: Record<string, Schemas['Status'][]> = {
  referred: ['screening', 'discharged'],
  screening: ['active', 'discharged'],
  active: ['transitioning', 'discharged'],
  transitioning: ['active', 'discharged'],
  discharged: ['referred', 'active'],
}

export function ClientScreen({ team, clientId, onSignOut }: { team: MyTeam; clientId: string; session: Session; onSignOut: () => void }) {
  const [client, setClient] = useState<ClientOut | null>(null)
  const [flags, setFlags] = useState<FlagOut[]>([])
  const [contacts, setContacts] = useState<ContactOut[]>([])
  const [handoffs, setHandoffs] = useState<HandoffOut[]>([])
  const [members, setMembers] = useState<MemberOut[]>([])
  const [earlier, setEarlier] = useState<ContactOut[]>([])
  const [teamNames, setTeamNames] = useState<Map<string, string>>(new Map())
  const [discharging, setDischarging] = useState(false)
  const [reason, setReason] = useState<Schemas['DischargeReason'] | ''>('')
  const [outcome, setOutcome] = useState('')
  const [error, setError] = useState<string | null>(null)
  const base = `/api/teams/${team.team_id}`
  const tz = team.timezone
  const load = async () => {
    try {
      const today = teamDay(tz)
      const [c, hist, k, h, m] = await Promise.all([
        api<ClientOut>('GET', `${base}/clients/${clientId}`),
        api<Schemas['ClientHistory']>('GET', `${base}/clients/${clientId}/history`),
        api<ContactOut[]>('GET', `${base}/contacts?client_id=${clientId}&from=${addDays(today, -30)}&to=${addDays(today, 7)}`),
        api<HandoffOut[]>('GET', `${base}/handoffs?client_id=${clientId}`),
        api<MemberOut[]>('GET', `${base}/members`),
      ])
      setClient(c); setFlags(hist.flags); setContacts(k.reverse()); setHandoffs(h); setMembers(m)
      setEarlier(hist.contacts.filter((x) => x.team_id !== team.team_id).slice(0, 20))
      setTeamNames(new Map(hist.teams.map((t) => [t.id, t.name])))
    } catch (e) { setError((e as Error).message) }
  }
  useEffect(() => { void load() }, [clientId])
  const name = (id: string | null | undefined) => members.find((m) => m.staff_id === id)?.display_name ?? '—'

  const patch = async (body: Omit<Schemas['ClientPatch'], 'version'>) => {
    if (!client) return
    setError(null)
    try { setClient(await api<ClientOut>('PATCH', `${base}/clients/${clientId}`, { version: client.version, ...body } satisfies Schemas['ClientPatch'])) } catch (e) {
      const err = e as ApiError
      const full = err.code === 'caseload_full' ? asCaseloadFull(err.body) : null
      if (err.code === 'version_conflict') { setError('Someone else changed this record meanwhile; it has been reloaded. Try again.'); await load() }
      else if (full) setError(caseloadFullWords(full, name(full.staff_id ?? client.case_manager_id)).replace(/^Not assigned/, 'Not changed'))
      else setError(err.message)
    }
  }

  const openFlags = flags.filter((f) => !f.resolved_at && f.team_id === team.team_id)
  const discharge = async (e: Event) => {
    e.preventDefault()
    if (!reason) return
    await patch({
      status: 'discharged',
      discharge_reason: reason,
      ...(openFlags.length ? { resolve_open_flags: { outcome } } : {}),
    })
    setDischarging(false)
    await load()
  }

  return (
    <>
      <TeamNav team={team} here="client" onSignOut={onSignOut} />
      <main class="page">
        {error && <p class="error" role="alert">{error}</p>}
        {!client ? <p>Loading…</p> : (
          <>
            <h1 style={{ marginBottom: '0.2rem' }}>{client.preferred_name ?? client.given_name} {client.family_name}</h1>
            <p style={{ fontSize: '18px' }}>
              <span class={`risk ${client.risk_tier}`}>{RISK_WORD[client.risk_tier]}</span> · status <strong>{client.status}</strong> ·
              {team.mode === 'icm' ? ' case manager ' : ' primary contact '}<strong>{name(client.case_manager_id)}</strong>
              {client.external_id ? ` · record ${client.external_id}` : ''}
              {client.discharge_reason ? ` · discharged ${client.discharged_on ?? ''} (${DISCHARGE_REASONS.find(([r]) => r === client.discharge_reason)?.[1] ?? client.discharge_reason})` : ''}
            </p>
            {team.role !== 'viewer' && (
              <div class="planner-tools">
                <div><label for="risk">Risk tier</label>
                  <select id="risk" value={client.risk_tier} onChange={(e) => patch({ risk_tier: (e.target as HTMLSelectElement).value as Schemas['RiskTier'] })}>
                    {(['low', 'medium', 'high'] satisfies Schemas['RiskTier'][]).map((r) => <option key={r}>{r}</option>)}
                  </select></div>
                {team.role === 'lead' && NEXT[client.status].map((s) => (
                  s === 'discharged'
                    ? <button key={s} onClick={() => setDischarging(true)}>Discharge…</button>
                    : <button key={s} onClick={() => patch({ status: s })}>Move to {s}</button>
                ))}
              </div>
            )}
            {discharging && (
              <form class="card" onSubmit={discharge} aria-label="Discharge">
                <label for="discharge-reason">Reason for discharge</label>
                <select id="discharge-reason" required value={reason} onChange={(e) => setReason((e.target as HTMLSelectElement).value as Schemas['DischargeReason'])}>
                  <option value="">Choose…</option>
                  {DISCHARGE_REASONS.map(([r, words]) => <option key={r} value={r}>{words}</option>)}
                </select>
                {openFlags.length > 0 && (
                  <>
                    <label for="discharge-outcome">{openFlags.length} open crisis flag(s) will be resolved with this outcome</label>
                    <textarea id="discharge-outcome" rows={2} required value={outcome} onInput={(e) => setOutcome((e.target as HTMLTextAreaElement).value)} />
                  </>
                )}
                <div class="actions">
                  <button type="button" onClick={() => setDischarging(false)}>Cancel</button>
                  <button class="primary" type="submit">Discharge</button>
                </div>
              </form>
            )}
            <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(320px, 1fr))', gap: '1rem' }}>
              <section class="card"><h2>Crisis flags</h2>
                {/* Raise a flag (components/RaiseFlag.tsx); the list reloads with it. */}
                {team.role !== 'viewer' && client.status !== 'discharged' && (
                  <RaiseFlagButton teamId={team.team_id} client={{ id: client.id, display_name: `${client.preferred_name ?? client.given_name} ${client.family_name}` }} onRaised={() => void load()} />
                )}
                {flags.length === 0 ? <p>None.</p> : <ul>{flags.map((f) => (
                  <li key={f.id}><strong>{SEVERITY_WORD[f.severity]}</strong> {CATEGORY_WORD[f.category] ?? f.category} · {formatTeamWhen(f.raised_at, tz)}: {f.reason}
                    {f.team_id !== team.team_id ? ` (${teamNames.get(f.team_id) ?? 'another team'})` : ''}
                    {f.resolved_at ? <> — resolved by {name(f.resolved_by)}: {f.outcome}</> : <strong> — open{f.responders.length ? `, ${respondersWords(f)} responding` : ''}</strong>}</li>))}</ul>}
              </section>
              <section class="card"><h2>Handoffs</h2>
                {handoffs.length === 0 ? <p>None.</p> : <ul>{handoffs.map((h) => {
                  const it = h.items.find((i) => i.client_id === clientId)
                  return <li key={h.id}>{formatTeamWhen(h.created_at, tz)} {name(h.from_staff_id)} → {name(h.to_staff_id)}: <strong>{it?.severity}</strong> {it?.summary}</li>
                })}</ul>}
              </section>
            </div>
            <section class="card" style={{ marginTop: '1rem' }}><h2>Contacts (last 30 days and next week)</h2>
              <table class="list" tabIndex={0} aria-label="Contacts"><thead><tr><th>Day</th><th>Time</th><th>Status</th><th>What</th><th>Who</th><th>Note</th></tr></thead>
                <tbody>{contacts.map((c) => (
                  <tr key={c.id}><td>{c.day}</td><td>{c.start ?? ''}</td><td>{c.status}</td><td>{c.activity} ({c.kind.replace(/_/g, ' ')}, {c.place})</td>
                    <td>{c.staff_ids.map(name).join(', ')}</td><td>{c.note ?? ''}</td></tr>))}</tbody></table>
            </section>
            {earlier.length > 0 && (
              <section class="card" style={{ marginTop: '1rem' }}><h2>Recorded by other teams (latest {earlier.length})</h2>
                <table class="list" tabIndex={0} aria-label="Contacts recorded by other teams"><thead><tr><th>Day</th><th>Team</th><th>Status</th><th>What</th><th>Note</th></tr></thead>
                  <tbody>{earlier.map((c) => (
                    <tr key={c.id}><td>{c.day}</td><td>{teamNames.get(c.team_id) ?? ''}</td><td>{c.status}</td><td>{c.activity} ({c.kind.replace(/_/g, ' ')}, {c.place})</td>
                      <td>{c.note ?? ''}</td></tr>))}</tbody></table>
              </section>
            )}
          </>
        )}
      </main>
    </>
  )
}
