// The board rules the server keeps too (src/domain/board_rules.rs), checked
// against the shared vectors: tests/vectors/board_rules.json. Every case is
// checked twice: with model.ts's rule functions directly, and through the
// live model (a snapshot and events), which is how the rules reach a screen.

import { describe, expect, it } from 'vitest'
import vectorFile from '../../../tests/vectors/board_rules.json'
import {
  applyEvent,
  applySnapshot,
  compareClients,
  compareFlags,
  lastSeenWords,
  moveSlot,
  nextOnCall,
  onCallNow,
  rollingCounts,
  rollingStart,
  slotHolder,
  weekCounts,
  type BoardModel,
} from './model.ts'
import type { BoardClient, BoardStaff, EventFrame, FlagOut } from './types.ts'
import { ANN, board, boardClient, clientOut, contact, ev, flag, shift } from './test-fixtures.ts'

interface Case<I, E> {
  name: string
  note?: string
  input: I
  expected: E
}

interface FlagFacts {
  severity: string
  resolved?: boolean
}
interface RosterEntry {
  id: string
  family_name: string
  given_name: string
  flags?: FlagFacts[]
}
interface SlotFacts {
  status: string
  case_manager_id: string | null
}
interface ContactFacts {
  client_id: string
  day: string
  status: string
  kind: string
}
interface WeekCountsOut {
  all: number
  face_to_face: number
}
interface RollingOut {
  contacts_7d: number
  face_to_face_7d: number
  since_last_huddle: number | null
}
interface ShiftFacts {
  id: string
  starts_at: string
  ends_at: string
}

interface Vectors {
  about: string[]
  roster_order: Case<{ clients: RosterEntry[] }, string[]>[]
  slot_holder: Case<SlotFacts, string | null>[]
  slot_counts: Case<{ clients: SlotFacts[] }, Record<string, number>>[]
  slot_moves: Case<{ counts: Record<string, number>; before: SlotFacts | null; after: SlotFacts | null }, Record<string, number>>[]
  week_counts: Case<{ week_start: string; week_end: string; contacts: ContactFacts[] }, Record<string, WeekCountsOut>>[]
  on_call_now: Case<{ now: string; shifts: ShiftFacts[] }, string | null>[]
  rolling_counts: Case<{ day: string; last_huddle_day: string | null; contacts: ContactFacts[] }, Record<string, RollingOut>>[]
  next_on_call: Case<{ now: string; shifts: ShiftFacts[] }, string | null>[]
  last_seen: Case<{ days_since_contact: number | null }, string>[]
}

const vectors = vectorFile as Vectors
const RULES = [
  'roster_order',
  'slot_holder',
  'slot_counts',
  'slot_moves',
  'week_counts',
  'on_call_now',
  'rolling_counts',
  'next_on_call',
  'last_seen',
] as const

/** Apply events in order, taking each result (a needSnapshot is fine here: only the rule's output is checked). */
function play(model: BoardModel, events: EventFrame[], now: number): BoardModel {
  for (const e of events) model = applyEvent(model, e, () => now).model
  return model
}

const T0 = '2026-11-25T08:00:00.000000Z'

// ---------------------------------------------------------------------------
// Roster order

function rosterClient(c: RosterEntry): BoardClient {
  const open = (c.flags ?? []).filter((f) => !f.resolved).map((f, i) => flag(`${c.id}-f${i}`, c.id, f.severity, T0))
  return boardClient(c.id, c.family_name, { given_name: c.given_name, open_flags: open.sort(compareFlags) })
}

/** The roster reached through events: the clients admitted one by one, then their flags raised and the resolved ones resolved. */
function rosterThroughEvents(clients: RosterEntry[]): string[] {
  const events: EventFrame[] = []
  let seq = 10
  for (const c of clients) {
    events.push(ev(++seq, 'client.created', clientOut(c.id, c.family_name, { given_name: c.given_name, version: 1 })))
  }
  const raised: FlagOut[] = []
  for (const c of clients) {
    ;(c.flags ?? []).forEach((f, i) => {
      const fl = flag(`${c.id}-f${i}`, c.id, f.severity, `2026-11-25T08:00:${String(seq % 60).padStart(2, '0')}.000000Z`)
      events.push(ev(++seq, 'flag.raised', fl))
      if (f.resolved) raised.push(fl)
    })
  }
  for (const fl of raised) {
    events.push(ev(++seq, 'flag.resolved', { ...fl, resolved_by: ANN, resolved_at: '2026-11-25T09:00:00.000000Z', outcome: 'ok', version: 2 }))
  }
  const m = play(applySnapshot(board({ clients: [] })), events, Date.parse('2026-11-25T15:00:00.000000Z'))
  return m.board.clients.map((c) => c.id)
}

// ---------------------------------------------------------------------------
// Caseload slots

function staffOf(counts: Record<string, number>): BoardStaff[] {
  return Object.entries(counts).map(([id, caseload]) => ({ id, display_name: id, discipline: 'nursing', role: 'member', caseload }))
}

