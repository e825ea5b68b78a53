// The live board model: the board document (GET /board, or a `snapshot` frame)
// kept current by `event` frames, following the server's own rules for the
// board (src/api/board.rs) so that the model after N events equals a fresh
// snapshot taken at the same seq.
//
// Every function here is pure: inputs are never mutated; a changed model is a
// new object that shares every part the event did not touch (so views may
// compare by reference). When an event leaves the model unable to know the
// exact board — an unknown kind, or a change whose effect depends on history
// the board does not carry — the result says `needSnapshot` (the caller then
// reconnects with `since: null`); the returned model is still the best
// estimate, fit to show until the snapshot arrives.
//
// These rules are also the server's, in src/domain/board_rules.rs:
// roster order (`compareClients`), caseload slots (`slotHolder`, `moveSlot`),
// weekly counts (`weekCounts`), rolling counts (`rollingCounts`), the "last
// seen" words (`lastSeenWords`), who is on call now (`covers`,
// `latestCovering`) and next (`nextOnCall`). Both are tested against tests/vectors/board_rules.json
// (board_rules.test.ts here); change the rule, the Rust and the vectors together.
//
// The OpenAPI document marks some always-sent nullable fields as optional
// (`on_call`, `case_manager_id`, `start`, `acknowledged_at`, …): an absent one is
// read here as null.

import type {
  Board,
  BoardClient,
  BoardStaff,
  ClientData,
  ContactOut,
  EventFrame,
  FlagOut,
  HandoffOut,
  HuddleFocus,
  KnownEventFrame,
  ShiftOut,
  Uuid,
} from './types.ts'
import { isKnownKind } from './types.ts'
import { compareInstants, daysBetween, instantMs, instantOf, localDay } from './time.ts'

export interface BoardModel {
  /** The seq of the snapshot or of the last event applied. */
  readonly seq: number
  /** The board document, kept current. */
  readonly board: Board
  /**
   * Every contact whose current state the model knows: the day's contacts of
   * the snapshot and every contact seen in an event since. Used to tell what a
   * `contact.updated` changed.
   */
  readonly contacts: ReadonlyMap<Uuid, ContactOut>
  /** Shifts known not to have ended: the snapshot's `on_call` and `on_call_next`, and shifts created since. */
  readonly shifts: readonly ShiftOut[]
  /**
   * Where the server lists contacts without a start time in a day: SQLite sorts
   * NULL first, PostgreSQL last (`ORDER BY start_time`). Read from the snapshot
   * when it shows either; SQLite's (the default engine) otherwise.
   */
  readonly untimedFirst: boolean
}

export type ApplyResult =
  | { readonly model: BoardModel; readonly needSnapshot: false }
  | { readonly model: BoardModel; readonly needSnapshot: true; readonly reason: string }

/** How many handoffs the board lists at most (src/api/handoffs.rs `for_board`). */
export const MAX_BOARD_HANDOFFS = 50

// ---------------------------------------------------------------------------
// Snapshot

/** A model from a board document (a `snapshot` frame's `board`, or GET /board). */
export function applySnapshot(board: Board, seq: number = board.seq): BoardModel {
  const contacts = new Map<Uuid, ContactOut>()
  for (const c of board.clients) for (const t of c.today) contacts.set(t.id, t)
  return {
    seq,
    board: seq === board.seq ? board : { ...board, seq },
    contacts,
    shifts: [board.on_call, board.on_call_next].filter((s): s is ShiftOut => !!s),
    untimedFirst: untimedFirstIn(board) ?? true,
  }
}

// ---------------------------------------------------------------------------
// Events

interface Step {
  board: Board
  contacts?: ReadonlyMap<Uuid, ContactOut>
  shifts?: readonly ShiftOut[]
  /** Set when the result may differ from a fresh snapshot. */
  reason?: string
}

/**
 * Apply one event (the caller has checked that `event.seq` is the next one).
 * `now` (ms since the epoch) decides whether a shift covers "now".
 */
