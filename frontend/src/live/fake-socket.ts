// A fake WebSocket for tests: the test plays the server. Each `fakeSockets()`
// gives a constructor to inject into LiveClient and the list of sockets it
// made, newest last.

import type { ClientFrame, ServerFrame, SocketCloseEvent, SocketConstructor, SocketLike, SocketMessageEvent } from './types.ts'

export const CONNECTING = 0
export const OPEN = 1
export const CLOSING = 2
export const CLOSED = 3

export class FakeSocket implements SocketLike {
  readyState = CONNECTING
  onopen: ((ev: unknown) => void) | null = null
  onmessage: ((ev: SocketMessageEvent) => void) | null = null
  onclose: ((ev: SocketCloseEvent) => void) | null = null
  onerror: ((ev: unknown) => void) | null = null

  /** Raw text of every frame the client sent. */
  readonly rawSent: string[] = []
  /** Set when the client closed the socket. */
  closedByClient: { code?: number; reason?: string } | null = null
  /** When it was made (Date.now(), i.e. the fake clock under vi.useFakeTimers). */
  readonly createdAt = Date.now()

  readonly url: string

  constructor(url: string) {
    this.url = url
  }

  /** The frames the client sent, parsed. */
  get sent(): ClientFrame[] {
    return this.rawSent.map((s) => JSON.parse(s) as ClientFrame)
  }

  /** The first frame (the hello). */
  get hello(): ClientFrame | undefined {
    return this.sent[0]
  }

  send(data: string): void {
    if (this.readyState !== OPEN) throw new Error(`send on a socket in state ${this.readyState}`)
    this.rawSent.push(data)
  }

  close(code?: number, reason?: string): void {
    if (this.readyState === CLOSED) return
    this.closedByClient = { code, reason }
    this.readyState = CLOSED
    // Like a browser, the close event comes later; LiveClient detaches first.
    const onclose = this.onclose
    queueMicrotask(() => onclose?.({ code: code ?? 1005, reason: reason ?? '' }))
  }

  // --- the server's side ---------------------------------------------------

  /** The connection opens. */
  open(): void {
    this.readyState = OPEN
    this.onopen?.({})
  }

  /** The server sends a frame (an object is JSON-encoded). */
  receive(frame: ServerFrame | Record<string, unknown> | string): void {
    if (this.readyState !== OPEN) throw new Error('receive on a socket that is not open')
    this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) })
  }

  /** The server (or the network) closes the connection. */
  serverClose(code: number, reason = ''): void {
    if (this.readyState === CLOSED) return
    this.readyState = CLOSED
    this.onerror?.({})
    this.onclose?.({ code, reason })
  }
}

export interface FakeSockets {
  /** Inject as LiveClient's `WebSocket`. */
  WebSocket: SocketConstructor
  /** Every socket made, oldest first. */
  readonly all: FakeSocket[]
  /** The newest socket (throws if none). */
  latest(): FakeSocket
}

export function fakeSockets(): FakeSockets {
  const all: FakeSocket[] = []
  class Socket extends FakeSocket {
    constructor(url: string) {
      super(url)
      all.push(this)
    }
  }
  return {
    WebSocket: Socket,
    all,
    latest() {
      const s = all[all.length - 1]
      if (!s) throw new Error('no socket was made')
      return s
    },
  }
}
