// LiveClient: one team's live board over the websocket protocol of
// docs/PROTOCOL.md — hello with `since`, snapshot or replay, exactly-once
// application by seq, gap and lost-tail detection, reconnect with backoff and
// jitter, token renewal, liveness watchdog, and a connection state for the UI.
//
// No framework: the app gives callbacks (onBoard, onState, …). Everything the
// environment provides (WebSocket, clock, timers, randomness, online status) can
// be injected, which is how the tests drive it.

import { applyEvent, applySnapshot, staleness, type BoardModel } from './model.ts'
import type {
  ClientFrame,
  Device,
  EventFrame,
  ServerFrame,
  SocketConstructor,
  SocketLike,
  Viewer,
} from './types.ts'
import { CloseCode } from './types.ts'

/**
 * - `connecting`: the first connection, no board yet.
 * - `live`: connected and caught up (the board is current).
 * - `reconnecting`: the connection dropped or is being renewed; the board shown is the last known.
 * - `offline`: the browser says it is offline, or reconnecting keeps failing (retries go on).
 * - `forbidden`: the server refused access for good (4003); no more retries.
 * - `closed`: `close()` was called.
 */
export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'forbidden' | 'closed'

export interface LiveProblem {
  /** What went wrong, for logs and (when `kind` is `server`) for the user. */
  message: string
  kind: 'server' | 'token' | 'resync' | 'protocol' | 'callback'
  /** The close code the server announced, when it did. */
  code?: number
}

export interface TimerApi {
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export interface LiveTuning {
  /** First reconnect delay before jitter (ms). */
  backoffBaseMs: number
  /** Largest reconnect delay before jitter (ms). */
  backoffMaxMs: number
  /** ± this fraction of the delay, at random. */
  jitter: number
  /** A connection live this long resets the backoff (ms). */
  stableAfterMs: number
  /** Nothing at all received for this long: the connection is dead (ms). */
  deadAfterMs: number
  /** Nothing received for this long: send a `ping` (ms). */
  pingAfterMs: number
  /** Renew the access token this long before it expires (ms). */
  renewBeforeMs: number
  /** Retry a renewal that could not get a newer token after this long (ms). */
  renewRetryMs: number
  /** Consecutive failed attempts after which the state is `offline`. */
  offlineAfterFailures: number
  /** getToken() taking longer than this counts as a failure (ms). */
  tokenTimeoutMs: number
  /** The same staleness (day change, on-call shift ended) fetches a snapshot at most this often (ms). */
  staleRetryMs: number
}

export const DEFAULT_TUNING: Readonly<LiveTuning> = {
  backoffBaseMs: 500,
  backoffMaxMs: 30_000,
  jitter: 0.5,
  stableAfterMs: 30_000,
  deadAfterMs: 35_000,
  pingAfterMs: 20_000,
  renewBeforeMs: 60_000,
  renewRetryMs: 10_000,
  offlineAfterFailures: 5,
  tokenTimeoutMs: 30_000,
  staleRetryMs: 5 * 60_000,
}

export interface LiveClientOptions {
  /**
   * The server's base URL for websockets, e.g. "wss://actboard.example.org"
   * (see `liveBaseUrl`). The client connects to `{url}/api/teams/{teamId}/live`.
   */
  url: string
  teamId: string
  /**
   * An access token (JWT) or a display token (`dt_…`). Called before every
   * connection and to renew; `forceRefresh` is set after the server rejected
   * the token (4001, 4009) and when renewing, so a cached token is not returned.
   */
  getToken: (opts?: { forceRefresh: boolean }) => Promise<string>
  device?: Device
  /** The board changed (a snapshot, or an event applied). */
  onBoard: (model: BoardModel) => void
  onState: (state: LiveState) => void
  /** Each event applied, after the model took it. */
  onEvent?: (event: EventFrame) => void
  onPresence?: (viewers: Viewer[]) => void
  onProblem?: (problem: LiveProblem) => void
  /** Default: the global WebSocket. */
  WebSocket?: SocketConstructor
  /** Milliseconds since the epoch. Default: Date.now. */
  now?: () => number
  /** Default: the global setTimeout/clearTimeout. */
  timers?: TimerApi
  /** [0, 1). Default: Math.random. */
  random?: () => number
  /** false when the device is known to be offline. Default: navigator.onLine. */
  isOnline?: () => boolean | undefined
  /** Calls back on online/offline changes; returns an unsubscribe. Default: window events. */
  watchOnline?: (onChange: (online: boolean) => void) => () => void
  tuning?: Partial<LiveTuning>
}

/** ws(s)://host of a page's origin, for `url` (http → ws, https → wss). */
export function liveBaseUrl(origin: string): string {
  return origin.replace(/^http/i, 'ws').replace(/\/+$/, '')
}

/** A numeric claim of a JWT (`exp`, `iat`), in ms since the epoch; null if absent or unreadable. */
function jwtTime(token: string, claim: 'exp' | 'iat'): number | null {
  if (token.startsWith('dt_')) return null
  const parts = token.split('.')
  if (parts.length !== 3) return null
  try {
    const b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/')
    const json = atob(b64.padEnd(b64.length + ((4 - (b64.length % 4)) % 4), '='))
    const v = (JSON.parse(json) as Record<string, unknown>)[claim]
    return typeof v === 'number' && Number.isFinite(v) ? v * 1000 : null
  } catch {
    return null
  }
}

/** The `exp` claim of a JWT, in ms since the epoch (the server's clock); null if there is none or it cannot be read. */
export function tokenExpiry(token: string): number | null {
  return jwtTime(token, 'exp')
}

/** The `iat` claim of a JWT, in ms since the epoch (the server's clock); null if there is none. */
export function tokenIssuedAt(token: string): number | null {
  return jwtTime(token, 'iat')
}

/** The delay before reconnect attempt `attempt` (0-based): base·2^attempt up to max, ± jitter. */
export function backoffDelay(attempt: number, random: number, t: Pick<LiveTuning, 'backoffBaseMs' | 'backoffMaxMs' | 'jitter'>): number {
  const base = Math.min(t.backoffMaxMs, t.backoffBaseMs * 2 ** Math.min(attempt, 30))
  return Math.round(base * (1 - t.jitter + 2 * t.jitter * random))
}

const defaultTimers: TimerApi = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof globalThis.setTimeout>),
}

