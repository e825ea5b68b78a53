// Types of the live protocol (docs/PROTOCOL.md) and of the board document
// (GET /api/teams/{team_id}/board; src/api/board.rs). Field names are the
// server's snake_case JSON names.
//
// Privacy displays (a display token with privacy "initials") receive the same
// shapes with some fields *absent* (not null): client names, contact notes and
// handoff text. Those fields are optional here for that reason.

/** A UUID as a string. */
export type Uuid = string
/** An RFC 3339 UTC instant as chrono writes it, e.g. "2026-11-23T09:15:00.123456Z". */
export type Instant = string
/** A team-local day, YYYY-MM-DD. */
export type Day = string

// ---------------------------------------------------------------------------
// Records (src/api/*.rs)

/** `TeamOut` (src/api/dto.rs). */
export interface TeamOut {
  id: Uuid
  name: string
  /** `act` or `icm`. */
  mode: string
  /** IANA time zone; "today" on this team means today here. */
  timezone: string
  caseload_cap: number
  /** What a display token shows by default: `names` or `initials`. */
  privacy: string
  version: number
  created_at: Instant
}

/** `ClientOut` (src/api/clients.rs). On a privacy display the name fields are
 * absent and `display_name` (the initials) is added. */
export interface ClientOut {
  id: Uuid
  team_id: Uuid
  given_name?: string
  family_name?: string
  preferred_name?: string | null
  initials: string
  external_id?: string | null
  /** referred, screening, active, transitioning or discharged. */
  status: string
  /** low, medium or high. */
  risk_tier: string
  case_manager_id: Uuid | null
  version: number
  created_at: Instant
  updated_at: Instant
  /** Only on a privacy display: the initials. */
  display_name?: string
}

/** `ContactOut` (src/api/contacts.rs). */
export interface ContactOut {
  id: Uuid
  team_id: Uuid
  client_id: Uuid
  staff_ids: Uuid[]
  day: Day
  /** Team-local HH:MM. */
  start: string | null
  end: string | null
  /** The UTC instant of the start (noon when no time was given). */
  occurred_at: Instant
  /** face_to_face, phone, video or collateral. */
  kind: string
  place: string
  activity: string
  /** planned, completed, missed or cancelled. */
  status: string
  minutes: number | null
  /** Absent on a privacy display. */
  note?: string | null
  version: number
  created_by: Uuid
  created_at: Instant
  updated_at: Instant
}

/** `FlagOut` (src/api/flags.rs). */
export interface FlagOut {
  id: Uuid
  client_id: Uuid
  /** watch, urgent or emergency. */
  severity: string
  reason: string
  raised_by: Uuid
  raised_at: Instant
  acknowledged_by: Uuid | null
  acknowledged_at: Instant | null
  resolved_by: Uuid | null
  resolved_at: Instant | null
  outcome: string | null
  version: number
}

/** `ShiftOut` (src/api/oncall.rs). */
export interface ShiftOut {
  id: Uuid
  staff_id: Uuid
  staff_name: string
  starts_at: Instant
  ends_at: Instant
  /** As entered, team-local YYYY-MM-DDTHH:MM. */
  starts_local: string
  ends_local: string
  /** Omitted when empty. */
  notes?: string[]
}

/** `HandoffItem` (src/api/handoffs.rs); text fields absent on a privacy display. */
export interface HandoffItem {
  client_id: Uuid
  /** stable, watcher or unstable. */
  severity: string
  summary?: string
  actions?: string[]
  contingency?: string
}

/** `HandoffOut` (src/api/handoffs.rs). */
export interface HandoffOut {
  id: Uuid
  from_staff_id: Uuid
  to_staff_id: Uuid
  shift_id: Uuid | null
  created_at: Instant
  due_at: Instant
  acknowledged_at: Instant | null
  /** Absent on a privacy display. */
  synthesis?: string | null
  /** Computed when the document was produced; recompute with `isHandoffOverdue`. */
  overdue: boolean
  items: HandoffItem[]
}

/** `ReviewOut` (src/api/huddle.rs): the data of `review.marked`. */
export interface ReviewOut {
  day: Day
  client_id: Uuid
  reviewed_by: Uuid
  reviewed_at: Instant
}

/** `MemberOut` (src/api/members.rs): the data of `member.updated`. */
export interface MemberOut {
  staff_id: Uuid
  username: string
  display_name: string
  discipline: string
  /** viewer, member or lead. */
  role: string
}

// ---------------------------------------------------------------------------
// The board document (src/api/board.rs)

export interface BoardStaff {
  id: Uuid
  display_name: string
  discipline: string
  role: string
  /** ICM: active and transitioning clients carried. */
  caseload: number
}

