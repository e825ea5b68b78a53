import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest'
import { LiveClient, backoffDelay, liveBaseUrl, tokenExpiry, DEFAULT_TUNING, type LiveClientOptions, type LiveProblem, type LiveState } from './client.ts'
import type { BoardModel } from './model.ts'
import { fakeSockets, type FakeSocket, type FakeSockets } from './fake-socket.ts'
import type { EventFrame } from './types.ts'
import { ANN, DAY, NOW, TEAM_ID, board, ev, flag, jwt } from './test-fixtures.ts'

const TOKEN = jwt(NOW / 1000 + 900)

interface Harness {
  client: LiveClient
  sockets: FakeSockets
  boards: BoardModel[]
  states: LiveState[]
  events: EventFrame[]
  problems: LiveProblem[]
  getToken: Mock<(opts?: { forceRefresh: boolean }) => Promise<string>>
}

let live: LiveClient[] = []

function setup(over: Partial<LiveClientOptions> = {}, tokens: string[] = [TOKEN]): Harness {
  const sockets = fakeSockets()
  const boards: BoardModel[] = []
  const states: LiveState[] = []
  const events: EventFrame[] = []
  const problems: LiveProblem[] = []
  let n = 0
  const getToken = vi.fn(async (_opts?: { forceRefresh: boolean }) => tokens[Math.min(n++, tokens.length - 1)])
  const client = new LiveClient({
    url: 'wss://actboard.test/',
    teamId: TEAM_ID,
    getToken,
    device: 'board',
    onBoard: (m) => boards.push(m),
    onState: (s) => states.push(s),
    onEvent: (e) => events.push(e),
    onProblem: (p) => problems.push(p),
    WebSocket: sockets.WebSocket,
    random: () => 0.5, // no jitter: delays are exactly base · 2^attempt
    isOnline: () => undefined,
    watchOnline: () => () => {},
    ...over,
  })
  live.push(client)
  return { client, sockets, boards, states, events, problems, getToken }
}

/** Run due timers and settle promises (getToken) without moving the clock. */
const flush = () => vi.advanceTimersByTimeAsync(0)

const snapshot = (seq: number) => ({ type: 'snapshot' as const, seq, board: board({ seq }) })

const flagRaised = (seq: number) => ev(seq, 'flag.raised', flag(`f${seq}`, 'c-adams', 'urgent', '2026-11-25T09:00:00.000000Z'))

/** The first connection, opened and given a snapshot at `seq`. */
async function connected(h: Harness, seq = 10): Promise<FakeSocket> {
  await flush()
  const s = h.sockets.latest()
  s.open()
  s.receive(snapshot(seq))
  return s
}

/** Advance the clock by `ms` while the server sends a tick every 15 s on `s`. */
async function withTicks(s: FakeSocket, seq: number, ms: number): Promise<void> {
  for (let left = ms; left > 0; left -= 15_000) {
    await vi.advanceTimersByTimeAsync(Math.min(15_000, left))
    if (s.readyState === 1) s.receive({ type: 'tick', seq })
  }
}

beforeEach(() => {
  vi.useFakeTimers({ now: NOW })
  live = []
})

afterEach(() => {
  for (const c of live) c.close()
  vi.useRealTimers()
})

describe('helpers', () => {
  it('reads the exp of a JWT; display tokens have none', () => {
    expect(tokenExpiry(jwt(1_800_000_000))).toBe(1_800_000_000_000)
    expect(tokenExpiry('dt_abcdef')).toBeNull()
    expect(tokenExpiry('not-a-jwt')).toBeNull()
  })

  it('maps a page origin to a websocket base', () => {
    expect(liveBaseUrl('https://board.example.org/')).toBe('wss://board.example.org')
    expect(liveBaseUrl('http://localhost:5173')).toBe('ws://localhost:5173')
  })

  it('backs off from 0.5 s doubling to 30 s, ±50 %', () => {
    const t = DEFAULT_TUNING
    expect([0, 1, 2, 3, 6, 7, 20].map((a) => backoffDelay(a, 0.5, t))).toEqual([500, 1000, 2000, 4000, 30_000, 30_000, 30_000])
    expect(backoffDelay(0, 0, t)).toBe(250)
    expect(backoffDelay(0, 0.999999, t)).toBe(750)
    expect(backoffDelay(10, 0, t)).toBe(15_000)
    expect(backoffDelay(10, 0.999999, t)).toBe(45_000)
  })
})

