// Referrals (`/teams/:team/referrals`, issue 14): the people waiting in `referred` or
// `screening`, high need first — by hospital days a month over two years, with the line of 4
// the seeds name marked — then the longest waiting; where each came from, how long they have
// waited and their screening result. Leads add a referral here (components/NewReferral.tsx);
// screening and the decision are on the client page. Below, the intake per month for a year
// (referred, accepted, declined) with the fidelity note: DACTS O2 scores the most admissions
// in one month over the last six, 6 or fewer scoring 5. Follows the team's events live.
import { useEffect, useState } from 'preact/hooks'
import { api, type MyTeam, type Schemas } from '../lib/api'
import type { Session } from '../lib/session'
import { useTeamEvents, useTeamLive } from '../lib/liveScope'
import { problemWords } from '../lib/problem'
import { ConnectionBadge, Link, STATUS_WORD, TeamNav } from '../components/common'
import { NewReferral } from '../components/NewReferral'
import '../screening.css'
import { HOSPITAL_DAYS_LINE, aboveLine, barScale, daysPerMonth, monthLabel, recommendationShort, waitingWords } from '../lib/screening'

type Referral = Schemas['ReferralOut']
type Intake = Schemas['Intake']

export function ReferralsScreen({ team, onSignOut }: { team: MyTeam; session: Session; onSignOut: () => void }) {
  const base = `/api/teams/${team.team_id}`
  const [list, setList] = useState<Referral[] | null>(null)
  const [intake, setIntake] = useState<Intake | null>(null)
  const [error, setError] = useState<string | null>(null)
  const live = useTeamLive(team.team_id)
  const board = live.model?.board ?? null
  const load = async () => {
    try {
      const [l, i] = await Promise.all([
        api<Referral[]>('GET', `${base}/referrals`),
        api<Intake>('GET', `${base}/intake?months=12`),
      ])
      setList(l); setIntake(i); setError(null)
    } catch (e) { setError(problemWords(e)) }
  }
  useEffect(() => { setList(null); void load() }, [team.team_id])
  useTeamEvents(team.team_id, (k) => k === 'client.created' || k === 'client.updated' || k.startsWith('screening.') || k === 'clients.imported', () => { void load() })

  const above = list?.filter((r) => r.screening && aboveLine(r.screening.answers.hospital_days_24m)).length ?? 0
  const referred = list?.filter((r) => r.client.status === 'referred').length ?? 0
  return (
    <>
      <TeamNav team={team} here="referrals" onSignOut={onSignOut}><ConnectionBadge state={live.state} since={live.lastCurrentAt} tz={team.timezone} /></TeamNav>
      <main class="page referrals-page">
        <h1>Referrals</h1>
        {error && <p class="error" role="alert">{error}</p>}
        {list && (
          <p class="summary" data-testid="referrals-summary">
            <strong>{list.length}</strong> waiting: {referred} referred, {list.length - referred} in screening
            {above > 0 && <> · <span class="above-line">▲ {above} at or above {HOSPITAL_DAYS_LINE} hospital days a month</span></>}
          </p>
        )}
        {team.role === 'lead' && board && <NewReferral board={board} onMade={() => void load()} />}
        <section class="card" aria-labelledby="waiting-title">
          <h2 id="waiting-title">Waiting, high need first</h2>
          {list === null ? <p>Loading…</p> : list.length === 0 ? <p>Nobody is waiting.</p> : (
            <ol class="referral-list">
              {list.map((r) => <ReferralRow key={r.client.id} r={r} teamId={team.team_id} />)}
            </ol>
          )}
        </section>
        {intake && <IntakeChart intake={intake} />}
      </main>
    </>
  )
}

function ReferralRow({ r, teamId }: { r: Referral; teamId: string }) {
  const c = r.client
  const s = r.screening
  const hd = s?.answers.hospital_days_24m ?? null
  const high = hd !== null && aboveLine(hd)
  return (
    <li class={`referral${high ? ' high' : ''}`} data-testid="referral">
      <div class="who">
        <Link href={`/teams/${teamId}/clients/${c.id}`}>{c.preferred_name ?? c.given_name} {c.family_name}</Link>
        <span class={`status status-${c.status}`}>{STATUS_WORD[c.status] ?? c.status}</span>
      </div>
      <div class="facts">
        <span><span class="k">From</span> {c.referral?.source ?? '—'}</span>
        <span><span class="k">Waiting</span> <strong>{waitingWords(r.days_waiting)}</strong></span>
        <span><span class="k">Screening</span> {s
          ? <strong class={`rec rec-${s.recommendation}`}>{recommendationShort(s.recommendation)}{s.high_need ? ' · high need' : ''}</strong>
          : 'not yet'}</span>
        <span class={high ? 'hd above' : 'hd'}><span class="k">Hospital days / month</span> {hd === null ? '—' : <strong>{high ? '▲ ' : ''}{daysPerMonth(hd)}</strong>}</span>
      </div>
      {c.referral?.reason && <p class="reason">{c.referral.reason}</p>}
    </li>
  )
}

function IntakeChart({ intake }: { intake: Intake }) {
  const top = barScale(intake.months)
  const h = (n: number) => `${Math.round((n / top) * 100)}%`
  const sixLine = `calc(1.8rem + ${(6 / top).toFixed(3)} * (100% - 3.4rem))`
  return (
    <section class="card intake" aria-labelledby="intake-title">
      <h2 id="intake-title">Intake, last 12 months</h2>
      <p class={`o2 score-${intake.o2_score}`} data-testid="intake-note"><strong>O2 intake rate: {intake.o2_score} of 5.</strong> {intake.note}</p>
      <div class="legend" aria-hidden="true"><span class="sw referred" /> referred <span class="sw accepted" /> accepted <span class="sw declined" /> declined <span class="sw line" /> 6 a month</div>
      <div class="bars" role="table" aria-label="Intake per month">
        <div class="six" style={{ bottom: sixLine }} aria-hidden="true" />
        <div class="base" aria-hidden="true" />
        {intake.months.map((m) => (
          <div class="month" role="row" key={m.month} aria-label={`${m.month}: ${m.referred} referred, ${m.accepted} accepted, ${m.declined} declined`}>
            <div class="cols">
              <div class="bar referred" style={{ height: h(m.referred) }} title={`${m.referred} referred`}>{m.referred > 0 && <span>{m.referred}</span>}</div>
              <div class="bar accepted" style={{ height: h(m.accepted) }} title={`${m.accepted} accepted`}>{m.accepted > 0 && <span>{m.accepted}</span>}</div>
              <div class="bar declined" style={{ height: h(m.declined) }} title={`${m.declined} declined`}>{m.declined > 0 && <span>{m.declined}</span>}</div>
            </div>
            <div class="mlabel" role="cell">{monthLabel(m.month).split(' ')[0]}{m.month.endsWith('-01') && <span class="y"> {m.month.slice(0, 4)}</span>}</div>
          </div>
        ))}
      </div>
    </section>
  )
}