export function applyEvent(model: BoardModel, event: EventFrame, now: () => number = Date.now): ApplyResult {
  if (!isKnownKind(event.kind)) {
    return { model, needSnapshot: true, reason: `unknown event kind "${event.kind}"` }
  }
  if (event.data === null || typeof event.data !== 'object') {
    return { model, needSnapshot: true, reason: `"${event.kind}" event without data` }
  }
  const e = event as KnownEventFrame
  const b = model.board
  let step: Step
  switch (e.kind) {
    case 'team.created':
    case 'team.updated': {
      const t = e.data
      const changed = t.timezone !== b.team.timezone || t.mode !== b.team.mode
      step = {
        board: { ...b, team: t },
        // A new time zone moves "today" and the week; a new mode recounts caseloads
        // (the board counts its roster only in ICM mode) without events of its own.
        reason: changed ? 'the team changed its time zone or mode' : undefined,
      }
      break
    }
    case 'member.updated': {
      const m = e.data
      const prev = b.staff.find((s) => s.id === m.staff_id)
      const row: BoardStaff = {
        id: m.staff_id,
        display_name: m.display_name,
        discipline: m.discipline,
        role: m.role,
        caseload: prev?.caseload ?? 0,
        absent_today: prev?.absent_today ?? null,
      }
      const rest = b.staff.filter((s) => s.id !== m.staff_id)
      let on_call = b.on_call
      if (on_call && on_call.staff_id === m.staff_id && on_call.staff_name !== m.display_name) {
        on_call = { ...on_call, staff_name: m.display_name }
      }
      step = { board: { ...b, staff: insertSorted(rest, row, compareStaff), on_call } }
      break
    }
    case 'huddle.focus':
      step = { board: e.data.day === b.day ? { ...b, huddle_focus: e.data } : b }
      break
    case 'display_token.revoked':
      // Nothing on the board changes; a screen that used the token is closed by the server.
      step = { board: b }
      break
    case 'goal.progress_recorded':
    case 'screening.recorded':
    case 'screening.decided':
      // Progress notes and screenings change nothing that is due (status and tier arrive as
      // client.updated).
      step = { board: b }
      break
    case 'episode.recorded':
    case 'episode.updated': {
      // An open stay (admission, crisis bed, jail) shows the client as away; its end, back.
      // A privacy display receives only `away` (no kind, no day).
      const ep = e.data
      const i = clientIndex(b, ep.client_id)
      if (i < 0) {
        step = { board: b }
        break
      }
      const prev = b.clients[i]
      let away = prev.away ?? null
      if (ep.away) away = { episode_id: ep.id, kind: ep.kind ?? null, since: ep.start ?? null }
      else if (away?.episode_id === ep.id) away = null
      step = away === (prev.away ?? null) ? { board: b } : { board: withRoster(b, placeClient(b.clients, i, { ...prev, away })) }
      break
    }
    case 'fidelity.rated':
    case 'assessment.recorded':
    case 'plan.updated':
    case 'transition.started':
    case 'transition.completed':
    case 'transition.cancelled':
    case 'checkins.scheduled':
    case 'checkin.recorded':
      // What is due (reassessments, plan reviews, goal targets, check-ins) is the server's
      // rule over dates these records carry: the board reads its `due` list again. They are a
      // few a day, so a fresh snapshot costs less than a second copy of the rule here.
      step = { board: b, reason: 'care items due changed' }
      break
    case 'member.removed': {
      const id = e.data.staff_id
      step = { board: b.staff.some((s) => s.id === id) ? { ...b, staff: b.staff.filter((s) => s.id !== id) } : b }
      break
    }
    case 'client.created':
    case 'client.updated':
      step = upsertClient(model, e.data, e.kind === 'client.created')
      break
    case 'client.transferred_out': {
      const i = clientIndex(b, e.data.id)
      if (i < 0) {
        const open_flags = withoutFlagsOf(b.open_flags, e.data.id, e.data.flag_ids)
        step = { board: open_flags.length === b.open_flags.length ? b : { ...b, open_flags } }
        break
      }
      const prev = b.clients[i]
      const staff = b.team.mode === 'icm' ? moveSlot(b.staff, slotHolder(prev.status, prev.case_manager_id), null) : b.staff
      // Its open flags moved with it to the receiving team's board.
      const open_flags = withoutFlagsOf(b.open_flags, e.data.id, e.data.flag_ids)
      step = { board: withRoster({ ...b, staff, open_flags }, removeAt(b.clients, i)) }
      break
    }
    case 'contact.created':
    case 'contact.updated': {
      const contacts = new Map(model.contacts)
      const mode = e.kind === 'contact.created' ? 'created' : 'updated'
      step = { ...upsertContact(b, contacts, e.data, mode, contactOrder(model.untimedFirst)), contacts }
      break
    }
    case 'contacts.reassigned': {
      const contacts = new Map(model.contacts)
      let board = b
      let reason: string | undefined
      for (const c of e.data.contacts) {
        const s = upsertContact(board, contacts, c, 'reassigned', contactOrder(model.untimedFirst))
        board = s.board
        reason ??= s.reason
      }
      step = { board, contacts, reason }
      break
    }
    case 'contacts.series_created':
    case 'contacts.series_ended': {
      // A recurring visit: every planned visit it booked, or the ones it cancelled (they
      // were planned before, so nothing counted changes).
      const contacts = new Map(model.contacts)
      const mode = e.kind === 'contacts.series_created' ? 'created' : 'was_planned'
      let board = b
      let reason: string | undefined
      for (const c of e.data.contacts) {
        const s = upsertContact(board, contacts, c, mode, contactOrder(model.untimedFirst))
        board = s.board
        reason ??= s.reason
      }
      step = { board, contacts, reason }
      break
    }
    case 'flag.raised':
    case 'flag.acknowledged':
    case 'flag.resolved':
    case 'flag.transferred_in':
      step = { board: applyFlag(b, e.data, e.kind === 'flag.resolved') }
      break
    case 'flag.escalated':
      step = { board: applyFlag(b, e.data.flag, false) }
      break
    case 'shift.created': {
      const s = e.data
      const t = now()
      const shifts = [...model.shifts.filter((x) => x.id !== s.id && !ended(x, t)), s]
      let on_call = b.on_call
      // The server's on_call is the latest-starting shift covering now (board_rules.rs `on_call_now`).
      if (covers(s, t) && (!on_call || !covers(on_call, t) || compareOnCall(s, on_call) >= 0)) {
        on_call = s
      }
      // And on_call_next the soonest-starting after now (board_rules.rs `next_on_call`).
      let on_call_next = b.on_call_next ?? null
      if (startsAfter(s, t) && (!on_call_next || !startsAfter(on_call_next, t) || compareNext(s, on_call_next) < 0)) {
        on_call_next = s
      }
      step = {
        board: on_call === b.on_call && on_call_next === (b.on_call_next ?? null) ? b : { ...b, on_call, on_call_next },
        shifts,
      }
      break
    }
    case 'clients.imported':
      // A whole file of clients (counts only): the board reads the roster again.
      step = { board: b, reason: 'clients were imported' }
      break
    case 'oncall.pattern_updated':
      // The board shows shifts, not the pattern; applying it sends a `shift.created` per shift.
      step = { board: b }
      break
    case 'shift.deleted': {
      const id = e.data.id
      const t = now()
      const shifts = model.shifts.filter((x) => x.id !== id && !ended(x, t))
      if (b.on_call?.id === id) {
        const next = latestCovering(shifts, t)
        step = {
          board: { ...b, on_call: next },
          shifts,
          // A shift created before the snapshot may cover now; only the server knows.
          reason: 'the on-call shift was deleted',
        }
      } else if (b.on_call_next?.id === id) {
        step = {
          board: { ...b, on_call_next: nextOnCall(shifts, t) },
          shifts,
          // The shift after it may predate the snapshot; only the server knows.
          reason: 'the next on-call shift was deleted',
        }
      } else {
        step = { board: b, shifts }
      }
      break
    }
    case 'handoff.created':
    case 'handoff.acknowledged': {
      const h = e.data
      const rest = b.handoffs.filter((x) => x.id !== h.id)
      step = { board: { ...b, handoffs: insertSorted(rest, h, compareHandoffs).slice(0, MAX_BOARD_HANDOFFS) } }
      break
    }
    case 'absence.created': {
      // A staff row shows an absence that covers the board's day (src/store/board.rs
      // `absent_today`); the moved visits came before, as `contacts.reassigned`.
      const a = e.data
      const i = b.staff.findIndex((s) => s.id === a.staff_id)
      if (i < 0 || a.from > b.day || a.to < b.day) {
        step = { board: b }
        break
      }
      const absent_today = { absence_id: a.id, from: a.from, until: a.to, covered_by: a.covered_by ?? null }
      step = { board: { ...b, staff: replaceAt(b.staff, i, { ...b.staff[i], absent_today }) } }
      break
    }
    case 'absence.deleted': {
      // Cancelling moves no visit back (the server neither).
      const { id, staff_id } = e.data
      const i = b.staff.findIndex((s) => s.id === staff_id && s.absent_today?.absence_id === id)
      step = { board: i < 0 ? b : { ...b, staff: replaceAt(b.staff, i, { ...b.staff[i], absent_today: null }) } }
      break
    }
    case 'review.marked':
    case 'review.unmarked': {
      const { day, client_id } = e.data
      const want = e.kind === 'review.marked'
      // A mark on an earlier day may move the team's previous huddle (`since_last_huddle`).
      if (day < b.day && (want ? !b.last_huddle_day || day > b.last_huddle_day : day === b.last_huddle_day)) {
        step = { board: b, reason: 'a review on an earlier day moves the last huddle' }
        break
      }
      const i = day === b.day ? clientIndex(b, client_id) : -1
      if (i < 0 || b.clients[i].reviewed === want) {
        step = { board: b }
        break
      }
      step = { board: withRoster(b, replaceAt(b.clients, i, { ...b.clients[i], reviewed: want })) }
      break
    }
  }
  const next: BoardModel = {
    seq: e.seq,
    board: { ...step.board, seq: e.seq },
    contacts: step.contacts ?? model.contacts,
    shifts: step.shifts ?? model.shifts,
    untimedFirst: model.untimedFirst,
  }
  return step.reason ? { model: next, needSnapshot: true, reason: step.reason } : { model: next, needSnapshot: false }
}

