// Writing a handoff at a desk (/teams/:team/handoff/new): the same form as on the phone, on
// the team's live board (the receiver preselected from who is on call).
import { useState } from 'preact/hooks'
import type { Session } from '../lib/session'
import type { MyTeam } from '../lib/api'
import { useTeamLive } from '../lib/liveScope'
import { navigate } from '../lib/router'
import { ConnectionBadge, TeamNav } from '../components/common'
import { HandoffForm } from '../components/HandoffForm'

export function HandoffNewScreen({ team, session, onSignOut }: { team: MyTeam; session: Session; onSignOut: () => void }) {
  const live = useTeamLive(team.team_id)
  const board = live.model?.board ?? null
  const [sent, setSent] = useState<string | null>(null)
  const [round, setRound] = useState(0)
  return (
    <>
      <TeamNav team={team} here="handoff" onSignOut={onSignOut}><ConnectionBadge state={live.state} since={live.lastCurrentAt} tz={team.timezone} /></TeamNav>
      <main class="page handoff-page">
        <h1 style={{ marginTop: 0 }}>Write a handoff</h1>
        <p class="muted">I-PASS: illness severity, patient summary, action list, situation awareness and contingency; the receiver reads it back (synthesis) on acknowledging.</p>
        <div role="status">{sent && <p class="ok">{sent}</p>}</div>
        {team.role === 'viewer' ? <p class="notice">Viewers cannot write handoffs.</p> : !board ? <p>Loading…</p> : (
          <HandoffForm key={round} board={board} team={team} me={session.user.id}
            onCancel={() => navigate(`/teams/${team.team_id}/board`)}
            onSent={(_, to) => { setSent(`Handoff sent to ${to}. They see it now and acknowledge it with their read-back.`); setRound((r) => r + 1) }} />
        )}
      </main>
    </>
  )
}
