// The live connections of the signed-in screens, kept above them: one per team in scope,
// opened by the app for the route's team and left open while the screen underneath is
// swapped for the lock screen (which unmounts the screen: nothing clinical stays in the
// page) and back. Screens read their team's view with useTeamLive and hear of new flags
// with useNewFlag; the lock screen reads every team's with useLiveViews.
//
// Escalations are decided here, not in a screen, so they alert whichever screen is up (the
// lock screen included): a `flag.escalated` naming the signed-in person buzzes and notifies
// once per flag (lib/alerts.ts `escalationAlertsMe`), and useEscalations lists those flags
// for the screens' banners.
import { createContext, type ComponentChildren } from 'preact'
import { useCallback, useContext, useEffect, useMemo, useRef, useState } from 'preact/hooks'
import { freshToken } from './api'
import { useLive, type LiveView } from './useLive'
import { alertEscalation, escalationAlertsMe, type Escalation } from './alerts'
import type { BoardModel } from '../live/model'
import type { Device, EventFrame, FlagOut } from '../live/types'

type Listener = (f: FlagOut) => void
type EventListener = (e: EventFrame) => void

interface TeamLive {
  view: LiveView
  /** Hear of each flag raised from now on; returns the unsubscribe. */
  onNewFlag: (l: Listener) => () => void
  /** Hear of every event from now on (after the model applied it); returns the unsubscribe. */
  onEvent: (l: EventListener) => () => void
  /** Flags whose escalation alerted the signed-in person on this device, oldest first. */
  escalated: readonly string[]
  /** Take a flag's escalation banner away (the alert is not repeated). */
  dismissEscalation: (flagId: string) => void
}

const Scope = createContext<ReadonlyMap<string, TeamLive>>(new Map())

/** Open (and keep open) a live connection for each of `teamIds`, for everything inside. */
/**
 * Open (and keep open) a live connection for each of `teamIds`, for everything inside.
 * `me`: the signed-in person's staff id (whom escalations alert).
 */
export function LiveScope({ teamIds, device, me, children }: { teamIds: readonly string[]; device: Device; me: string; children: ComponentChildren }) {
  if (teamIds.length === 0) return <>{children}</>
  const [first, ...rest] = teamIds
  return (
    <TeamConnection key={first} teamId={first} device={device} me={me}>
      <LiveScope teamIds={rest} device={device} me={me}>{children}</LiveScope>
    </TeamConnection>
  )
}

function TeamConnection({ teamId, device, me, children }: { teamId: string; device: Device; me: string; children: ComponentChildren }) {
  const listeners = useRef(new Set<Listener>())
  const eventListeners = useRef(new Set<EventListener>())
  const alerted = useRef(new Set<string>())
  const [escalated, setEscalated] = useState<readonly string[]>([])
  const meRef = useRef(me)
  meRef.current = me
  const onEscalated = (e: Escalation, model: BoardModel | null) => {
    if (!escalationAlertsMe(e, meRef.current, model?.board.open_flags ?? [], alerted.current)) return
    alerted.current.add(e.flag.id)
    alertEscalation(model?.board.team.name ?? 'actboard', e.flag.id)
    setEscalated((list) => [...list.filter((id) => id !== e.flag.id), e.flag.id])
  }
  const view = useLive(teamId, device, freshToken, (f) => listeners.current.forEach((l) => l(f)), onEscalated, (e) => eventListeners.current.forEach((l) => l(e)))
  const outer = useContext(Scope)
  const onNewFlag = useMemo(() => (l: Listener) => {
    listeners.current.add(l)
    return () => void listeners.current.delete(l)
  }, [])
  const onEvent = useMemo(() => (l: EventListener) => {
    eventListeners.current.add(l)
    return () => void eventListeners.current.delete(l)
  }, [])
  const dismissEscalation = useCallback((id: string) => setEscalated((list) => list.filter((x) => x !== id)), [])
  const all = useMemo(
    () => new Map(outer).set(teamId, { view, onNewFlag, onEvent, escalated, dismissEscalation }),
    [outer, view, teamId, onNewFlag, onEvent, escalated, dismissEscalation],
  )
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

/** Call `cb` for every event of the team (in scope) whose kind passes `kinds`, while mounted. */
export function useTeamEvents(teamId: string, kinds: (kind: string) => boolean, cb: EventListener): void {
  const t = teamLive(useContext(Scope), teamId)
  const ref = useRef({ kinds, cb })
  ref.current = { kinds, cb }
  useEffect(() => t.onEvent((e) => { if (ref.current.kinds(e.kind)) ref.current.cb(e) }), [t.onEvent])
}

/** The live view of a team if the app keeps it in scope (null on a screen without one). */
export function useTeamLiveMaybe(teamId: string): LiveView | null {
  return useContext(Scope).get(teamId)?.view ?? null
}

/**
 * The flags of a team (in scope) whose escalation alerted the signed-in person here and that
 * are still open and unanswered, oldest alert first, and how to dismiss one.
 */
export function useEscalations(teamId: string): { flags: FlagOut[]; dismiss: (flagId: string) => void } {
  const t = teamLive(useContext(Scope), teamId)
  const open = t.view.model?.board.open_flags ?? []
  const flags = t.escalated
    .map((id) => open.find((f) => f.id === id))
    .filter((f): f is FlagOut => !!f && (f.responders?.length ?? 0) === 0)
  return { flags, dismiss: t.dismissEscalation }
}

/** Every team in scope: the flags whose escalation alerted me here, still open and unanswered. */
export function useAllEscalations(): { teamId: string; flag: FlagOut }[] {
  const scope = useContext(Scope)
  const out: { teamId: string; flag: FlagOut }[] = []
  for (const [teamId, t] of scope) {
    const open = t.view.model?.board.open_flags ?? []
    for (const id of t.escalated) {
      const f = open.find((x) => x.id === id)
      if (f && (f.responders?.length ?? 0) === 0) out.push({ teamId, flag: f })
    }
  }
  return out
}