// ---------------------------------------------------------------------------
// Clients

const SEVERITY_RANK: Readonly<Record<string, number>> = { emergency: 0, urgent: 1, watch: 2 }

/** Emergency 0, urgent 1, watch 2, an unknown severity 3 (src/domain/flag.rs `Severity::rank`). */
export function severityRank(severity: string): number {
  return SEVERITY_RANK[severity] ?? 3
}

/**
 * A client's rank: its worst open flag's (`open_flags` is kept worst first), or
 * 255 without open flags (board_rules.rs `roster_rank`).
 */
function clientRank(c: BoardClient): number {
  return c.open_flags.length > 0 ? severityRank(c.open_flags[0].severity) : 255
}

/**
 * The order of names and ids (board_rules.rs `compare_text`): Unicode code
 * point order of the exact strings, as Rust's `str::cmp` and SQLite's BINARY
 * collation. Case-sensitive (every ASCII capital before every small letter:
 * "DeVries" < "Dean" < "de Vries"), no locale or accent folding (letters
 * outside ASCII after all of ASCII: "Zimmer" < "Ñúñez" < "Østergaard"), no
 * Unicode normalization; a missing name is "". JavaScript's `<` compares UTF-16
 * code units, which puts a character above U+FFFF (a surrogate pair) before
 * one in U+E000–U+FFFF; the first differing unit is corrected for that.
 */