function defaultSocket(): SocketConstructor | undefined {
  // Also a compile-time check that the browser's WebSocket fits SocketConstructor.
  return typeof WebSocket === 'undefined' ? undefined : WebSocket
}

function defaultIsOnline(): boolean | undefined {
  const nav = (globalThis as { navigator?: { onLine?: unknown } }).navigator
  return typeof nav?.onLine === 'boolean' ? nav.onLine : undefined
}

function defaultWatchOnline(onChange: (online: boolean) => void): () => void {
  const g = globalThis as {
    addEventListener?: (t: string, f: () => void) => void
    removeEventListener?: (t: string, f: () => void) => void
  }
  if (typeof g.addEventListener !== 'function' || typeof g.removeEventListener !== 'function') return () => {}
  const on = () => onChange(true)
  const off = () => onChange(false)
  g.addEventListener('online', on)
  g.addEventListener('offline', off)
  return () => {
    g.removeEventListener?.('online', on)
    g.removeEventListener?.('offline', off)
  }
}

type Timer = 'reconnect' | 'dead' | 'ping' | 'stable' | 'renew'

export class LiveClient {
  private readonly opts: LiveClientOptions
  private readonly tuning: LiveTuning
  private readonly timers: TimerApi
  private readonly now: () => number
  private readonly random: () => number
  private readonly isOnline: () => boolean | undefined
  private readonly handles = new Map<Timer, unknown>()
  private readonly unwatchOnline: () => void