function countsOf(staff: readonly BoardStaff[]): Record<string, number> {
  return Object.fromEntries(staff.map((s) => [s.id, s.caseload]))
}

/** A client write reached through events on an ICM board: created, updated (also from discharged: a readmission) or transferred out. */
function slotMoveThroughEvents(counts: Record<string, number>, before: SlotFacts | null, after: SlotFacts | null): Record<string, number> {
  const onRoster = before !== null && before.status !== 'discharged'
  const b = board({
    team: { ...board().team, mode: 'icm' },
    staff: staffOf(counts),
    clients: onRoster ? [boardClient('c-x', 'Xu', { status: before.status, case_manager_id: before.case_manager_id })] : [],
  })
  const data = after && clientOut('c-x', 'Xu', { status: after.status, case_manager_id: after.case_manager_id })
  const e = !data
    ? ev(11, 'client.transferred_out', { id: 'c-x', to_team_id: 'other-team', flag_ids: [] })
    : before === null
      ? ev(11, 'client.created', data)
      : ev(11, 'client.updated', data)
  return countsOf(play(applySnapshot(b), [e], Date.parse('2026-11-25T15:00:00.000000Z')).board.staff)
}

// ---------------------------------------------------------------------------
// Weekly counts

function weekCountsDirect(weekStart: string, weekEnd: string, contacts: ContactFacts[]): Record<string, WeekCountsOut> {
  const out: Record<string, WeekCountsOut> = {}
  for (const c of contacts) {
    const [all, f2f] = weekCounts({ week_start: weekStart, week_end: weekEnd }, c)
    if (all === 0) continue
    const o = (out[c.client_id] ??= { all: 0, face_to_face: 0 })
    o.all += all
    o.face_to_face += f2f
  }
  return out
}

/** The counts reached through events: every contact logged (contact.created) on a board of that week. */
function weekCountsThroughEvents(weekStart: string, weekEnd: string, contacts: ContactFacts[]): Record<string, WeekCountsOut> {
  const clientIds = [...new Set(contacts.map((c) => c.client_id))]
  const b = board({ day: weekStart, week_start: weekStart, week_end: weekEnd, clients: clientIds.map((id) => boardClient(id, `F${id}`)) })
  const events = contacts.map((c, i) => ev(11 + i, 'contact.created', contact(`k${i}`, c.client_id, { day: c.day, status: c.status, kind: c.kind })))
  const m = play(applySnapshot(b), events, Date.parse(`${weekStart}T12:00:00.000000Z`))
  const out: Record<string, WeekCountsOut> = {}
  for (const c of m.board.clients) {
    if (c.contacts_this_week > 0 || c.face_to_face_this_week > 0) out[c.id] = { all: c.contacts_this_week, face_to_face: c.face_to_face_this_week }
  }
  return out
}

// ---------------------------------------------------------------------------
// On call now

/** The board's on_call reached through events: every shift created, in the order given, with the clock at `now`. */
function onCallThroughEvents(now: number, shifts: ShiftFacts[]): string | null {
  const events = shifts.map((s, i) => ev(11 + i, 'shift.created', shift(s.id, ANN, s.starts_at, s.ends_at)))
  return play(applySnapshot(board()), events, now).board.on_call?.id ?? null
}

// ---------------------------------------------------------------------------
// Rolling counts

function rollingDirect(day: string, lastHuddle: string | null, contacts: ContactFacts[]): Record<string, RollingOut> {
  const b = { day, rolling_start: rollingStart(day), last_huddle_day: lastHuddle }
  const out: Record<string, RollingOut> = {}
  for (const c of contacts) {
    const [all, f2f, since] = rollingCounts(b, c)
    if (all === 0 && since === 0) continue
    const o = (out[c.client_id] ??= { contacts_7d: 0, face_to_face_7d: 0, since_last_huddle: lastHuddle === null ? null : 0 })
    o.contacts_7d += all
    o.face_to_face_7d += f2f
    if (o.since_last_huddle !== null) o.since_last_huddle += since
  }
  return out
}

/** The rolling counts reached through events: every contact logged (contact.created) on a board of that day. */
function rollingThroughEvents(day: string, lastHuddle: string | null, contacts: ContactFacts[]): Record<string, RollingOut> {
  const clientIds = [...new Set(contacts.map((c) => c.client_id))]
  const clients = clientIds.map((id) => boardClient(id, `F${id}`, { since_last_huddle: lastHuddle === null ? null : 0 }))
  const b = board({ day, rolling_start: rollingStart(day), last_huddle_day: lastHuddle, clients })
  const events = contacts.map((c, i) => ev(11 + i, 'contact.created', contact(`k${i}`, c.client_id, { day: c.day, status: c.status, kind: c.kind })))
  const m = play(applySnapshot(b), events, Date.parse(`${day}T12:00:00.000000Z`))
  const out: Record<string, RollingOut> = {}
  for (const c of m.board.clients) {
    if (c.contacts_7d > 0 || (c.since_last_huddle ?? 0) > 0) {
      out[c.id] = { contacts_7d: c.contacts_7d, face_to_face_7d: c.face_to_face_7d, since_last_huddle: c.since_last_huddle ?? null }
    }
  }
  return out
}