export function compareText(a: string | null | undefined, b: string | null | undefined): number {
  const x = a ?? ''
  const y = b ?? ''
  if (x === y) return 0
  const n = Math.min(x.length, y.length)
  for (let i = 0; i < n; i++) {
    const p = x.charCodeAt(i)
    const q = y.charCodeAt(i)
    if (p !== q) return codePointOrder(p) - codePointOrder(q)
  }
  return x.length - y.length
}

/** A UTF-16 code unit moved so that surrogates (characters above U+FFFF) sort after U+E000–U+FFFF. */
function codePointOrder(unit: number): number {
  return unit < 0xd800 ? unit : unit < 0xe000 ? unit + 0x2000 : unit - 0x800
}

/**
 * The roster order (board_rules.rs `compare_roster`): flagged clients first by
 * their worst open flag (emergency, urgent, watch, unknown), then the others;
 * within a rank by family name, then given name, then id (`compareText`).
 */
export function compareClients(a: BoardClient, b: BoardClient): number {
  return (
    clientRank(a) - clientRank(b) ||
    compareText(a.family_name, b.family_name) ||
    compareText(a.given_name, b.given_name) ||
    compareText(a.id, b.id)
  )
}

function clientIndex(b: Board, id: Uuid): number {
  return b.clients.findIndex((c) => c.id === id)
}

/** Put `row` where `prev` was when its place in the order did not change, else re-place it. */
function placeClient(list: readonly BoardClient[], i: number, row: BoardClient): BoardClient[] {
  if (i >= 0) {
    const prev = list[i]
    if (clientRank(prev) === clientRank(row) && prev.family_name === row.family_name && prev.given_name === row.given_name) {
      return replaceAt(list, i, row)
    }
    return insertSorted(removeAt(list, i), row, compareClients)
  }
  return insertSorted(list, row, compareClients)
}

function withRoster(b: Board, clients: BoardClient[]): Board {
  let reviewed = 0
  for (const c of clients) if (c.reviewed) reviewed++
  return { ...b, clients, roster_count: clients.length, reviewed_count: reviewed }
}

/**
 * Whose ICM slot a client holds: its case manager while active or
 * transitioning, else nobody (board_rules.rs `holds_slot`).
 */
export function slotHolder(status: string, caseManager: Uuid | null | undefined): Uuid | null {
  return status === 'active' || status === 'transitioning' ? (caseManager ?? null) : null
}