describe('connecting', () => {
  it('sends hello at once on open, with since null the first time and since = last afterwards', async () => {
    const h = setup()
    await flush()
    const s1 = h.sockets.latest()
    expect(s1.url).toBe(`wss://actboard.test/api/teams/${TEAM_ID}/live`)
    expect(s1.sent).toEqual([])
    s1.open()
    expect(s1.sent[0]).toEqual({ type: 'hello', token: TOKEN, since: null, device: 'board' })

    s1.receive(snapshot(10))
    s1.receive(flagRaised(11))
    s1.receive(flagRaised(12))
    s1.serverClose(1001, 'restarting')
    await vi.advanceTimersByTimeAsync(500)
    const s2 = h.sockets.latest()
    expect(s2).not.toBe(s1)
    s2.open()
    expect(s2.hello).toEqual({ type: 'hello', token: TOKEN, since: 12, device: 'board' })
  })

  it('applies the snapshot, then events, through the model', async () => {
    const h = setup()
    const s = await connected(h, 10)
    expect(h.boards).toHaveLength(1)
    expect(h.boards[0].seq).toBe(10)
    s.receive(ev(11, 'review.marked', { day: DAY, client_id: 'c-adams', reviewed_by: ANN, reviewed_at: '2026-11-25T15:00:00.000000Z' }))
    s.receive(flagRaised(12))
    const m = h.boards[h.boards.length - 1]
    expect(m.seq).toBe(12)
    expect(m.board.reviewed_count).toBe(1)
    expect(m.board.open_flags.map((f) => f.id)).toEqual(['f12'])
    expect(h.client.model).toBe(m)
    expect(h.client.lastSeq).toBe(12)
    expect(h.events.map((e) => e.seq)).toEqual([11, 12])
    expect(h.client.lastEventAt).toBe(NOW)
  })

  it('an exception in an app callback does not break the stream', async () => {
    const h = setup({
      onBoard: () => {
        throw new Error('render failed')
      },
    })
    const s = await connected(h, 10)
    s.receive(flagRaised(11))
    s.receive(flagRaised(12))
    expect(h.client.lastSeq).toBe(12)
    expect(s.closedByClient).toBeNull()
    expect(h.problems.filter((p) => p.kind === 'callback')).toHaveLength(3)
  })

  it('drops duplicates', async () => {
    const h = setup()
    const s = await connected(h, 10)
    s.receive(flagRaised(11))
    const after11 = h.client.model
    s.receive(ev(11, 'flag.raised', flag('other', 'c-baker', 'emergency', '2026-11-25T09:00:00.000000Z')))
    s.receive(flagRaised(9))
    expect(h.events.map((e) => e.seq)).toEqual([11])
    expect(h.client.model).toBe(after11)
    expect(h.client.lastSeq).toBe(11)
    expect(s.closedByClient).toBeNull()
  })
})

