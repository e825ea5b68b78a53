import type { MyTeam, User } from './api'

/** The signed-in person and their teams (GET /api/me), handed by the app to every screen. */
export interface Session {
  user: User
  teams: MyTeam[]
}