/**
 * ICM caseload counts (board_rules.rs `move_slot`; a fresh board counts its roster):
 * release one slot (never below 0) and take one; only listed staff change.
 */
export function moveSlot(staff: BoardStaff[], release: Uuid | null, take: Uuid | null): BoardStaff[] {
  if (release === take) return staff
  return staff.map((s) => {
    if (s.id === release) return { ...s, caseload: Math.max(0, s.caseload - 1) }
    if (s.id === take) return { ...s, caseload: s.caseload + 1 }
    return s
  })
}

function upsertClient(model: BoardModel, d: ClientData, created: boolean): Step {
  const b = model.board
  const i = clientIndex(b, d.id)
  const prev = i >= 0 ? b.clients[i] : null
  // Discharged and declined clients are off the roster.
  const discharged = d.status === 'discharged' || d.status === 'declined'
  const staff =
    b.team.mode === 'icm'
      ? moveSlot(b.staff, prev ? slotHolder(prev.status, prev.case_manager_id) : null, discharged ? null : slotHolder(d.status, d.case_manager_id))
      : b.staff
  if (discharged) {
    // A discharged client leaves the roster (the server resolves its open flags first, each
    // in a `flag.resolved` of its own).
    return { board: prev ? withRoster({ ...b, staff }, removeAt(b.clients, i)) : staff === b.staff ? b : { ...b, staff } }
  }
  const names = b.privacy !== 'initials' && d.given_name !== undefined
  const row: BoardClient = {
    id: d.id,
    display_name: names ? `${d.preferred_name ?? d.given_name} ${d.family_name ?? ''}` : (d.display_name ?? d.initials),
    initials: d.initials,
    status: d.status,
    risk_tier: d.risk_tier,
    case_manager_id: d.case_manager_id ?? null,
    version: d.version,
    open_flags: prev ? prev.open_flags : b.open_flags.filter((f) => f.client_id === d.id),
    today: prev ? prev.today : [...model.contacts.values()].filter((c) => c.client_id === d.id && c.day === b.day).sort(contactOrder(model.untimedFirst)),
    last_contact_at: prev ? prev.last_contact_at : null,
    days_since_contact: prev ? prev.days_since_contact : null,
    contacts_this_week: prev ? prev.contacts_this_week : 0,
    face_to_face_this_week: prev ? prev.face_to_face_this_week : 0,
    contacts_7d: prev ? prev.contacts_7d : 0,
    face_to_face_7d: prev ? prev.face_to_face_7d : 0,
    since_last_huddle: prev ? (prev.since_last_huddle ?? null) : b.last_huddle_day ? 0 : null,
    reviewed: prev ? prev.reviewed : false,
    away: prev ? (prev.away ?? null) : null,
  }
  if (names) {
    row.given_name = d.given_name ?? null
    row.family_name = d.family_name ?? null
    row.preferred_name = d.preferred_name ?? null
  }
  const reason =
    !prev && !created
      ? // A transfer in or a readmission: the team may hold history for this client
        // (contacts, reviews) that no event on this board carried.
        'a client new to this board (transfer in or readmission)'
      : undefined
  return { board: withRoster({ ...b, staff }, placeClient(b.clients, i, row)), reason }
}

// ---------------------------------------------------------------------------
// Contacts

type ContactOrder = (a: ContactOut, b: ContactOut) => number

function makeContactOrder(untimedFirst: boolean): ContactOrder {
  const untimed = untimedFirst ? -1 : 1
  return (a, b) => {
    const x = startOf(a)
    const y = startOf(b)
    if (x !== y) {
      if (x === null) return untimed
      if (y === null) return -untimed
      return x < y ? -1 : 1
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
  }
}

/** A contact's start time, null when it has none. */
function startOf(c: ContactOut): string | null {
  return c.start ?? null
}

const UNTIMED_FIRST = makeContactOrder(true)
const UNTIMED_LAST = makeContactOrder(false)

/** The day's order: by start time, then id; untimed contacts first or last (see `BoardModel.untimedFirst`). */
export function contactOrder(untimedFirst: boolean): ContactOrder {
  return untimedFirst ? UNTIMED_FIRST : UNTIMED_LAST
}

/** Whether the board lists untimed contacts first; null when no day list shows it. */
function untimedFirstIn(b: Board): boolean | null {
  for (const c of b.clients) {
    const t = c.today
    for (let i = 1; i < t.length; i++) {
      if (startOf(t[i - 1]) === null && startOf(t[i]) !== null) return true
      if (startOf(t[i - 1]) !== null && startOf(t[i]) === null) return false
    }
  }
  return null
}

/**
 * What one contact adds to its client's week counts [all, face to face]: a
 * completed contact on a day of the board's week (board_rules.rs `week_contribution`).
 */
export function weekCounts(b: Pick<Board, 'week_start' | 'week_end'>, c: Pick<ContactOut, 'status' | 'day' | 'kind'> | null): [number, number] {
  if (!c || c.status !== 'completed' || c.day < b.week_start || c.day > b.week_end) return [0, 0]
  return [1, c.kind === 'face_to_face' ? 1 : 0]
}

/** The first day of the rolling week of the board of `day`: `day` minus 6 (board_rules.rs `rolling_start`). */
export function rollingStart(day: string): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() - 6)
  return d.toISOString().slice(0, 10)
}

