// CSV import screens: a team's clients (`/teams/:team/import`, leads and admins) and staff
// accounts with their memberships (`/admin/import`, administrators).
import { ImportPanel } from '../components/ImportPanel'
import { TeamNav } from '../components/common'
import type { MyTeam } from '../lib/api'
import { navigate } from '../lib/router'
import type { Session } from '../lib/session'
import '../import.css'

const CLIENT_COLUMNS = ['external_id', 'given_name', 'family_name', 'preferred_name', 'status', 'case_manager_username', 'risk_tier'] as const
const STAFF_COLUMNS = ['username', 'display_name', 'discipline', 'team', 'role'] as const

export function TeamImportScreen({ team, session, onSignOut }: { team: MyTeam; session: Session; onSignOut: () => void }) {
  const allowed = team.role === 'lead' || session.user.is_admin
  const board = `/teams/${team.team_id}/board`
  return (
    <>
      <TeamNav team={team} here="settings" onSignOut={onSignOut} />
      <main class="page import-page">
        <h1>Import clients — {team.name}</h1>
        {!allowed ? (
          <p class="notice">Only the team's leads and administrators can import clients.</p>
        ) : (
          <>
            <p class="help">
              Rows are matched to the team's clients by <strong>external_id</strong>: a new id adds a client, a known one
              updates its names, status, case manager and risk tier. <strong>status</strong> is referred, screening or
              active (blank: referred); <strong>risk_tier</strong> low, medium or high (blank: medium);{' '}
              <strong>case_manager_username</strong> a member of this team{team.mode === 'icm' ? ', within the caseload cap' : ''}.
            </p>
            <ImportPanel
              path={`/api/teams/${team.team_id}/import/clients`}
              columns={CLIENT_COLUMNS}
              example="RV-1001,Ana,Lopez,,active,sam.ortiz,medium"
              what="clients"
              after={<p><a href={board} onClick={(e) => { e.preventDefault(); navigate(board) }}>Open the board</a></p>}
            />
          </>
        )}
      </main>
    </>
  )
}

export function AdminImportScreen({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  return (
    <>
      <nav class="topbar" aria-label="Administration">
        <strong>Administration</strong>
        <a href="/" onClick={(e) => { e.preventDefault(); navigate('/') }}>Teams</a>
        <span class="spacer" />
        <button class="link" onClick={onSignOut}>Sign out</button>
      </nav>
      <main class="page import-page">
        <h1>Import staff</h1>
        {!session.user.is_admin ? (
          <p class="notice">Only administrators can import staff accounts.</p>
        ) : (
          <>
            <p class="help">
              One line per person and team: <strong>team</strong> is the team's name and <strong>role</strong> lead, member
              or viewer (leave both blank for an account without a team). Accounts are matched by <strong>username</strong>.
              New accounts have no password: they cannot sign in until an administrator sets one.
            </p>
            <ImportPanel path="/api/import/staff" columns={STAFF_COLUMNS} example="sam.ortiz,Sam Ortiz,case_manager,Riverside ACT,member" what="staff" />
          </>
        )}
      </main>
    </>
  )
}