/** The board's on_call_next reached through events: every shift created, in the order given, with the clock at `now`. */
function nextThroughEvents(now: number, shifts: ShiftFacts[]): string | null {
  const events = shifts.map((s, i) => ev(11 + i, 'shift.created', shift(s.id, ANN, s.starts_at, s.ends_at)))
  return play(applySnapshot(board()), events, now).board.on_call_next?.id ?? null
}

// ---------------------------------------------------------------------------

describe('board rule vectors (tests/vectors/board_rules.json)', () => {
  it('has every rule, each with cases', () => {
    expect(Object.keys(vectors).sort()).toEqual(['about', ...RULES].sort())
    for (const r of RULES) expect(vectors[r].length, r).toBeGreaterThanOrEqual(3)
  })

  describe('roster order', () => {
    it.each(vectors.roster_order.map((c) => [c.name, c] as const))('%s', (_, c) => {
      const sorted = c.input.clients.map(rosterClient).sort(compareClients)
      expect(sorted.map((x) => x.id)).toEqual(c.expected)
      // Reversed input: the order does not depend on where the clients started.
      const reversed = c.input.clients.map(rosterClient).reverse().sort(compareClients)
      expect(reversed.map((x) => x.id)).toEqual(c.expected)
      expect(rosterThroughEvents(c.input.clients)).toEqual(c.expected)
    })
  })

  describe('caseload slots', () => {
    it.each(vectors.slot_holder.map((c) => [c.name, c] as const))('holder: %s', (_, c) => {
      expect(slotHolder(c.input.status, c.input.case_manager_id)).toBe(c.expected)
    })

    it.each(vectors.slot_counts.map((c) => [c.name, c] as const))('counts: %s', (_, c) => {
      const holders = c.input.clients.map((x) => slotHolder(x.status, x.case_manager_id)).filter((h): h is string => h !== null)
      let staff = staffOf(Object.fromEntries(holders.map((h) => [h, 0])))
      for (const h of holders) staff = moveSlot(staff, null, h)
      expect(countsOf(staff)).toEqual(c.expected)
    })

    it.each(vectors.slot_moves.map((c) => [c.name, c] as const))('moves: %s', (_, c) => {
      const { counts, before, after } = c.input
      const staff = moveSlot(
        staffOf(counts),
        before && slotHolder(before.status, before.case_manager_id),
        after && slotHolder(after.status, after.case_manager_id),
      )
      expect(countsOf(staff)).toEqual(c.expected)
      expect(slotMoveThroughEvents(counts, before, after)).toEqual(c.expected)
    })
  })

  describe('weekly counts', () => {
    it.each(vectors.week_counts.map((c) => [c.name, c] as const))('%s', (_, c) => {
      const { week_start, week_end, contacts } = c.input
      expect(weekCountsDirect(week_start, week_end, contacts)).toEqual(c.expected)
      expect(weekCountsThroughEvents(week_start, week_end, contacts)).toEqual(c.expected)
    })
  })

  describe('on call now', () => {
    it.each(vectors.on_call_now.map((c) => [c.name, c] as const))('%s', (_, c) => {
      const now = Date.parse(c.input.now)
      // The vectors' `now` is a whole millisecond, as the browser's clock.
      expect(new Date(now).toISOString().slice(0, 23) + '000Z').toBe(c.input.now)
      const shifts = c.input.shifts.map((s) => shift(s.id, ANN, s.starts_at, s.ends_at))
      const model: BoardModel = { ...applySnapshot(board()), shifts }
      expect(onCallNow(model, now)?.id ?? null).toBe(c.expected)
      expect(onCallThroughEvents(now, c.input.shifts)).toBe(c.expected)
      expect(onCallThroughEvents(now, [...c.input.shifts].reverse())).toBe(c.expected)
    })
  })

  describe('rolling counts', () => {
    it.each(vectors.rolling_counts.map((c) => [c.name, c] as const))('%s', (_, c) => {
      const { day, last_huddle_day, contacts } = c.input
      expect(rollingDirect(day, last_huddle_day, contacts)).toEqual(c.expected)
      expect(rollingThroughEvents(day, last_huddle_day, contacts)).toEqual(c.expected)
    })
  })

  describe('on call next', () => {
    it.each(vectors.next_on_call.map((c) => [c.name, c] as const))('%s', (_, c) => {
      const now = Date.parse(c.input.now)
      const shifts = c.input.shifts.map((s) => shift(s.id, ANN, s.starts_at, s.ends_at))
      expect(nextOnCall(shifts, now)?.id ?? null).toBe(c.expected)
      expect(nextThroughEvents(now, c.input.shifts)).toBe(c.expected)
      expect(nextThroughEvents(now, [...c.input.shifts].reverse())).toBe(c.expected)
    })
  })

  describe('last seen', () => {
    it.each(vectors.last_seen.map((c) => [c.name, c] as const))('%s', (_, c) => {
      expect(lastSeenWords(c.input.days_since_contact)).toBe(c.expected)
    })
  })
})