/**
 * What one contact adds to its client's rolling counts [7 days, of which face
 * to face, since the last huddle] (board_rules.rs `rolling_contribution`): a
 * completed contact on a day from `rolling_start` to the board's day, and from
 * `last_huddle_day` (inclusive) to the board's day; never a day after it.
 */
export function rollingCounts(
  b: Pick<Board, 'day' | 'rolling_start' | 'last_huddle_day'>,
  c: Pick<ContactOut, 'status' | 'day' | 'kind'> | null,
): [number, number, number] {
  if (!c || c.status !== 'completed' || c.day > b.day) return [0, 0, 0]
  const inWeek = c.day >= b.rolling_start
  const sinceHuddle = b.last_huddle_day != null && c.day >= b.last_huddle_day
  return [inWeek ? 1 : 0, inWeek && c.kind === 'face_to_face' ? 1 : 0, sinceHuddle ? 1 : 0]
}

/**
 * The words for a client's last completed contact from the team-local days
 * since it (board_rules.rs `last_seen_words`): days, never a "last 24 hours"
 * window, so a client seen on Friday reads "seen 3 days ago" on Monday.
 */
export function lastSeenWords(daysSinceContact: number | null | undefined): string {
  if (daysSinceContact == null) return 'never seen'
  if (daysSinceContact <= 0) return 'seen today'
  if (daysSinceContact === 1) return 'seen yesterday'
  return `seen ${daysSinceContact} days ago`
}

/**
 * One contact's new state. `before` is its previous state: null for a new
 * contact, from `contacts` when known, and unknown (undefined) otherwise.
 * Mutates `contacts` (a copy the caller owns), never `b`.
 */