  private _state: LiveState = 'connecting'
  private _model: BoardModel | null = null
  private _last: number | null = null
  private _lastEventAt: number | null = null
  private _lastTickAt: number | null = null
  private _lastFrameAt: number | null = null
  private _notLiveSince: number | null = null

  private ws: SocketLike | null = null
  /** Bumped for every connection attempt; callbacks of older ones are ignored. */
  private generation = 0
  /** Reconnects since a connection last stayed live for stableAfterMs (the backoff exponent). */
  private attempt = 0
  /** Consecutive connections that failed before going live (for `offline`). */
  private failures = 0
  private stopped = false
  private wantSnapshot = false
  private freshToken = false
  private token: string | null = null
  /** The current token's expiry by this device's clock (ms), from auth_ok or the JWT. */
  private tokenExp: number | null = null
  /**
   * This device's clock minus the server's (ms), measured on a token just renewed
   * (`forceRefresh`, so issued a moment ago); null until then. The server's times
   * (`exp`, auth_ok's `expires_at`) are moved onto this clock with it, so a clock that
   * is minutes off (or jumps, as after a sleep) neither renews in a loop nor too late.
   */
  private clockOffset: number | null = null
  private staleTried = new Map<string, number>()

  constructor(opts: LiveClientOptions) {
    this.opts = opts
    this.tuning = { ...DEFAULT_TUNING, ...opts.tuning }
    this.timers = opts.timers ?? defaultTimers
    this.now = opts.now ?? (() => Date.now())
    this.random = opts.random ?? Math.random
    this.isOnline = opts.isOnline ?? defaultIsOnline
    this.unwatchOnline = (opts.watchOnline ?? defaultWatchOnline)((online) => this.onlineChanged(online))
    void this.connect()
  }

  // -------------------------------------------------------------------------
  // What the app reads

  get state(): LiveState {
    return this._state
  }
  /** The board, once a snapshot arrived. */
  get model(): BoardModel | null {
    return this._model
  }
  /** The seq of the snapshot or of the last event applied (the next hello's `since`). */
  get lastSeq(): number | null {
    return this._last
  }
  /** When the last event was applied (ms since the epoch). */
  get lastEventAt(): number | null {
    return this._lastEventAt
  }
  /** When the last tick arrived: the board was known current then. */
  get lastTickAt(): number | null {
    return this._lastTickAt
  }
  /** When anything last arrived from the server. */
  get lastFrameAt(): number | null {
    return this._lastFrameAt
  }
  /**
   * For "Not live since HH:MM": the last moment the board was known current
   * (the last frame received while live), or null while live or before the
   * first time live.
   */
  get notLiveSince(): number | null {
    return this._state === 'live' ? null : this._notLiveSince
  }

  /** Stop: close the socket, cancel every timer, never reconnect. */
  close(): void {
    if (this.stopped) return
    this.stopped = true
    this.generation++
    for (const t of [...this.handles.keys()]) this.clear(t)
    this.dropSocket(CloseCode.NORMAL, 'closed by the app')
    this.unwatchOnline()
    this.setState('closed')
  }

  // -------------------------------------------------------------------------
  // Connecting

  private async connect(): Promise<void> {
    if (this.stopped) return
    const gen = ++this.generation
    this.clear('reconnect')
    let token: string
    try {
      token = await this.fetchToken(this.freshToken)
    } catch (err) {
      if (gen !== this.generation || this.stopped) return
      this.problem('token', `could not get a token: ${String(err)}`)
      this.retry(false)
      return
    }
    if (gen !== this.generation || this.stopped) return
    this.adoptToken(token, this.freshToken)
    this.freshToken = false

    const Ctor = this.opts.WebSocket ?? defaultSocket()
    if (!Ctor) {
      this.problem('protocol', 'no WebSocket in this environment')
      this.retry(false)
      return
    }
    const base = this.opts.url.replace(/\/+$/, '')
    let ws: SocketLike
    try {
      ws = new Ctor(`${base}/api/teams/${encodeURIComponent(this.opts.teamId)}/live`)
    } catch (err) {
      this.problem('protocol', `could not open the socket: ${String(err)}`)
      this.retry(false)
      return
    }
    this.ws = ws
    this.heard() // the watchdog also bounds how long opening may take
    ws.onopen = () => {
      if (gen !== this.generation) return
      const since = this.wantSnapshot ? null : this._last
      this.send({ type: 'hello', token, since, device: this.opts.device ?? 'desktop' })
      // Answered once the server has sent the snapshot or the replay: proof of
      // being caught up even when there was nothing to replay.
      this.send({ type: 'ping' })
    }
    ws.onmessage = (ev) => {
      if (gen !== this.generation) return
      this.onFrame(ev.data)
    }
    ws.onclose = (ev) => {
      if (gen !== this.generation) return
      this.onClose(ev.code, ev.reason)
    }
    ws.onerror = () => {
      // A close event follows.
    }
  }