describe('resuming', () => {
  it('on a gap closes and resumes with since = last', async () => {
    const h = setup()
    const s1 = await connected(h, 10)
    s1.receive(flagRaised(11))
    s1.receive(flagRaised(13))
    expect(s1.closedByClient).not.toBeNull()
    expect(h.client.lastSeq).toBe(11)
    expect(h.client.state).toBe('reconnecting')
    await flush() // at once
    const s2 = h.sockets.latest()
    expect(s2).not.toBe(s1)
    s2.open()
    expect(s2.hello).toMatchObject({ type: 'hello', since: 11 })
    s2.receive(flagRaised(12))
    s2.receive(flagRaised(13))
    expect(h.client.lastSeq).toBe(13)
  })

  it('a tick beyond last means a lost tail: resume with since = last', async () => {
    const h = setup()
    const s1 = await connected(h, 10)
    s1.receive({ type: 'tick', seq: 10 })
    expect(s1.closedByClient).toBeNull()
    expect(h.client.lastTickAt).toBe(NOW)
    s1.receive({ type: 'tick', seq: 12 })
    expect(s1.closedByClient).not.toBeNull()
    await flush()
    const s2 = h.sockets.latest()
    s2.open()
    expect(s2.hello).toMatchObject({ since: 10 })
  })

  it('an unknown event kind forces a fresh snapshot (since null)', async () => {
    const h = setup()
    const s1 = await connected(h, 10)
    s1.receive({ type: 'event', seq: 11, kind: 'caseload.rebalanced', data: {}, actor: null, at: '2026-11-25T15:00:00.000000Z' })
    expect(s1.closedByClient).not.toBeNull()
    expect(h.events).toEqual([])
    await flush()
    const s2 = h.sockets.latest()
    s2.open()
    expect(s2.hello).toMatchObject({ since: null })
    s2.receive(snapshot(11))
    expect(h.client.lastSeq).toBe(11)
    expect(h.client.state).toBe('live')
    // Later reconnects resume normally again.
    s2.serverClose(1001)
    await vi.advanceTimersByTimeAsync(1000)
    const s3 = h.sockets.latest()
    s3.open()
    expect(s3.hello).toMatchObject({ since: 11 })
  })

  it('an event the model cannot derive exactly is applied, then a snapshot is fetched', async () => {
    const h = setup()
    const s1 = await connected(h, 10)
    s1.receive(ev(11, 'team.updated', { ...board().team, timezone: 'Europe/Oslo', version: 2 }))
    expect(h.client.model?.board.team.timezone).toBe('Europe/Oslo')
    expect(h.events.map((e) => e.seq)).toEqual([11])
    await flush()
    const s2 = h.sockets.latest()
    s2.open()
    expect(s2.hello).toMatchObject({ since: null })
  })

  it('goes live → reconnecting → live', async () => {
    const h = setup()
    const s1 = await connected(h, 10)
    expect(h.client.state).toBe('live')
    await vi.advanceTimersByTimeAsync(15_000)
    s1.receive({ type: 'tick', seq: 10 })
    await vi.advanceTimersByTimeAsync(10_000)
    s1.serverClose(1006)
    expect(h.client.state).toBe('reconnecting')
    expect(h.client.notLiveSince).toBe(NOW + 15_000) // the last tick
    await vi.advanceTimersByTimeAsync(500)
    const s2 = h.sockets.latest()
    s2.open()
    expect(h.client.state).toBe('reconnecting') // not until the server answers
    s2.receive(flagRaised(11)) // a replayed event: maybe not caught up yet
    expect(h.client.state).toBe('reconnecting')
    s2.receive({ type: 'pong' }) // the answer to the ping after hello: the replay is done
    expect(h.client.state).toBe('live')
    expect(h.states).toEqual(['live', 'reconnecting', 'live'])
    expect(h.client.notLiveSince).toBeNull()
    expect(s2.sent.map((f) => f.type)).toEqual(['hello', 'ping'])
  })
})

