// One client: details, risk, open and past flags (on every team the client was on), recent
// contacts and those other teams recorded, handoffs that mention them; lifecycle changes for
// leads (a discharge asks for its reason, and for an outcome when flags are still open).
// Opening this page is written to the access log.
import { useEffect, useState } from 'preact/hooks'
import type { Session } from '../lib/session'
import { api, apiAll, type MyTeam, type Schemas } from '../lib/api'
import { useTeamLive } from '../lib/liveScope'
import { ClientLifecycle, DISCHARGE_REASONS } from '../components/ClientLifecycle'
import { addDays, formatTeamWhen, teamDay } from '../lib/time'
import { CATEGORY_WORD, ConnectionBadge, RISK_WORD, SEVERITY_WORD, STATUS_WORD, TeamNav, respondersWords } from '../components/common'
import type { ClientOut, ContactOut, FlagOut, HandoffOut, MemberOut } from '../live/types'
import { RaiseFlagButton } from '../components/RaiseFlag'
import { Assessments } from '../components/Assessments'
import { SupportPlan } from '../components/SupportPlan'
import { ScreeningPanel } from '../components/Screening'
import { TransitionPanel } from '../components/Transition'
import { ClientOutcomesCard, Episodes } from '../components/Episodes'

export function ClientScreen({ team, clientId, session, onSignOut }: { team: MyTeam; clientId: string; session: Session; onSignOut: () => void }) {
  const [client, setClient] = useState<ClientOut | null>(null)
  const [flags, setFlags] = useState<FlagOut[]>([])
  const [contacts, setContacts] = useState<ContactOut[]>([])
  const [handoffs, setHandoffs] = useState<HandoffOut[]>([])
  const [members, setMembers] = useState<MemberOut[]>([])
  const [earlier, setEarlier] = useState<ContactOut[]>([])
  const [teamNames, setTeamNames] = useState<Map<string, string>>(new Map())
  const [error, setError] = useState<string | null>(null)
  const base = `/api/teams/${team.team_id}`
  const tz = team.timezone
  const load = async () => {
    try {
      const today = teamDay(tz)
      const [c, hist, k, h, m] = await Promise.all([
        api<ClientOut>('GET', `${base}/clients/${clientId}`),
        api<Schemas['ClientHistory']>('GET', `${base}/clients/${clientId}/history`),
        apiAll<ContactOut>(`${base}/contacts?client_id=${clientId}&from=${addDays(today, -30)}&to=${addDays(today, 7)}`),
        apiAll<HandoffOut>(`${base}/handoffs?client_id=${clientId}`),
        api<MemberOut[]>('GET', `${base}/members`),
      ])
      setClient(c); setFlags(hist.flags); setContacts(k.reverse()); setHandoffs(h); setMembers(m)
      setEarlier(hist.contacts.filter((x) => x.team_id !== team.team_id).slice(0, 20))
      setTeamNames(new Map(hist.teams.map((t) => [t.id, t.name])))
    } catch (e) { setError((e as Error).message) }
  }
  useEffect(() => { setError(null); void load() }, [clientId, team.team_id])
  const name = (id: string | null | undefined) => members.find((m) => m.staff_id === id)?.display_name ?? '—'

  const openFlags = flags.filter((f) => !f.resolved_at && f.team_id === team.team_id)
  // Caseloads and working members for the lifecycle tools (the team's live board).
  const live = useTeamLive(team.team_id)
  const board = live.model?.board ?? null

  return (
    <>
      <TeamNav team={team} here="client" onSignOut={onSignOut}><ConnectionBadge state={live.state} since={live.lastCurrentAt} tz={tz} /></TeamNav>
      <main class="page client-page">
        {error && <p class="error" role="alert">{error}</p>}
        {!client ? <p>Loading…</p> : (
          <>
            <h1 style={{ marginBottom: '0.2rem' }}>{client.preferred_name ?? client.given_name} {client.family_name}</h1>
            <p style={{ fontSize: '18px' }}>
              <span class={`risk ${client.risk_tier}`}>{RISK_WORD[client.risk_tier]}</span> · status <strong>{STATUS_WORD[client.status] ?? client.status}</strong> ·
              {team.mode === 'icm' ? ' case manager ' : ' primary contact '}<strong>{name(client.case_manager_id)}</strong>
              {client.external_id ? ` · record ${client.external_id}` : ''}
              {client.discharge_reason ? ` · discharged ${client.discharged_on ?? ''} (${DISCHARGE_REASONS.find(([r]) => r === client.discharge_reason)?.[1] ?? client.discharge_reason})` : ''}
            </p>
            {/* Lifecycle (clientsui): admit, case manager, transfer, discharge: the lead's tools. */}
            {team.role === 'lead' && (
              <ClientLifecycle team={team} teams={session.teams} client={client} openFlags={openFlags} board={board}
                onChanged={async (c) => { if (c) setClient(c); await load() }} onError={setError} />
            )}
            <ScreeningPanel team={team} client={client} board={board} names={name} onChanged={load} />
            <TransitionPanel team={team} teams={session.teams} client={client} board={board} onChanged={load} />
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
              <Assessments team={team} clientId={client.id} canWrite={team.role !== 'viewer' && client.status !== 'discharged'}
                names={name} onSaved={() => void load()} />
              <Episodes team={team} clientId={client.id} canWrite={team.role !== 'viewer'} names={name} />
              <section class="card"><h2>Handoffs</h2>
                {handoffs.length === 0 ? <p>None.</p> : <ul>{handoffs.map((h) => {
                  const it = h.items.find((i) => i.client_id === clientId)
                  return <li key={h.id}>{formatTeamWhen(h.created_at, tz)} {name(h.from_staff_id)} → {name(h.to_staff_id)}: <strong>{it?.severity}</strong> {it?.summary}</li>
                })}</ul>}
              </section>
            </div>
            <ClientOutcomesCard team={team} clientId={client.id} />
            <SupportPlan team={team} clientId={client.id} clientName={`${client.preferred_name ?? client.given_name} ${client.family_name}`}
              canWrite={team.role !== 'viewer' && client.status !== 'discharged'} members={members} />
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