  private fetchToken(forceRefresh: boolean): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const h = this.timers.setTimeout(() => reject(new Error('getToken timed out')), this.tuning.tokenTimeoutMs)
      this.opts.getToken({ forceRefresh }).then(
        (t) => {
          this.timers.clearTimeout(h)
          if (typeof t === 'string' && t.length > 0) resolve(t)
          else reject(new Error('getToken returned no token'))
        },
        (e: unknown) => {
          this.timers.clearTimeout(h)
          reject(e)
        },
      )
    })
  }

  private send(frame: ClientFrame): void {
    try {
      this.ws?.send(JSON.stringify(frame))
    } catch {
      // The close event reports the failure.
    }
  }

  /** Detach and close the current socket; its late events are ignored. */
  private dropSocket(code: number, reason: string): void {
    const ws = this.ws
    this.ws = null
    for (const t of ['dead', 'ping', 'stable', 'renew'] as const) this.clear(t)
    if (!ws) return
    ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null
    try {
      ws.close(code, reason)
    } catch {
      // already closed
    }
  }

  /**
   * Reconnect: with backoff, or at once when `immediate` and the backoff is
   * reset (a run of immediate reconnects still backs off, so a server that
   * keeps answering badly is not hammered). `failure`: this connection failed,
   * rather than being closed on purpose to resync.
   */
  private retry(immediate: boolean, failure = true): void {
    if (this.stopped) return
    this.dropSocket(CloseCode.NORMAL, 'reconnecting')
    this.generation++
    const delay = immediate && this.attempt === 0 ? 0 : backoffDelay(this.attempt, this.random(), this.tuning)
    this.attempt++
    if (failure) this.failures++
    this.setState(this.offlineNow() ? 'offline' : this._model === null && this._state === 'connecting' ? 'connecting' : 'reconnecting')
    this.set('reconnect', delay, () => void this.connect())
  }

  /** Resume on purpose (gap, lost tail, unknown kind, staleness): close and reconnect at once. */
  private resume(why: string, snapshot: boolean): void {
    if (snapshot) this.wantSnapshot = true
    this.problem('resync', why)
    this.retry(true, false)
  }

  private offlineNow(): boolean {
    return this.isOnline() === false || this.failures >= this.tuning.offlineAfterFailures
  }

  private onlineChanged(online: boolean): void {
    if (this.stopped || this._state === 'forbidden') return
    if (!online) {
      // The socket is as good as dead; keep retrying in the background (onLine can be wrong).
      if (this.ws || this._state === 'live') this.retry(false)
      else this.setState('offline')
    } else if (this.handles.has('reconnect')) {
      // Back online: try now rather than at the end of a long backoff.
      void this.connect()
    }
  }

  private onClose(code: number, reason: string): void {
    this.ws = null
    if (this.stopped) return
    switch (code) {
      case CloseCode.FORBIDDEN:
        this.problem('server', reason || 'no access to this team', code)
        this.stopped = true
        this.generation++
        for (const t of [...this.handles.keys()]) this.clear(t)
        this.unwatchOnline()
        this.setState('forbidden')
        return
      case CloseCode.UNAUTHENTICATED:
      case CloseCode.TOKEN_EXPIRED:
        // Refresh (or sign in), then resume with since: last.
        this.freshToken = true
        this.retry(true)
        return
      case CloseCode.SLOW:
        // "Reconnect at once with since: last."
        this.retry(true)
        return
      case CloseCode.HELLO_TIMEOUT:
      case CloseCode.BAD_FRAME:
        // A client bug or a very slow link; retrying with backoff is the safe course.
        this.problem('protocol', `the server closed with ${code}: ${reason}`, code)
        this.retry(false)
        return
      default:
        // 1000 (unexpected from the server), 1001, 1011, 4010, 1006 and anything else.
        this.retry(false)
    }
  }

  // -------------------------------------------------------------------------
  // Frames

  private onFrame(raw: unknown): void {
    let f: ServerFrame
    try {
      f = JSON.parse(typeof raw === 'string' ? raw : String(raw)) as ServerFrame
    } catch {
      this.problem('protocol', 'a frame that is not JSON')
      return
    }
    if (!f || typeof f !== 'object' || typeof f.type !== 'string') return
    const t = this.now()
    this.heard()
    switch (f.type) {
      case 'snapshot': {
        if (typeof f.seq !== 'number' || !f.board) return this.resume('a snapshot without seq or board', true)
        this.wantSnapshot = false
        this._model = applySnapshot(f.board, f.seq)
        this._last = f.seq
        this._lastFrameAt = t
        const model = this._model
        this.goLive()
        this.emit(() => this.opts.onBoard(model))
        return
      }
      case 'event': {
        if (typeof f.seq !== 'number') return this.resume('an event without seq', this._last === null)
        const last = this._last
        if (last === null || this._model === null) return this.resume('an event before any snapshot', true)
        if (f.seq <= last) return // a duplicate
        if (f.seq > last + 1) return this.resume(`gap: event ${f.seq} after ${last}`, false)
        const r = applyEvent(this._model, f, this.now)
        this._lastEventAt = t
        this._lastFrameAt = t
        if (r.needSnapshot && r.model.seq !== f.seq) {
          // Not applied (an unknown kind): a fresh snapshot, as PROTOCOL.md says.
          return this.resume(r.reason, true)
        }
        this._model = r.model
        this._last = f.seq
        this.emit(() => this.opts.onEvent?.(f))
        this.emit(() => this.opts.onBoard(r.model))
        // Not live yet if this is a replay: the pong, tick or presence that follows says so.
        if (r.needSnapshot) return this.resume(r.reason, true)
        return
      }
      case 'tick': {
        this._lastTickAt = t
        if (this._last === null) return
        this._lastFrameAt = t
        if (typeof f.seq === 'number' && f.seq > this._last) return this.resume(`lost tail: tick ${f.seq} after ${this._last}`, false)
        this.goLive()
        this.checkStale(t)
        return
      }
      case 'presence':
        if (Array.isArray(f.viewers)) {
          const viewers = f.viewers
          this.emit(() => this.opts.onPresence?.(viewers))
        }
        if (this._model) this._lastFrameAt = t
        this.goLive()
        return
      case 'auth_ok':
        if (typeof f.expires_at === 'number') this.tokenExp = this.localTime(f.expires_at * 1000)
        this.scheduleRenewal()
        return
      case 'pong':
        if (this._model) this._lastFrameAt = t
        this.goLive()
        return
      case 'error': {
        const code = typeof f.code === 'number' ? f.code : Number(f.code)
        this.problem('server', String(f.message ?? ''), Number.isFinite(code) ? code : undefined)
        return
      }
      default:
        // A frame type from a newer server: ignore.
        return
    }
  }

  /** A caught-up connection with a board: live. */
  private goLive(): void {
    if (this._model === null || this.ws === null || this._state === 'live') return
    this.failures = 0
    this.setState('live')
    this.set('stable', this.tuning.stableAfterMs, () => {
      this.attempt = 0
    })
    this.scheduleRenewal()
  }

  /** Something arrived (or a socket opened): re-arm the ping and dead-connection timers. */
  private heard(): void {
    this.set('ping', this.tuning.pingAfterMs, () => this.send({ type: 'ping' }))
    this.set('dead', this.tuning.deadAfterMs, () => {
      this.problem('protocol', `nothing received for ${Math.round(this.tuning.deadAfterMs / 1000)} s`)
      this.retry(false)
    })
  }

  private checkStale(t: number): void {
    if (!this._model) return
    const why = staleness(this._model, t)
    if (!why) return
    const tried = this.staleTried.get(why)
    if (tried !== undefined && t - tried < this.tuning.staleRetryMs) return
    this.staleTried.set(why, t)
    this.resume(`the board is out of date (${why})`, true)
  }

  // -------------------------------------------------------------------------
  // Token renewal

  private scheduleRenewal(): void {
    this.clear('renew')
    const token = this.token
    if (!token || token.startsWith('dt_') || this.ws === null) return
    const exp = this.tokenExp
    if (exp === null) return
    const delay = Math.max(0, exp - this.now() - this.tuning.renewBeforeMs)
    this.set('renew', delay, () => void this.renew())
  }

  private async renew(): Promise<void> {
    const gen = this.generation
    let token: string
    try {
      token = await this.fetchToken(true)
    } catch (err) {
      if (gen !== this.generation || this.stopped) return
      this.problem('token', `could not renew the token: ${String(err)}`)
      this.set('renew', this.tuning.renewRetryMs, () => void this.renew())
      return
    }
    if (gen !== this.generation || this.stopped || this.ws === null) return
    const exp = tokenExpiry(token)
    const oldExp = this.token === null ? null : tokenExpiry(this.token)
    if (token === this.token || (exp !== null && oldExp !== null && exp <= oldExp)) {
      // Not newer: ask again shortly (until the server closes with 4009).
      this.set('renew', this.tuning.renewRetryMs, () => void this.renew())
      return
    }
    this.adoptToken(token, true)
    this.send({ type: 'auth', token })
    // auth_ok reschedules from the server's expires_at; this covers its loss.
    this.scheduleRenewal()
  }

  /** Take a token; `fresh`: it was just issued (asked with forceRefresh), so it tells the clock offset. */
  private adoptToken(token: string, fresh: boolean): void {
    this.token = token
    const iat = tokenIssuedAt(token)
    if (fresh && iat !== null) this.clockOffset = this.now() - iat
    const exp = tokenExpiry(token)
    this.tokenExp = exp === null ? null : this.localTime(exp)
  }

  /** A server time (ms) on this device's clock. */
  private localTime(serverMs: number): number {
    return serverMs + (this.clockOffset ?? 0)
  }

  // -------------------------------------------------------------------------
  // Helpers

  private setState(s: LiveState): void {
    if (this._state === s) return
    if (this._state === 'live') this._notLiveSince = this._lastFrameAt ?? this.now()
    this._state = s
    this.emit(() => this.opts.onState(s))
  }

  private problem(kind: LiveProblem['kind'], message: string, code?: number): void {
    try {
      this.opts.onProblem?.({ kind, message, code })
    } catch {
      // the app's problem; never the protocol's
    }
  }

  /** Call the app; an exception there must not break the protocol state machine. */
  private emit(fn: () => void): void {
    try {
      fn()
    } catch (err) {
      this.problem('callback', `a callback threw: ${String(err)}`)
    }
  }

  private set(t: Timer, ms: number, fn: () => void): void {
    this.clear(t)
    const h = this.timers.setTimeout(() => {
      if (this.handles.get(t) === h) this.handles.delete(t)
      fn()
    }, ms)
    this.handles.set(t, h)
  }

  private clear(t: Timer): void {
    const h = this.handles.get(t)
    if (h !== undefined) {
      this.timers.clearTimeout(h)
      this.handles.delete(t)
    }
  }
}
