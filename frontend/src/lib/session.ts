import { createContext } from 'preact'
import { useContext } from 'preact/hooks'
import type { Schemas } from './api'

/** The signed-in person and their teams (GET /api/me), handed by the app to every screen. */
export type Session = Schemas['MeOut']

/** The signed-in person for the shared parts (the nav's Admin entry), provided by the app. */
export const SessionContext = createContext<Session | null>(null)

export function useSession(): Session | null {
  return useContext(SessionContext)
}
