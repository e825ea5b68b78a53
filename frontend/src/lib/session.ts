import type { Schemas } from './api'

/** The signed-in person and their teams (GET /api/me), handed by the app to every screen. */
export type Session = Schemas['MeOut']