describe('backoff', () => {
  /** Fail `n` connections in a row; returns the delay before each new socket. */
  async function failures(h: Harness, n: number): Promise<number[]> {
    await flush()
    const delays: number[] = []
    for (let i = 0; i < n; i++) {
      const s = h.sockets.latest()
      s.serverClose(1006)
      expect(vi.getTimerCount()).toBe(1) // only the reconnect
      await vi.advanceTimersToNextTimerAsync()
      await flush()
      const next = h.sockets.latest()
      expect(next).not.toBe(s)
      delays.push(next.createdAt - s.createdAt)
    }
    return delays
  }

  it('grows from 0.5 s, doubling up to 30 s', async () => {
    const h = setup()
    expect(await failures(h, 9)).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000])
  })

  it('has jitter within ±50 %', async () => {
    const draws = [0, 0.999999, 0.25, 0.75, 0.1, 0.9, 0.5, 0.33]
    let i = 0
    const h = setup({ random: () => draws[i++ % draws.length] })
    const delays = await failures(h, draws.length)
    delays.forEach((d, a) => {
      const base = Math.min(30_000, 500 * 2 ** a)
      expect(d).toBeGreaterThanOrEqual(base * 0.5)
      expect(d).toBeLessThanOrEqual(base * 1.5)
      expect(d).toBe(Math.round(base * (0.5 + draws[a])))
    })
    expect(new Set(delays.map((d, a) => d / Math.min(30_000, 500 * 2 ** a))).size).toBeGreaterThan(4)
  })

  it('says offline after repeated failures, and when the browser is offline', async () => {
    const h = setup()
    await failures(h, 4)
    expect(h.client.state).toBe('connecting')
    await failures(h, 1)
    expect(h.client.state).toBe('offline')

    let online = true
    let notify: (online: boolean) => void = () => {}
    const h2 = setup({ isOnline: () => online, watchOnline: (cb) => ((notify = cb), () => {}) })
    const s = await connected(h2, 10)
    online = false
    notify(false)
    expect(s.closedByClient).not.toBeNull()
    expect(h2.client.state).toBe('offline')
    online = true
    notify(true) // back online: reconnect now, not at the end of the backoff
    await flush()
    expect(h2.sockets.all).toHaveLength(2)
  })

  it('deliberate resyncs are not failures: never offline for them', async () => {
    const h = setup()
    let s = await connected(h, 10)
    for (let i = 0; i < 7; i++) {
      s.receive({ type: 'tick', seq: 11 + i }) // lost tail
      expect(s.closedByClient).not.toBeNull()
      await vi.advanceTimersToNextTimerAsync()
      await flush()
      s = h.sockets.latest()
      s.open()
      expect(s.hello).toMatchObject({ since: 10 + i })
      s.receive(flagRaised(11 + i))
      s.receive({ type: 'pong' })
      expect(h.client.state).toBe('live')
    }
    expect(h.states).not.toContain('offline')
  })

  it('resets after a connection stayed live for 30 s', async () => {
    const h = setup()
    expect(await failures(h, 3)).toEqual([500, 1000, 2000])
    let s = h.sockets.latest()
    s.open()
    s.receive(snapshot(10))
    await withTicks(s, 10, 30_000)
    s.serverClose(1011)
    await vi.advanceTimersByTimeAsync(499)
    expect(h.sockets.latest()).toBe(s)
    await vi.advanceTimersByTimeAsync(1)
    expect(h.sockets.latest()).not.toBe(s)

    // A connection that dropped sooner does not reset it.
    s = h.sockets.latest()
    s.open()
    s.receive({ type: 'pong' })
    await withTicks(s, 10, 15_000)
    s.serverClose(1011)
    await vi.advanceTimersByTimeAsync(999)
    expect(h.sockets.latest()).toBe(s)
    await vi.advanceTimersByTimeAsync(1)
    expect(h.sockets.latest()).not.toBe(s)
  })
})