export interface BoardClient {
  id: Uuid
  /** Preferred (or given) name and family name; the initials on a privacy display. */
  display_name: string
  /** Absent on a privacy display. */
  given_name?: string | null
  family_name?: string | null
  preferred_name?: string | null
  initials: string
  status: string
  risk_tier: string
  case_manager_id: Uuid | null
  version: number
  /** Open crisis flags, emergency first. */
  open_flags: FlagOut[]
  /** This day's contacts (planned and done), by start time. */
  today: ContactOut[]
  /** The last completed contact. */
  last_contact_at: Instant | null
  /** Team-local days since the last completed contact (null: never seen). */
  days_since_contact: number | null
  /** Completed contacts this week (Monday–Sunday, team-local). */
  contacts_this_week: number
  face_to_face_this_week: number
  /** Reviewed in this day's huddle. */
  reviewed: boolean
}

export interface Board {
  team: TeamOut
  /** Team-local day shown. */
  day: Day
  week_start: Day
  week_end: Day
  /** The team's latest event number when this board was read. */
  seq: number
  generated_at: Instant
  /** `names`, or `initials` on a privacy display. */
  privacy: string
  /** Who is on call now, and until when. */
  on_call: ShiftOut | null
  /** Unacknowledged handoffs and those acknowledged in the last 24 hours, newest first. */
  handoffs: HandoffOut[]
  staff: BoardStaff[]
  /** Every open flag of the team, emergency first. */
  open_flags: FlagOut[]
  /** The roster: clients with open flags first (worst first), then by family name. */
  clients: BoardClient[]
  roster_count: number
  reviewed_count: number
  /** Where the team's huddle is on this day (every screen follows it), if it has started. */
  huddle_focus?: HuddleFocus | null
}

/** The client every screen of the team shows during the huddle; `client_id` null: ended. */
export interface HuddleFocus {
  day: Day
  client_id: Uuid | null
  staff_id: Uuid
  at: Instant
}

// ---------------------------------------------------------------------------
// Event kinds and their data (PROTOCOL.md, "Event kinds and their `data`")

export interface EventDataMap {
  'team.created': TeamOut
  'team.updated': TeamOut
  'member.updated': MemberOut
  'member.removed': { staff_id: Uuid }
  'display_token.revoked': { id: Uuid }
  'client.created': ClientOut
  'client.updated': ClientOut
  'client.transferred_out': { id: Uuid; to_team_id: Uuid }
  'contact.created': ContactOut
  'contact.updated': ContactOut
  'contacts.reassigned': { day: Day; from_staff_id: Uuid; to_staff_id: Uuid; contacts: ContactOut[] }
  'flag.raised': FlagOut
  'flag.acknowledged': FlagOut
  'flag.resolved': FlagOut
  'shift.created': ShiftOut
  'shift.deleted': { id: Uuid }
  'handoff.created': HandoffOut
  'handoff.acknowledged': HandoffOut
  'review.marked': ReviewOut
  'review.unmarked': { day: Day; client_id: Uuid }
  'huddle.focus': HuddleFocus
}

export type EventKind = keyof EventDataMap

export const EVENT_KINDS: readonly EventKind[] = [
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
  'shift.created',
  'shift.deleted',
  'handoff.created',
  'handoff.acknowledged',
  'review.marked',
  'review.unmarked',
  'huddle.focus',
]

const KNOWN_KINDS: ReadonlySet<string> = new Set(EVENT_KINDS)

export function isKnownKind(kind: string): kind is EventKind {
  return KNOWN_KINDS.has(kind)
}

// ---------------------------------------------------------------------------
// Server frames

/** An `event` frame of any kind, as received (the kind may be one this client does not know). */
export interface EventFrame {
  type: 'event'
  seq: number
  kind: string
  data: unknown
  /** Staff id of whoever made the change (null for system changes). */
  actor: string | null
  at: Instant
}

/** An `event` frame of a known kind, with its data typed. */
export type KnownEventFrame<K extends EventKind = EventKind> = {
  [P in K]: Omit<EventFrame, 'kind' | 'data'> & { kind: P; data: EventDataMap[P] }
}[K]

export interface SnapshotFrame {
  type: 'snapshot'
  seq: number
  board: Board
}

export interface TickFrame {
  type: 'tick'
  seq: number
}

export interface Viewer {
  who: string
  device: string
  connections: number
}

export interface PresenceFrame {
  type: 'presence'
  viewers: Viewer[]
}

export interface AuthOkFrame {
  type: 'auth_ok'
  /** Unix seconds; null when the server does not know. */
  expires_at: number | null
}

export interface PongFrame {
  type: 'pong'
}

export interface ErrorFrame {
  type: 'error'
  /** The close code that follows (a number on the wire; see the report on PROTOCOL.md). */
  code: number | string
  message: string
}

export type ServerFrame = SnapshotFrame | EventFrame | TickFrame | PresenceFrame | AuthOkFrame | PongFrame | ErrorFrame

// ---------------------------------------------------------------------------
// Client frames

export type Device = 'board' | 'phone' | 'desktop'

export interface HelloFrame {
  type: 'hello'
  token: string
  since: number | null
  device: Device
}

export interface AuthFrame {
  type: 'auth'
  token: string
}

export interface PingFrame {
  type: 'ping'
}

export type ClientFrame = HelloFrame | AuthFrame | PingFrame

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