function upsertContact(
  b: Board,
  contacts: Map<Uuid, ContactOut>,
  c: ContactOut,
  mode: 'created' | 'updated' | 'reassigned' | 'was_planned',
  order: ContactOrder,
): Step {
  const known = contacts.get(c.id)
  // A reassignment moves planned visits to another person: nothing but staff_ids changes.
  // A series' cancelled visits were planned: they counted nothing before.
  const before: ContactOut | null | undefined =
    mode === 'created' ? null : mode === 'reassigned' ? (known ?? c) : mode === 'was_planned' ? (known ?? { ...c, status: 'planned' }) : known
  contacts.set(c.id, c)
  let clients = b.clients
  let reason: string | undefined

  if (known && known.client_id !== c.client_id) {
    // Contacts do not change client (PATCH cannot), but keep the lists right if one does.
    const j = clients.findIndex((x) => x.id === known.client_id)
    if (j >= 0 && clients[j].today.some((x) => x.id === c.id)) {
      clients = replaceAt(clients, j, { ...clients[j], today: clients[j].today.filter((x) => x.id !== c.id) })
    }
    reason = 'a contact moved to another client'
  }

  const i = clients.findIndex((x) => x.id === c.client_id)
  if (i < 0) return { board: clients === b.clients ? b : { ...b, clients }, reason }
  const cl = clients[i]

  let today = cl.today.some((x) => x.id === c.id) ? cl.today.filter((x) => x.id !== c.id) : cl.today
  if (c.day === b.day) today = insertSorted(today, c, order)

  // Last completed contact: the latest occurred_at of the client's completed contacts.
  let last = cl.last_contact_at ?? null
  let days = cl.days_since_contact ?? null
  if (c.status === 'completed' && (last === null || compareInstants(c.occurred_at, last) >= 0)) {
    last = c.occurred_at
    // occurred_at lies on the contact's team-local day.
    days = daysBetween(c.day, b.day)
  } else if (before === undefined) {
    if (last !== null) reason ??= 'an update of a contact this board has not seen may change the last contact'
  } else if (before && before.status === 'completed' && last !== null && compareInstants(before.occurred_at, last) === 0) {
    reason ??= 'the last completed contact was changed; the one before it is not on this board'
  }

  // Completed contacts this week.
  const [na, nf] = weekCounts(b, c)
  let all = cl.contacts_this_week
  let f2f = cl.face_to_face_this_week
  if (before === undefined) {
    // Unknown before: exact only when the client has no completed contact this week.
    if (all > 0) reason ??= 'an update of a contact this board has not seen may change the week counts'
    all += na
    f2f += nf
  } else {
    const [pa, pf] = weekCounts(b, before)
    all = Math.max(0, all + na - pa)
    f2f = Math.max(0, f2f + nf - pf)
  }

  // Rolling counts: the 7 days ending on the board's day, and since the last huddle.
  const [ra, rf, rh] = rollingCounts(b, c)
  let all7 = cl.contacts_7d
  let f2f7 = cl.face_to_face_7d
  let sinceHuddle = cl.since_last_huddle ?? null
  if (before === undefined) {
    if (all7 > 0 || (sinceHuddle ?? 0) > 0) reason ??= 'an update of a contact this board has not seen may change the rolling counts'
    all7 += ra
    f2f7 += rf
    sinceHuddle = sinceHuddle === null ? null : sinceHuddle + rh
  } else {
    const [pa, pf, ph] = rollingCounts(b, before)
    all7 = Math.max(0, all7 + ra - pa)
    f2f7 = Math.max(0, f2f7 + rf - pf)
    sinceHuddle = sinceHuddle === null ? null : Math.max(0, sinceHuddle + rh - ph)
  }

  const row: BoardClient = {
    ...cl,
    today,
    last_contact_at: last,
    days_since_contact: days,
    contacts_this_week: all,
    face_to_face_this_week: f2f,
    contacts_7d: all7,
    face_to_face_7d: f2f7,
    since_last_huddle: sinceHuddle,
  }
  return { board: { ...b, clients: replaceAt(clients, i, row) }, reason }
}

// ---------------------------------------------------------------------------
// Flags

/** Emergency, urgent, watch; newest first within a severity (src/api/flags.rs `sort`). */
export function compareFlags(a: FlagOut, b: FlagOut): number {
  return severityRank(a.severity) - severityRank(b.severity) || compareInstants(b.raised_at, a.raised_at)
}

function applyFlag(b: Board, f: FlagOut, resolved: boolean): Board {
  const open = !resolved && f.resolved_at == null
  const withFlag = (list: FlagOut[]) => {
    const rest = list.some((x) => x.id === f.id) ? list.filter((x) => x.id !== f.id) : list
    return open ? insertSorted(rest, f, compareFlags) : rest
  }
  const open_flags = withFlag(b.open_flags)
  const i = clientIndex(b, f.client_id)
  if (i < 0) return { ...b, open_flags }
  const cl = b.clients[i]
  const row = { ...cl, open_flags: withFlag(cl.open_flags) }
  return { ...b, open_flags, clients: placeClient(b.clients, i, row) }
}

/** The open flags without those of a client transferred out (its open flags moved with it). */
function withoutFlagsOf(list: FlagOut[], clientId: Uuid, flagIds: readonly Uuid[]): FlagOut[] {
  const gone = (f: FlagOut) => f.client_id === clientId || flagIds.includes(f.id)
  return list.some(gone) ? list.filter((f) => !gone(f)) : list
}

// ---------------------------------------------------------------------------
// Staff, shifts, handoffs

function compareStaff(a: BoardStaff, b: BoardStaff): number {
  return compareText(a.display_name, b.display_name)
}

/** A shift covers [starts_at, ends_at) (board_rules.rs `covers`); `t` in ms since the epoch. */
function covers(s: ShiftOut, t: number): boolean {
  const now = instantOf(t)
  return s.starts_at <= now && now < s.ends_at
}

function ended(s: ShiftOut, t: number): boolean {
  return s.ends_at <= instantOf(t)
}

/** Which of two covering shifts is on call: the later start, then the greater id (board_rules.rs `on_call_now`). */
function compareOnCall(a: ShiftOut, b: ShiftOut): number {
  return compareInstants(a.starts_at, b.starts_at) || compareText(a.id, b.id)
}

/** The shift on call at `t`: of those covering it, the latest-starting, then the greatest id. */
function latestCovering(shifts: readonly ShiftOut[], t: number): ShiftOut | null {
  let best: ShiftOut | null = null
  for (const s of shifts) {
    if (covers(s, t) && (!best || compareOnCall(s, best) > 0)) best = s
  }
  return best
}

