// Types of the live protocol (docs/PROTOCOL.md) and of the board document
// (GET /api/teams/{team_id}/board).
//
// The server's types are not written here: they are generated from its OpenAPI
// document into src/lib/api-types.ts (`make api-types`; never edit that file) and
// only named here. Written (or adjusted) by hand is only what the browser alone
// has: the event frame as received (any kind, from a newer server too), the device
// names, the close codes and the WebSocket surface, and the one shape the document
// does not describe, a client record as a privacy display receives it (`ClientData`).
//
// Privacy displays (a display token with privacy "initials") receive the same
// shapes reduced to a whitelist (src/domain/privacy.rs): client names, flag
// reasons and outcomes, contact activities and notes, handoff read-backs and
// responders' display names are *absent* (not null), and handoff item texts
// are blanked.

import type { components } from '../lib/api-types.ts'

type Schemas = components['schemas']

/** A UUID as a string. */
export type Uuid = string
/** An RFC 3339 UTC instant with six fractional digits, e.g. "2026-11-23T09:15:00.123456Z". */
export type Instant = Schemas['Timestamp']
/** A team-local day, YYYY-MM-DD. */
export type Day = string

// ---------------------------------------------------------------------------
// Records and the board document (generated)

export type TeamOut = Schemas['TeamOut']
export type ClientOut = Schemas['ClientOut']
export type ContactOut = Schemas['ContactOut']
export type FlagOut = Schemas['FlagOut']
export type ShiftOut = Schemas['ShiftOut']
export type HandoffItemOut = Schemas['HandoffItemOut']
export type HandoffOut = Schemas['HandoffOut']
export type ReviewOut = Schemas['ReviewOut']
export type MemberOut = Schemas['MemberOut']
export type HuddleFocus = Schemas['HuddleFocus']
export type Board = Schemas['Board']
export type BoardStaff = Schemas['BoardStaff']
export type BoardClient = Schemas['BoardClient']
export type DueItemOut = Schemas['DueItemOut']
export type TransitionOut = Schemas['TransitionOut']
export type CheckinOut = Schemas['CheckinOut']

/** The fields of a client a privacy display does not receive. */
type ClientNames = 'given_name' | 'family_name' | 'preferred_name' | 'external_id'

/**
 * The data of `client.created` and `client.updated` as received: a `ClientOut`,
 * or on a privacy display the same without the name fields and with
 * `display_name` (the initials) added. The OpenAPI document does not describe
 * that variant, so it is derived here.
 */
export type ClientData = Omit<ClientOut, ClientNames> &
  Partial<Pick<ClientOut, ClientNames>> & {
    /** Only on a privacy display: the initials. */
    display_name?: string
  }

// ---------------------------------------------------------------------------
// Event kinds and their data (generated: `Event`, `EventKind`)

/** Each event kind's `data`, from the server's `Event` union (client records as received). */
export type EventDataMap = {
  [E in Schemas['Event'] as E['kind']]: E['kind'] extends 'client.created' | 'client.updated' ? ClientData : E['data']
}

export type EventKind = Schemas['EventKind']

/**
 * Every kind this client applies. Checked against the server's `EventKind` both
 * ways when compiling: a string here that is not a kind, and a kind of the
 * server that is missing here, fail `tsc`.
 */
export const EVENT_KINDS = [
  'team.created',
  'team.updated',
  'member.updated',
  'member.removed',
  'display_token.revoked',
  'client.created',
  'client.updated',
  'client.transferred_out',
  'contact.created',
  'contact.updated',
  'contacts.reassigned',
  'flag.raised',
  'flag.acknowledged',
  'flag.resolved',
  'flag.escalated',
  'flag.transferred_in',
  'shift.created',
  'shift.deleted',
  'oncall.pattern_updated',
  'handoff.created',
  'handoff.acknowledged',
  'review.marked',
  'review.unmarked',
  'huddle.focus',
  'absence.created',
  'absence.deleted',
  'contacts.series_created',
  'contacts.series_ended',
  'assessment.recorded',
  'plan.updated',
  'goal.progress_recorded',
  'clients.imported',
  'screening.recorded',
  'screening.decided',
  'transition.started',
  'transition.completed',
  'transition.cancelled',
  'checkins.scheduled',
  'checkin.recorded',
  'episode.recorded',
  'episode.updated',
  'fidelity.rated',
] as const satisfies readonly EventKind[]

