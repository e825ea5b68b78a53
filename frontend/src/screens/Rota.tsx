// The on-call rota (/teams/:team/rota): the weekly pattern (leads edit, everyone reads),
// applying it to the coming weeks, and two weeks of coverage with the uncovered hours in
// red. Re-read live on `shift.*` and `oncall.pattern_updated`.
import { useEffect, useRef, useState } from 'preact/hooks'
import type { Session } from '../lib/session'
import { api, type MyTeam, type Schemas } from '../lib/api'
import { useTeamEvents, useTeamLive } from '../lib/liveScope'
import { problemWords } from '../lib/problem'
import { daysFrom } from '../lib/rota'
import { teamDay } from '../lib/time'
import { ConnectionBadge, TeamNav, shortName } from '../components/common'
import { RotaPattern } from '../components/RotaPattern'
import { RotaCoverage } from '../components/RotaCoverage'

const DAYS = 14

export function RotaScreen({ team, session, onSignOut }: { team: MyTeam; session: Session; onSignOut: () => void }) {
  const live = useTeamLive(team.team_id)
  const board = live.model?.board
  const tz = board?.team.timezone ?? team.timezone
  const today = teamDay(tz)
  const days = daysFrom(today, DAYS)
  const canEdit = team.role === 'lead' || session.user.is_admin
  const staff = (board?.staff ?? []).map((s) => ({ id: s.id, display_name: s.display_name }))

  const [coverage, setCoverage] = useState<Schemas['CoverageOut'] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [patternKey, setPatternKey] = useState(0)
  const asked = useRef(0)
  const reload = async () => {
    const n = ++asked.current
    try {
      const c = await api<Schemas['CoverageOut']>('GET', `/api/teams/${team.team_id}/oncall/coverage?from=${days[0]}&to=${days[DAYS - 1]}`)
      if (n === asked.current) { setCoverage(c); setError(null) } // only the latest answer
    } catch (e) {
      if (n === asked.current) setError(problemWords(e))
    }
  }
  useEffect(() => { void reload() }, [team.team_id, today])
  // Applying a pattern sends a shift.created per shift: one re-read after the burst.
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  useTeamEvents(team.team_id, (k) => k.startsWith('shift.') || k === 'oncall.pattern_updated', (e) => {
    if (e.kind === 'oncall.pattern_updated') setPatternKey((k) => k + 1)
    if (timer.current) clearTimeout(timer.current)
    timer.current = setTimeout(() => void reload(), 250)
  })
  useEffect(() => () => { if (timer.current) clearTimeout(timer.current) }, [])

  const owner = (id: string) => {
    const s = coverage?.shifts.find((x) => x.id === id)
    return s ? shortName(s.staff_name) : null
  }
  return (
    <>
      <TeamNav team={team} here="rota" onSignOut={onSignOut}><ConnectionBadge state={live.state} since={live.lastCurrentAt} tz={tz} /></TeamNav>
      <main class="page rota">
        <h1>On-call rota</h1>
        {!canEdit && <p class="hint">Only team leads change the rota; you can read it here.</p>}
        <div class="rota-grid">
          <RotaCoverage teamId={team.team_id} days={days} coverage={coverage} error={error} canEdit={canEdit} staff={staff} onChanged={() => void reload()} />
          <RotaPattern teamId={team.team_id} tz={tz} canEdit={canEdit} staff={staff} today={today} reloadKey={patternKey} shiftOwner={owner} onApplied={() => void reload()} />
        </div>
      </main>
    </>
  )
}
