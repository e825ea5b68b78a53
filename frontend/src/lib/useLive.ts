// The live board of one team: a LiveClient, its model and connection state as Preact state,
// which clients just changed (to highlight, never to reorder under people's eyes), and
// hooks for new flags and escalations. The signed-in screens get theirs from LiveScope (lib/liveScope.tsx),
// which keeps it open above them (through the idle lock); the wall display owns its own.
import { useEffect, useRef, useState } from 'preact/hooks'
import { LiveClient, liveBaseUrl, type LiveState } from '../live/client'
import type { BoardModel } from '../live/model'
import type { Device, EventFrame, FlagOut, Viewer } from '../live/types'
import type { Escalation } from './alerts'

/** No tick or event for this long: the board must look stale (UX.md). */
export const STALE_AFTER_MS = 30_000

export interface LiveView {
  model: BoardModel | null
  state: LiveState
  viewers: Viewer[]
  /** Client ids changed in the last few seconds. */
  changed: Set<string>
  /** When the board was last known current (ms), for "Not live since HH:MM". */
  lastCurrentAt: number | null
  stale: boolean
}

export function useLive(
  teamId: string,
  device: Device,
  getToken: (opts?: { forceRefresh: boolean }) => Promise<string>,
  onNewFlag?: (f: FlagOut) => void,
  onEscalated?: (e: Escalation, model: BoardModel | null) => void,
  onAnyEvent?: (e: EventFrame) => void,
): LiveView {
  const [model, setModel] = useState<BoardModel | null>(null)
  const [state, setState] = useState<LiveState>('connecting')
  const [viewers, setViewers] = useState<Viewer[]>([])
  const [changed, setChanged] = useState<Set<string>>(new Set())
  const [now, setNow] = useState(Date.now())
  const client = useRef<LiveClient | null>(null)
  const flagCb = useRef(onNewFlag)
  flagCb.current = onNewFlag
  const escCb = useRef(onEscalated)
  escCb.current = onEscalated
  const anyCb = useRef(onAnyEvent)
  anyCb.current = onAnyEvent

  useEffect(() => {
    const c = new LiveClient({
      url: liveBaseUrl(location.origin),
      teamId,
      device,
      getToken,
      onBoard: (m) => setModel(m),
      onState: (s) => setState(s),
      onPresence: (v) => setViewers(v),
      onEvent: (e: EventFrame) => {
        const data = e.data as Record<string, unknown>
        const id = (data.client_id ?? (e.kind.startsWith('client.') ? data.id : undefined)) as string | undefined
        if (id) {
          setChanged((s) => new Set(s).add(id))
          setTimeout(() => setChanged((s) => { const n = new Set(s); n.delete(id); return n }), 6000)
        }
        if (e.kind === 'flag.raised') flagCb.current?.(e.data as FlagOut)
        // The model already has the event applied (and anything before it in a replay).
        if (e.kind === 'flag.escalated') escCb.current?.(e.data as Escalation, c.model)
        anyCb.current?.(e)
      },
    })
    client.current = c
    const t = setInterval(() => setNow(Date.now()), 5000)
    return () => {
      clearInterval(t)
      c.close()
    }
    // A new device kind is a new hello (presence says which device watches).
  }, [teamId, device])

  const c = client.current
  const lastCurrentAt = c ? (c.state === 'live' ? Math.max(c.lastTickAt ?? 0, c.lastEventAt ?? 0, c.lastFrameAt ?? 0) : c.notLiveSince) : null
  const stale = state !== 'live' || (lastCurrentAt !== null && now - lastCurrentAt > STALE_AFTER_MS)
  return { model, state, viewers, changed, lastCurrentAt, stale }
}