function startsAfter(s: ShiftOut, t: number): boolean {
  return s.starts_at > instantOf(t)
}

/** Which of two upcoming shifts comes first: the earlier start, then the greater id (board_rules.rs `next_on_call`). */
function compareNext(a: ShiftOut, b: ShiftOut): number {
  return compareInstants(a.starts_at, b.starts_at) || compareText(b.id, a.id)
}

/** Who is on call next after `t`: the known shift starting soonest after it, then the greatest id (board_rules.rs `next_on_call`). */
export function nextOnCall(shifts: readonly ShiftOut[], t: number): ShiftOut | null {
  let best: ShiftOut | null = null
  for (const s of shifts) {
    if (startsAfter(s, t) && (!best || compareNext(s, best) < 0)) best = s
  }
  return best
}

/** Newest first (src/api/handoffs.rs `for_board`). */
function compareHandoffs(a: HandoffOut, b: HandoffOut): number {
  return compareInstants(b.created_at, a.created_at)
}

// ---------------------------------------------------------------------------
// Views of the model at a given time

/**
 * Who is on call at `nowMs`: the latest-starting known shift covering it. The
 * board's `on_call` was right when it was read; shifts end and begin since.
 */
export function onCallNow(model: BoardModel, nowMs: number): ShiftOut | null {
  return latestCovering(model.shifts, nowMs)
}

/** A huddle nobody has stepped for this long is over (someone forgot "End huddle"). */
export const HUDDLE_IDLE_MS = 15 * 60_000

/** Is the team's huddle running: focused on a client and stepped within HUDDLE_IDLE_MS? */
export function huddleRunning(focus: HuddleFocus | null | undefined, nowMs: number): boolean {
  return !!focus?.client_id && nowMs - instantMs(focus.at) < HUDDLE_IDLE_MS
}

/** Unacknowledged after its due time (src/domain/handoff.rs `is_overdue`). */
export function isHandoffOverdue(h: HandoffOut, nowMs: number): boolean {
  return h.acknowledged_at == null && nowMs > instantMs(h.due_at)
}

/** The handoffs the board shows at `nowMs`: unacknowledged, or acknowledged in the last 24 hours. */
export function visibleHandoffs(model: BoardModel, nowMs: number): HandoffOut[] {
  return model.board.handoffs.filter((h) => h.acknowledged_at == null || instantMs(h.acknowledged_at) > nowMs - 86_400_000)
}

/** The day's contacts by staff member (a contact with two staff is in both lists), in time order. */
export function todayByStaff(model: BoardModel): Map<Uuid, ContactOut[]> {
  const out = new Map<Uuid, ContactOut[]>()
  for (const c of model.board.clients) {
    for (const t of c.today) {
      for (const s of t.staff_ids) {
        let list = out.get(s)
        if (!list) out.set(s, (list = []))
        list.push(t)
      }
    }
  }
  const order = contactOrder(model.untimedFirst)
  for (const list of out.values()) list.sort(order)
  return out
}

/**
 * Why the board is out of date at `nowMs` although no event is missing, or null:
 * the team-local day has moved on (the board's "today", reviews and week are
 * another day's), or the on-call shift it names has ended. Only a fresh
 * snapshot tells what replaced them.
 */
export function staleness(model: BoardModel, nowMs: number): string | null {
  const b = model.board
  const today = localDay(nowMs, b.team.timezone)
  if (today !== null && today > b.day) return `day:${today}`
  if (b.on_call && ended(b.on_call, nowMs) && onCallNow(model, nowMs) === null) {
    return `on_call_ended:${b.on_call.id}`
  }
  // The next shift has begun: only the server knows the one after it.
  if (b.on_call_next && !startsAfter(b.on_call_next, nowMs)) return `on_call_next_started:${b.on_call_next.id}`
  return null
}

// ---------------------------------------------------------------------------
// Array helpers (all return new arrays)

function insertSorted<T>(list: readonly T[], item: T, cmp: (a: T, b: T) => number): T[] {
  let i = list.findIndex((x) => cmp(x, item) > 0)
  if (i < 0) i = list.length
  return [...list.slice(0, i), item, ...list.slice(i)]
}

function replaceAt<T>(list: readonly T[], i: number, item: T): T[] {
  const out = list.slice()
  out[i] = item
  return out
}

function removeAt<T>(list: readonly T[], i: number): T[] {
  return [...list.slice(0, i), ...list.slice(i + 1)]
}