describe('close codes', () => {
  it('4003 stops: state forbidden, no more connections', async () => {
    const h = setup()
    const s = await connected(h, 10)
    s.receive({ type: 'error', code: 4003, message: 'display token revoked' })
    s.serverClose(4003, 'display token revoked')
    expect(h.client.state).toBe('forbidden')
    await vi.advanceTimersByTimeAsync(10 * 60_000)
    expect(h.sockets.all).toHaveLength(1)
    expect(h.problems.some((p) => p.code === 4003 && p.message === 'display token revoked')).toBe(true)
  })

  it('4009 gets a fresh token, then reconnects with since = last', async () => {
    const fresh = jwt(NOW / 1000 + 1800)
    const h = setup({}, [TOKEN, fresh])
    const s1 = await connected(h, 10)
    s1.receive(flagRaised(11))
    s1.serverClose(4009, 'access token expired')
    await flush()
    expect(h.getToken).toHaveBeenCalledTimes(2)
    expect(h.getToken).toHaveBeenLastCalledWith({ forceRefresh: true })
    const s2 = h.sockets.latest()
    s2.open()
    expect(s2.hello).toEqual({ type: 'hello', token: fresh, since: 11, device: 'board' })
  })

  it('4001 also refreshes the token; 4008 reconnects at once; 1011 with backoff', async () => {
    const h = setup()
    let s = await connected(h, 10)
    s.serverClose(4001)
    await flush()
    expect(h.getToken).toHaveBeenLastCalledWith({ forceRefresh: true })
    expect(h.sockets.all).toHaveLength(2)

    const h2 = setup()
    s = await connected(h2, 10)
    await withTicks(s, 10, 30_000)
    s.serverClose(4008, 'slow')
    await flush()
    expect(h2.sockets.all).toHaveLength(2)
    h2.sockets.latest().open()
    expect(h2.sockets.latest().hello).toMatchObject({ since: 10 })
    expect(h2.getToken).toHaveBeenLastCalledWith({ forceRefresh: false })
  })

  it('treats 35 s without any frame as a dead connection, pinging first', async () => {
    const h = setup()
    const s1 = await connected(h, 10)
    await vi.advanceTimersByTimeAsync(20_000)
    expect(s1.sent.filter((f) => f.type === 'ping')).toHaveLength(2) // after hello, and at 20 s
    await vi.advanceTimersByTimeAsync(14_999)
    expect(s1.closedByClient).toBeNull()
    await vi.advanceTimersByTimeAsync(1)
    expect(s1.closedByClient).not.toBeNull()
    expect(h.client.state).toBe('reconnecting')
    await vi.advanceTimersByTimeAsync(500)
    expect(h.sockets.all).toHaveLength(2)
  })

  it('ticks and pongs keep a quiet connection alive', async () => {
    const h = setup()
    const s = await connected(h, 10)
    await withTicks(s, 10, 5 * 60_000)
    expect(s.closedByClient).toBeNull()
    expect(h.client.state).toBe('live')
    expect(h.client.lastTickAt).toBe(NOW + 5 * 60_000)
  })
})

