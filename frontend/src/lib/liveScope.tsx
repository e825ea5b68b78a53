// The live connections of the signed-in screens, kept above them: one per team in scope,
// opened by the app for the route's team and left open while the screen underneath is
// swapped for the lock screen (which unmounts the screen: nothing clinical stays in the
// page) and back. Screens read their team's view with useTeamLive and hear of new flags
// with useNewFlag; the lock screen reads every team's with useLiveViews.
import { createContext, type ComponentChildren } from 'preact'
import { useContext, useEffect, useMemo, useRef } from 'preact/hooks'
import { freshToken } from './api'
import { useLive, type LiveView } from './useLive'
import type { Device, FlagOut } from '../live/types'

type Listener = (f: FlagOut) => void

interface TeamLive {
  view: LiveView
  /** Hear of each flag raised from now on; returns the unsubscribe. */
  onNewFlag: (l: Listener) => () => void
}

const Scope = createContext<ReadonlyMap<string, TeamLive>>(new Map())

/** Open (and keep open) a live connection for each of `teamIds`, for everything inside. */
export function LiveScope({ teamIds, device, children }: { teamIds: readonly string[]; device: Device; children: ComponentChildren }) {
  if (teamIds.length === 0) return <>{children}</>
  const [first, ...rest] = teamIds
  return (
    <TeamConnection key={first} teamId={first} device={device}>
      <LiveScope teamIds={rest} device={device}>{children}</LiveScope>
    </TeamConnection>
  )
}

function TeamConnection({ teamId, device, children }: { teamId: string; device: Device; children: ComponentChildren }) {
  const listeners = useRef(new Set<Listener>())
  const view = useLive(teamId, device, freshToken, (f) => listeners.current.forEach((l) => l(f)))
  const outer = useContext(Scope)
  const onNewFlag = useMemo(() => (l: Listener) => {
    listeners.current.add(l)
    return () => void listeners.current.delete(l)
  }, [])
  const all = useMemo(() => new Map(outer).set(teamId, { view, onNewFlag }), [outer, view, teamId, onNewFlag])
  return <Scope.Provider value={all}>{children}</Scope.Provider>
}

function teamLive(scope: ReadonlyMap<string, TeamLive>, teamId: string): TeamLive {
  const t = scope.get(teamId)
  if (!t) throw new Error(`no live connection for team ${teamId} in scope`)
  return t
}

/** The live view of a team the app keeps in scope. */
export function useTeamLive(teamId: string): LiveView {
  return teamLive(useContext(Scope), teamId).view
}

/** Every team in scope: its live view. */
export function useLiveViews(): ReadonlyMap<string, LiveView> {
  const scope = useContext(Scope)
  return useMemo(() => new Map([...scope].map(([id, t]) => [id, t.view])), [scope])
}

/** Call `cb` for every flag raised on the team while the caller is mounted. */
export function useNewFlag(teamId: string, cb: Listener): void {
  const t = teamLive(useContext(Scope), teamId)
  const ref = useRef(cb)
  ref.current = cb
  useEffect(() => t.onNewFlag((f) => ref.current(f)), [t.onNewFlag])
}