/** `L` when it lists every `EventKind`; otherwise a type naming the kinds it misses. */
type ListsEveryKind<L extends readonly EventKind[]> = [Exclude<EventKind, L[number]>] extends [never]
  ? L
  : { missing_event_kinds: Exclude<EventKind, L[number]> }

const KNOWN_KINDS: ReadonlySet<string> = new Set(EVENT_KINDS satisfies ListsEveryKind<typeof EVENT_KINDS>)

export function isKnownKind(kind: string): kind is EventKind {
  return KNOWN_KINDS.has(kind)
}

// ---------------------------------------------------------------------------
// Server frames (generated: `ServerFrame`)

type ServerFrames = Schemas['ServerFrame']

/**
 * An `event` frame as received: the server's `EventOut` with `type: "event"`,
 * except that the kind may be one this client does not know (a newer server),
 * so `kind` is any string and `data` is not typed until the kind is checked.
 */
export type EventFrame = Omit<Extract<ServerFrames, { type: 'event' }>, 'kind' | 'data'> & {
  kind: string
  data: unknown
}

/** An `event` frame of a known kind, with its data typed. */
export type KnownEventFrame<K extends EventKind = EventKind> = {
  [P in K]: Omit<EventFrame, 'kind' | 'data'> & { kind: P; data: EventDataMap[P] }
}[K]

export type SnapshotFrame = Extract<ServerFrames, { type: 'snapshot' }>
export type TickFrame = Extract<ServerFrames, { type: 'tick' }>
export type Viewer = Schemas['Viewer']
export type PresenceFrame = Extract<ServerFrames, { type: 'presence' }>
export type AuthOkFrame = Extract<ServerFrames, { type: 'auth_ok' }>
export type PongFrame = Extract<ServerFrames, { type: 'pong' }>
export type ErrorFrame = Extract<ServerFrames, { type: 'error' }>

/** A frame as received: the server's frames, with event frames of any kind. */
export type ServerFrame = Exclude<ServerFrames, { type: 'event' }> | EventFrame

// ---------------------------------------------------------------------------
// Client frames (generated: `ClientFrame`)

/** The devices a `hello` names (the document says "board, phone or desktop" of a string). */
export type Device = 'board' | 'phone' | 'desktop'

export type ClientFrame = Schemas['ClientFrame']
export type HelloFrame = Extract<ClientFrame, { type: 'hello' }>
export type AuthFrame = Extract<ClientFrame, { type: 'auth' }>
export type PingFrame = Extract<ClientFrame, { type: 'ping' }>

// ---------------------------------------------------------------------------
// Close codes (PROTOCOL.md, "Close codes"; src/live/protocol.rs)

export const CloseCode = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  /** Set by browsers when the connection dropped without a close frame. */
  ABNORMAL: 1006,
  SERVER_ERROR: 1011,
  HELLO_TIMEOUT: 4000,
  UNAUTHENTICATED: 4001,
  FORBIDDEN: 4003,
  SLOW: 4008,
  TOKEN_EXPIRED: 4009,
  IDLE: 4010,
  BAD_FRAME: 4400,
} as const

// ---------------------------------------------------------------------------
// The WebSocket surface the live client uses (the browser's WebSocket fits).

export interface SocketCloseEvent {
  code: number
  reason: string
}

export interface SocketMessageEvent {
  data: unknown
}

/** A handler type checked bivariantly (like DOM handlers), so the browser's
 * `(this: WebSocket, ev: MessageEvent) => any` fits. */
type Handler<E> = { bivarianceHack(ev: E): void }['bivarianceHack']

export interface SocketLike {
  readonly readyState: number
  onopen: Handler<unknown> | null
  onmessage: Handler<SocketMessageEvent> | null
  onclose: Handler<SocketCloseEvent> | null
  onerror: Handler<unknown> | null
  send(data: string): void
  close(code?: number, reason?: string): void
}

export type SocketConstructor = new (url: string) => SocketLike