describe('token renewal', () => {
  it('renews before exp with getToken and an auth frame, then again from auth_ok', async () => {
    const exp1 = NOW / 1000 + 900
    const exp2 = exp1 + 900
    const t2 = jwt(exp2)
    const t3 = jwt(exp2 + 900)
    const h = setup({}, [jwt(exp1), t2, t3])
    const s = await connected(h, 10)
    await withTicks(s, 10, 840_000 - 15_000) // to exp − 75 s
    expect(s.sent.some((f) => f.type === 'auth')).toBe(false)
    await withTicks(s, 10, 15_000) // exp − 60 s
    const auth = s.sent.filter((f) => f.type === 'auth')
    expect(auth).toEqual([{ type: 'auth', token: t2 }])
    expect(Date.now()).toBeLessThan(exp1 * 1000)
    expect(h.getToken).toHaveBeenLastCalledWith({ forceRefresh: true })
    s.receive({ type: 'auth_ok', expires_at: exp2 })
    await withTicks(s, 10, 900_000)
    expect(s.sent.filter((f) => f.type === 'auth')).toEqual([
      { type: 'auth', token: t2 },
      { type: 'auth', token: t3 },
    ])
    expect(s.closedByClient).toBeNull()
  })

  it('retries when getToken returns the same token, and never renews a display token', async () => {
    const h = setup({}, [TOKEN, TOKEN, jwt(NOW / 1000 + 1800)])
    const s = await connected(h, 10)
    await withTicks(s, 10, 840_000)
    expect(s.sent.filter((f) => f.type === 'auth')).toEqual([])
    await withTicks(s, 10, 15_000)
    expect(s.sent.filter((f) => f.type === 'auth')).toHaveLength(1)

    const d = setup({}, ['dt_display'])
    const ds = await connected(d, 10)
    await withTicks(ds, 10, 2 * 3600_000)
    expect(ds.sent.map((f) => f.type)).toEqual(['hello', 'ping'])
    expect(d.getToken).toHaveBeenCalledTimes(1)
  })

  for (const [what, skew] of [['ahead of', 16 * 60_000], ['behind', -10 * 60_000]] as const) {
    it(`renews once per token lifetime when the device clock is ${what} the server's`, async () => {
      // The server issues 15-minute tokens on its own clock, `skew` ms off this device's.
      const issue = () => {
        const iat = Math.floor((Date.now() - skew) / 1000)
        return jwt(iat + 900)
      }
      const getToken = vi.fn(async (_opts?: { forceRefresh: boolean }) => issue())
      const h = setup({ getToken })
      const s = await connected(h, 10)
      // An hour of ticks: four 15-minute lifetimes, so about four renewals, never a storm.
      for (let i = 0; i < 240; i++) {
        await vi.advanceTimersByTimeAsync(15_000)
        s.receive({ type: 'tick', seq: 10 })
        const last = s.sent.filter((f) => f.type === 'auth').at(-1)
        if (last && last.type === 'auth') s.receive({ type: 'auth_ok', expires_at: tokenExpiry(last.token)! / 1000 })
      }
      expect(s.closedByClient).toBeNull()
      const renewals = s.sent.filter((f) => f.type === 'auth').length
      expect(renewals).toBeGreaterThanOrEqual(3)
      expect(renewals).toBeLessThanOrEqual(6)
      expect(getToken.mock.calls.length).toBeLessThanOrEqual(8)
    })
  }
})

describe('staleness and close()', () => {
  it('fetches a fresh snapshot once the team-local day has moved on', async () => {
    const h = setup()
    const s1 = await connected(h, 10)
    vi.setSystemTime(Date.UTC(2026, 10, 26, 0, 0, 5))
    s1.receive({ type: 'tick', seq: 10 })
    expect(s1.closedByClient).not.toBeNull()
    await flush()
    const s2 = h.sockets.latest()
    s2.open()
    expect(s2.hello).toMatchObject({ since: null })
    // The server still says yesterday (its clock is behind): no loop.
    s2.receive(snapshot(10))
    s2.receive({ type: 'tick', seq: 10 })
    expect(s2.closedByClient).toBeNull()
  })

  it('retries with backoff when getToken fails', async () => {
    let n = 0
    const h = setup({
      getToken: async () => {
        if (n++ < 2) throw new Error('refresh failed')
        return TOKEN
      },
    })
    await flush()
    expect(h.sockets.all).toHaveLength(0)
    expect(h.problems[0]).toMatchObject({ kind: 'token' })
    await vi.advanceTimersByTimeAsync(500)
    expect(h.sockets.all).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(1000)
    expect(h.sockets.all).toHaveLength(1)
  })

  it('close() stops everything', async () => {
    const h = setup()
    const s = await connected(h, 10)
    h.client.close()
    expect(s.closedByClient?.code).toBe(1000)
    expect(h.client.state).toBe('closed')
    await vi.advanceTimersByTimeAsync(3600_000)
    expect(h.sockets.all).toHaveLength(1)
    expect(vi.getTimerCount()).toBe(0)
    expect(h.states).toEqual(['live', 'closed'])
  })

  it('close() while waiting for a token makes no socket', async () => {
    let release: (t: string) => void = () => {}
    const h = setup({ getToken: () => new Promise<string>((r) => (release = r)) })
    h.client.close()
    release(TOKEN)
    await flush()
    expect(h.sockets.all).toHaveLength(0)
  })
})
