import { describe, expect, it } from 'vitest'
import {
  applyEvent,
  applySnapshot,
  HUDDLE_IDLE_MS,
  huddleRunning,
  isHandoffOverdue,
  onCallNow,
  staleness,
  todayByStaff,
  visibleHandoffs,
  type ApplyResult,
  type BoardModel,
} from './model.ts'
import { compareInstants, daysBetween, instantOf } from './time.ts'
import type { EventFrame, HandoffOut } from './types.ts'
import {
  ANN,
  BOB,
  CAT,
  DAY,
  NOW,
  TEAM_ID,
  board,
  boardClient,
  clientOut,
  contact,
  deepFreeze,
  ev,
  flag,
  shift,
} from './test-fixtures.ts'

const now = () => NOW

/** Apply events in order; every one must apply without needing a snapshot. */
function play(model: BoardModel, ...events: EventFrame[]): BoardModel {
  for (const e of events) {
    const r = applyEvent(model, e, now)
    if (r.needSnapshot) throw new Error(`unexpected needSnapshot: ${r.reason}`)
    model = r.model
  }
  return model
}

function client(model: BoardModel, id: string) {
  const c = model.board.clients.find((x) => x.id === id)
  if (!c) throw new Error(`no client ${id}`)
  return c
}

const ids = (list: { id: string }[]) => list.map((x) => x.id)

describe('time helpers', () => {
  it("compares the server's fixed-format instants as strings, to the microsecond", () => {
    expect(compareInstants('2026-11-25T10:00:00.000000Z', '2026-11-25T10:00:00.500000Z')).toBeLessThan(0)
    expect(compareInstants('2026-11-25T10:00:00.000001Z', '2026-11-25T10:00:00.000000Z')).toBeGreaterThan(0)
    expect(compareInstants('2026-11-25T10:00:00.100000Z', '2026-11-25T10:00:00.100000Z')).toBe(0)
    expect(compareInstants('2026-11-25T09:59:59.999999Z', '2026-11-25T10:00:00.000000Z')).toBeLessThan(0)
    expect(compareInstants('2026-12-31T23:59:59.999999Z', '2027-01-01T00:00:00.000000Z')).toBeLessThan(0)
  })

  it('writes an instant in the server format', () => {
    expect(instantOf(Date.UTC(2026, 10, 25, 15, 0, 0, 123))).toBe('2026-11-25T15:00:00.123000Z')
    expect(instantOf(NOW)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/)
  })

  it('counts days between team-local days', () => {
    expect(daysBetween('2026-11-20', DAY)).toBe(5)
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2)
  })
})

describe('applySnapshot', () => {
  it('keeps the document and knows the day contacts and the on-call shift', () => {
    const oc = shift('s1', ANN, '2026-11-25T08:00:00.000000Z', '2026-11-25T20:00:00.000000Z')
    const b = board({
      on_call: oc,
      clients: [boardClient('c1', 'Adams', { today: [contact('k1', 'c1')] })],
    })
    const m = applySnapshot(b, 12)
    expect(m.seq).toBe(12)
    expect(m.board.seq).toBe(12)
    expect(m.board.clients).toBe(b.clients)
    expect([...m.contacts.keys()]).toEqual(['k1'])
    expect(m.shifts).toEqual([oc])
  })
})

describe('unknown kinds and purity', () => {
  it('signals needSnapshot for an unknown kind and leaves the model as it was', () => {
    const m = applySnapshot(board())
    const r = applyEvent(m, { type: 'event', seq: 11, kind: 'caseload.rebalanced', data: {}, actor: null, at: '' }, now)
    expect(r.needSnapshot).toBe(true)
    expect(r.model).toBe(m)
  })

  it('reads a snapshot after a client import (one event for a whole file, counts only)', () => {
    const m = applySnapshot(board())
    const r = applyEvent(m, { type: 'event', seq: m.seq + 1, kind: 'clients.imported', data: { created: 120, updated: 3 }, actor: null, at: '' }, now)
    expect(r.needSnapshot).toBe(true)
    expect(r.model.board.clients).toBe(m.board.clients)
  })

  it('never mutates its input and shares what did not change', () => {
    const m = applySnapshot(
      deepFreeze(
        board({
          clients: [
            boardClient('c-adams', 'Adams', { today: [contact('k1', 'c-adams')] }),
            boardClient('c-baker', 'Baker'),
          ],
        }),
      ),
    )
    const before = JSON.stringify(m.board)
    const size = m.contacts.size
    const events: EventFrame[] = [
      ev(11, 'flag.raised', flag('f1', 'c-baker', 'urgent', '2026-11-25T09:00:00.000000Z')),
      ev(12, 'contact.updated', { ...contact('k1', 'c-adams'), status: 'completed', version: 2 }),
      ev(13, 'contact.created', contact('k2', 'c-baker')),
      ev(14, 'review.marked', { day: DAY, client_id: 'c-adams', reviewed_by: ANN, reviewed_at: '2026-11-25T09:00:00.000000Z' }),
      ev(15, 'client.updated', clientOut('c-adams', 'Adams', { status: 'discharged' })),
      ev(16, 'member.updated', { staff_id: CAT, username: 'cat', display_name: 'Cat', discipline: 'psychiatry', role: 'member' }),
      ev(17, 'handoff.created', handoff('h1', '2026-11-25T10:00:00.000000Z')),
      ev(18, 'shift.created', shift('s1', ANN, '2026-11-25T08:00:00.000000Z', '2026-11-25T20:00:00.000000Z')),
    ]
    const next = play(m, ...events)
    expect(JSON.stringify(m.board)).toBe(before)
    expect(m.contacts.size).toBe(size)
    expect(next.seq).toBe(18)
    expect(next.board.seq).toBe(18)

    // Untouched parts are shared.
    const r = applyEvent(m, ev(11, 'flag.raised', flag('f2', 'c-baker', 'watch', '2026-11-25T09:00:00.000000Z')), now)
    expect(client(r.model, 'c-adams')).toBe(client(m, 'c-adams'))
    expect(r.model.board.staff).toBe(m.board.staff)
  })
})

describe('clients', () => {
  it('upserts: a new client takes its place in name order; an update keeps flags and contacts', () => {
    let m = applySnapshot(board())
    m = play(m, ev(11, 'client.created', clientOut('c-bell', 'Bell', { version: 1 })))
    expect(ids(m.board.clients)).toEqual(['c-adams', 'c-baker', 'c-bell', 'c-clark'])
    expect(m.board.roster_count).toBe(4)
    expect(client(m, 'c-bell').display_name).toBe('Given Bell')

    m = play(
      m,
      ev(12, 'contact.created', contact('k1', 'c-bell')),
      ev(13, 'client.updated', clientOut('c-bell', 'Bell', { preferred_name: 'Bee', risk_tier: 'high', version: 2 })),
    )
    const bell = client(m, 'c-bell')
    expect(bell.display_name).toBe('Bee Bell')
    expect(bell.risk_tier).toBe('high')
    expect(ids(bell.today)).toEqual(['k1'])
  })

  it('removes a client on discharge and on transfer out, with the counts', () => {
    let m = applySnapshot(
      board({
        clients: [
          boardClient('c-adams', 'Adams', { reviewed: true }),
          boardClient('c-baker', 'Baker', { reviewed: true }),
          boardClient('c-clark', 'Clark'),
        ],
      }),
    )
    expect(m.board.reviewed_count).toBe(2)
    m = play(m, ev(11, 'client.updated', clientOut('c-adams', 'Adams', { status: 'discharged' })))
    expect(ids(m.board.clients)).toEqual(['c-baker', 'c-clark'])
    expect(m.board.roster_count).toBe(2)
    expect(m.board.reviewed_count).toBe(1)

    m = play(m, ev(12, 'client.transferred_out', { id: 'c-clark', to_team_id: 'other-team', flag_ids: [] }))
    expect(ids(m.board.clients)).toEqual(['c-baker'])
    expect(m.board.roster_count).toBe(1)
  })

  it('a client.updated naming a client new to the board (transfer in) is added and asks for a snapshot', () => {
    const m = applySnapshot(board())
    const r = applyEvent(m, ev(11, 'client.updated', clientOut('c-abel', 'Abel')), now)
    expect(r.needSnapshot).toBe(true)
    expect(ids(r.model.board.clients)[0]).toBe('c-abel')
  })

  it('on a privacy display shows the initials', () => {
    const m = applySnapshot(board({ privacy: 'initials' }))
    const data = clientOut('c-dove', 'Dove', { version: 1, display_name: 'GD' })
    delete data.given_name
    delete data.family_name
    delete data.preferred_name
    delete data.external_id
    const next = play(m, ev(11, 'client.created', data))
    const dove = client(next, 'c-dove')
    expect(dove.display_name).toBe('GD')
    expect('given_name' in dove).toBe(false)
  })

  it('keeps ICM caseloads: assignment, discharge and transfer out', () => {
    let m = applySnapshot(board({ team: { ...board().team, mode: 'icm' } }))
    m = play(m, ev(11, 'client.updated', clientOut('c-adams', 'Adams', { case_manager_id: ANN })))
    expect(m.board.staff.find((s) => s.id === ANN)?.caseload).toBe(1)
    m = play(m, ev(12, 'client.updated', clientOut('c-adams', 'Adams', { case_manager_id: BOB, version: 3 })))
    expect(m.board.staff.map((s) => s.caseload)).toEqual([0, 1])
    m = play(m, ev(13, 'client.updated', clientOut('c-baker', 'Baker', { case_manager_id: BOB })))
    m = play(m, ev(14, 'client.updated', clientOut('c-adams', 'Adams', { status: 'discharged', case_manager_id: BOB, version: 4 })))
    m = play(m, ev(15, 'client.transferred_out', { id: 'c-baker', to_team_id: 'other', flag_ids: [] }))
    expect(m.board.staff.map((s) => s.caseload)).toEqual([0, 0])
  })
})

describe('absences', () => {
  const absence = (over: Record<string, unknown> = {}) => ({
    id: 'abs-1',
    team_id: 'team',
    staff_id: ANN,
    from: DAY,
    to: DAY,
    covered_by: BOB,
    reason: null,
    created_by: ANN,
    created_at: '2026-11-25T15:00:00.000000Z',
    ...over,
  })

  it("shows who is out on the board's day, and clears it when the absence is cancelled", () => {
    let m = applySnapshot(board())
    m = play(m, ev(11, 'absence.created', absence({ from: '2026-11-01', to: '2026-12-31' })))
    expect(m.board.staff.find((s) => s.id === ANN)?.absent_today).toEqual({
      absence_id: 'abs-1',
      from: '2026-11-01',
      until: '2026-12-31',
      covered_by: BOB,
    })
    expect(m.board.staff.find((s) => s.id === BOB)?.absent_today ?? null).toBeNull()
    // A renamed member keeps the absence.
    m = play(m, ev(12, 'member.updated', { staff_id: ANN, username: 'ann', display_name: 'Ann B', discipline: 'nursing', role: 'lead' }))
    expect(m.board.staff.find((s) => s.id === ANN)?.absent_today?.absence_id).toBe('abs-1')
    // Another absence's cancellation changes nothing; this one's clears the row.
    m = play(m, ev(13, 'absence.deleted', { id: 'abs-other', staff_id: ANN }))
    expect(m.board.staff.find((s) => s.id === ANN)?.absent_today?.absence_id).toBe('abs-1')
    m = play(m, ev(14, 'absence.deleted', { id: 'abs-1', staff_id: ANN }))
    expect(m.board.staff.find((s) => s.id === ANN)?.absent_today).toBeNull()
  })

  it("ignores an absence that does not cover the board's day", () => {
    const m0 = applySnapshot(board())
    const m = play(m0, ev(11, 'absence.created', absence({ id: 'abs-2', from: '2030-01-01', to: '2030-01-02' })))
    expect(m.board.staff).toBe(m0.board.staff)
  })
})

describe('flags', () => {
  it('orders open flags emergency > urgent > watch, newest first, on the board and per client', () => {
    let m = applySnapshot(board())
    m = play(
      m,
      ev(11, 'flag.raised', flag('w-old', 'c-clark', 'watch', '2026-11-25T08:00:00.000000Z')),
      ev(12, 'flag.raised', flag('u-old', 'c-clark', 'urgent', '2026-11-25T08:30:00.000000Z')),
      ev(13, 'flag.raised', flag('e', 'c-baker', 'emergency', '2026-11-25T07:00:00.000000Z')),
      ev(14, 'flag.raised', flag('w-new', 'c-adams', 'watch', '2026-11-25T09:00:00.500000Z')),
      ev(15, 'flag.raised', flag('u-new', 'c-clark', 'urgent', '2026-11-25T09:00:00.000000Z')),
    )
    expect(ids(m.board.open_flags)).toEqual(['e', 'u-new', 'u-old', 'w-new', 'w-old'])
    expect(ids(client(m, 'c-clark').open_flags)).toEqual(['u-new', 'u-old', 'w-old'])
    // Flagged clients first, by their worst flag; the rest keep name order.
    expect(ids(m.board.clients)).toEqual(['c-baker', 'c-clark', 'c-adams'])

    // Acknowledged flags stay open (updated in place); resolved ones leave.
    m = play(
      m,
      ev(16, 'flag.acknowledged', flag('e', 'c-baker', 'emergency', '2026-11-25T07:00:00.000000Z', { acknowledged_by: BOB, acknowledged_at: '2026-11-25T07:05:00.000000Z', version: 2 })),
      ev(17, 'flag.resolved', flag('u-new', 'c-clark', 'urgent', '2026-11-25T09:00:00.000000Z', { resolved_by: BOB, resolved_at: '2026-11-25T10:00:00.000000Z', outcome: 'ok', version: 2 })),
      ev(18, 'flag.resolved', flag('u-old', 'c-clark', 'urgent', '2026-11-25T08:30:00.000000Z', { resolved_by: BOB, resolved_at: '2026-11-25T10:00:00.000000Z', outcome: 'ok', version: 2 })),
    )
    expect(ids(m.board.open_flags)).toEqual(['e', 'w-new', 'w-old'])
    expect(m.board.open_flags[0].acknowledged_by).toBe(BOB)
    expect(ids(client(m, 'c-clark').open_flags)).toEqual(['w-old'])
    // Adams (watch) and Clark (watch) are back in name order after Baker.
    expect(ids(m.board.clients)).toEqual(['c-baker', 'c-adams', 'c-clark'])

    m = play(m, ev(19, 'flag.resolved', flag('e', 'c-baker', 'emergency', '2026-11-25T07:00:00.000000Z', { resolved_at: '2026-11-25T11:00:00.000000Z', version: 3 })))
    expect(ids(m.board.clients)).toEqual(['c-adams', 'c-clark', 'c-baker'])
  })

  it('adds every responder and shows an escalation in place', () => {
    const raised = '2026-11-25T07:00:00.000000Z'
    let m = play(applySnapshot(board()), ev(11, 'flag.raised', flag('e', 'c-baker', 'emergency', raised)))
    const responders = [
      { staff_id: ANN, display_name: 'Ann', initials: 'A', at: '2026-11-25T07:01:00.000000Z' },
      { staff_id: BOB, display_name: 'Bob', initials: 'B', at: '2026-11-25T07:02:00.000000Z' },
    ]
    const escalated = flag('e', 'c-baker', 'emergency', raised, { escalated_at: '2026-11-25T07:10:00.000000Z', version: 2 })
    m = play(m, ev(12, 'flag.escalated', { flag: escalated, on_call_staff_id: BOB, lead_ids: [ANN], alert_staff_ids: [BOB, ANN] }))
    expect(m.board.open_flags[0].escalated_at).toBe('2026-11-25T07:10:00.000000Z')
    expect(client(m, 'c-baker').open_flags[0].escalated_at).toBe('2026-11-25T07:10:00.000000Z')
    m = play(m, ev(13, 'flag.acknowledged', { ...escalated, acknowledged_by: ANN, acknowledged_at: responders[0].at, responders, version: 4 }))
    expect(m.board.open_flags[0].responders.map((r) => r.staff_id)).toEqual([ANN, BOB])
    expect(ids(m.board.open_flags)).toEqual(['e'])
  })

  it('a transfer out takes the client\'s open flags off the board; a transfer in brings them', () => {
    let m = play(
      applySnapshot(board()),
      ev(11, 'flag.raised', flag('f1', 'c-clark', 'urgent', '2026-11-25T09:00:00.000000Z')),
      ev(12, 'flag.raised', flag('f2', 'c-adams', 'watch', '2026-11-25T09:00:00.000000Z')),
    )
    m = play(m, ev(13, 'client.transferred_out', { id: 'c-clark', to_team_id: 'other-team', flag_ids: ['f1'] }))
    expect(ids(m.board.open_flags)).toEqual(['f2'])
    expect(ids(m.board.clients)).toEqual(['c-adams', 'c-baker'])

    // The receiving team: the client arrives (a snapshot is asked for: its history), then its flags.
    const r = applyEvent(m, ev(14, 'client.updated', clientOut('c-dove', 'Dove')), now)
    expect(r.needSnapshot).toBe(true)
    m = play(r.model, ev(15, 'flag.transferred_in', flag('f9', 'c-dove', 'emergency', '2026-11-25T06:00:00.000000Z', { version: 2 })))
    expect(ids(m.board.open_flags)).toEqual(['f9', 'f2'])
    expect(ids(client(m, 'c-dove').open_flags)).toEqual(['f9'])
    expect(ids(m.board.clients)[0]).toBe('c-dove')
  })

  it('keeps a flag of a client not on the roster in the board-level list only', () => {
    const m = play(applySnapshot(board()), ev(11, 'flag.raised', flag('f', 'c-gone', 'urgent', '2026-11-25T09:00:00.000000Z')))
    expect(ids(m.board.open_flags)).toEqual(['f'])
    expect(m.board.clients.every((c) => c.open_flags.length === 0)).toBe(true)
  })
})

describe('contacts', () => {
  it("places a contact in its client's today list by start time, and removes it when it moves to another day", () => {
    let m = applySnapshot(board())
    m = play(
      m,
      ev(11, 'contact.created', contact('k-late', 'c-adams', { start: '15:00' })),
      ev(12, 'contact.created', contact('k-untimed', 'c-adams', { start: null })),
      ev(13, 'contact.created', contact('k-early', 'c-adams', { start: '09:00' })),
      ev(14, 'contact.created', contact('k-tomorrow', 'c-adams', { day: '2026-11-26' })),
    )
    // Untimed first, as SQLite sorts NULL (the snapshot showed no order).
    expect(ids(client(m, 'c-adams').today)).toEqual(['k-untimed', 'k-early', 'k-late'])
    m = play(m, ev(15, 'contact.updated', contact('k-early', 'c-adams', { day: '2026-11-27', version: 2 })))
    expect(ids(client(m, 'c-adams').today)).toEqual(['k-untimed', 'k-late'])
    m = play(m, ev(16, 'contact.updated', contact('k-tomorrow', 'c-adams', { day: DAY, start: '08:00', version: 2 })))
    expect(ids(client(m, 'c-adams').today)).toEqual(['k-untimed', 'k-tomorrow', 'k-late'])
  })

  it('lists untimed contacts where the snapshot does (PostgreSQL sorts NULL last)', () => {
    const pg = applySnapshot(
      board({ clients: [boardClient('c-adams', 'Adams', { today: [contact('k1', 'c-adams'), contact('k2', 'c-adams', { start: null })] })] }),
    )
    expect(pg.untimedFirst).toBe(false)
    const m = play(pg, ev(11, 'contact.created', contact('k0', 'c-adams', { start: '07:00' })))
    expect(ids(client(m, 'c-adams').today)).toEqual(['k0', 'k1', 'k2'])
  })

  it('counts a contact completed this week, and the last contact and days since', () => {
    let m = applySnapshot(board())
    m = play(
      m,
      ev(11, 'contact.created', contact('k1', 'c-adams', { day: '2026-11-23', status: 'completed' })),
      ev(12, 'contact.created', contact('k2', 'c-adams', { day: '2026-11-24', status: 'completed', kind: 'phone' })),
      ev(13, 'contact.created', contact('k-last-week', 'c-adams', { day: '2026-11-20', status: 'completed' })),
    )
    let a = client(m, 'c-adams')
    expect([a.contacts_this_week, a.face_to_face_this_week]).toEqual([2, 1])
    expect(a.last_contact_at).toBe('2026-11-24T10:00:00.000000Z')
    expect(a.days_since_contact).toBe(1)

    // Planned today, then done: counted once, last contact today.
    m = play(
      m,
      ev(14, 'contact.created', contact('k3', 'c-adams')),
      ev(15, 'contact.updated', contact('k3', 'c-adams', { status: 'completed', version: 2 })),
      ev(16, 'contact.updated', contact('k3', 'c-adams', { status: 'completed', note: 'went well', version: 3 })),
    )
    a = client(m, 'c-adams')
    expect([a.contacts_this_week, a.face_to_face_this_week]).toEqual([3, 2])
    expect(a.days_since_contact).toBe(0)
    expect(a.last_contact_at).toBe('2026-11-25T10:00:00.000000Z')

    // A known contact (not the last one) changing kind: counts move, nothing to ask.
    m = play(m, ev(17, 'contact.updated', contact('k1', 'c-adams', { day: '2026-11-23', status: 'completed', kind: 'video', version: 2 })))
    a = client(m, 'c-adams')
    expect([a.contacts_this_week, a.face_to_face_this_week]).toEqual([3, 1])
  })

  it('asks for a snapshot when the last contact is undone (the one before is not on the board)', () => {
    let m = applySnapshot(board())
    m = play(
      m,
      ev(11, 'contact.created', contact('k1', 'c-adams', { status: 'completed' })),
    )
    const r = applyEvent(m, ev(12, 'contact.updated', contact('k1', 'c-adams', { status: 'cancelled', version: 2 })), now)
    expect(r.needSnapshot).toBe(true)
    expect(client(r.model, 'c-adams').contacts_this_week).toBe(0)
  })

  it('asks for a snapshot only when an unseen contact could change the counts', () => {
    const seen = applySnapshot(
      board({ clients: [boardClient('c-adams', 'Adams', { contacts_this_week: 2, face_to_face_this_week: 2, last_contact_at: '2026-11-24T10:00:00.000000Z', days_since_contact: 1 })] }),
    )
    const r1 = applyEvent(seen, ev(11, 'contact.updated', contact('k-unseen', 'c-adams', { day: '2026-11-24', status: 'missed', version: 3 })), now)
    expect(r1.needSnapshot).toBe(true)

    const never = applySnapshot(board())
    const r2 = applyEvent(never, ev(11, 'contact.updated', contact('k-unseen', 'c-adams', { day: '2026-11-24', status: 'completed', version: 2 })), now)
    expect(r2.needSnapshot).toBe(false)
    const a = client(r2.model, 'c-adams')
    expect([a.contacts_this_week, a.days_since_contact]).toEqual([1, 1])
  })

  it('applies a recurring series: its planned visits appear, ending it cancels them, attempts count nothing', () => {
    const series = {
      id: 'vs1', team_id: TEAM_ID, client_id: 'c-adams', staff_ids: [ANN], first_day: DAY, every_days: 14,
      until: '2027-02-17', start: '10:00', end: '10:30', kind: 'face_to_face', place: 'office', activity: 'depot',
      created_by: ANN, created_at: '2026-11-25T08:00:00.000000Z', ended_at: null, ended_by: null,
    }
    const v1 = contact('k1', 'c-adams', { start: '10:00', end: '10:30', series_id: 'vs1' })
    const v2 = contact('k2', 'c-adams', { day: '2026-12-09', start: '10:00', end: '10:30', series_id: 'vs1' })
    let m = applySnapshot(board())
    const r = applyEvent(m, ev(11, 'contacts.series_created', { series, contacts: [v1, v2] }), now)
    expect(r.needSnapshot).toBe(false)
    m = r.model
    expect(ids(client(m, 'c-adams').today)).toEqual(['k1'])
    expect(client(m, 'c-adams').today[0].series_id).toBe('vs1')

    // Today's visit: tried, nobody answered. Not a contact for counts or last seen.
    m = play(m, ev(12, 'contact.updated', { ...v1, status: 'attempted', version: 2 }))
    let a = client(m, 'c-adams')
    expect([a.contacts_this_week, a.last_contact_at ?? null, a.days_since_contact ?? null]).toEqual([0, null, null])

    // Ending the series cancels the one ahead (unseen by this board's day: no snapshot needed).
    const ended = { ...series, ended_at: '2026-11-25T15:00:00.000000Z', ended_by: ANN }
    const r2 = applyEvent(m, ev(13, 'contacts.series_ended', { series: ended, contacts: [{ ...v2, status: 'cancelled', version: 2 }] }), now)
    expect(r2.needSnapshot).toBe(false)
    a = client(r2.model, 'c-adams')
    expect(a.today[0].status).toBe('attempted')
    expect(a.contacts_this_week).toBe(0)
  })

  it('a cancelled series visit this board never saw needs no snapshot (it was planned)', () => {
    const seen = applySnapshot(
      board({ clients: [boardClient('c-adams', 'Adams', { contacts_this_week: 2, face_to_face_this_week: 2, last_contact_at: '2026-11-24T10:00:00.000000Z', days_since_contact: 1 })] }),
    )
    const series = {
      id: 'vs1', team_id: TEAM_ID, client_id: 'c-adams', staff_ids: [ANN], first_day: DAY, every_days: 7,
      until: '2026-12-30', start: '10:00', end: '10:30', kind: 'phone', place: 'office', activity: 'call',
      created_by: ANN, created_at: '2026-11-25T08:00:00.000000Z', ended_at: '2026-11-25T15:00:00.000000Z', ended_by: ANN,
    }
    const r = applyEvent(seen, ev(11, 'contacts.series_ended', { series, contacts: [contact('k-unseen', 'c-adams', { day: '2026-11-26', status: 'cancelled', version: 2, series_id: 'vs1' })] }), now)
    expect(r.needSnapshot).toBe(false)
    expect(client(r.model, 'c-adams').contacts_this_week).toBe(2)
  })

  it("contacts.reassigned moves the day's visits from one person's list to the other's, within their clients", () => {
    const m0 = applySnapshot(
      board({
        clients: [
          boardClient('c-adams', 'Adams', { today: [contact('k1', 'c-adams', { start: '09:00' })] }),
          boardClient('c-baker', 'Baker', { today: [contact('k2', 'c-baker', { start: '11:00' }), contact('k3', 'c-baker', { start: '13:00', staff_ids: [BOB] })] }),
        ],
      }),
    )
    expect(ids(todayByStaff(m0).get(ANN) ?? [])).toEqual(['k1', 'k2'])
    expect(ids(todayByStaff(m0).get(BOB) ?? [])).toEqual(['k3'])

    const m = play(
      m0,
      ev(11, 'contacts.reassigned', {
        day: DAY,
        from_staff_id: ANN,
        to_staff_id: BOB,
        contacts: [contact('k1', 'c-adams', { start: '09:00', staff_ids: [BOB], version: 2 }), contact('k2', 'c-baker', { start: '11:00', staff_ids: [BOB], version: 2 })],
      }),
    )
    const byStaff = todayByStaff(m)
    expect(byStaff.get(ANN)).toBeUndefined()
    expect(ids(byStaff.get(BOB) ?? [])).toEqual(['k1', 'k2', 'k3'])
    expect(client(m, 'c-adams').today[0].staff_ids).toEqual([BOB])
    expect(ids(client(m, 'c-baker').today)).toEqual(['k2', 'k3'])
  })

  it("moves a contact between clients' today lists if its client changes", () => {
    const m0 = applySnapshot(board({ clients: [boardClient('c-adams', 'Adams', { today: [contact('k1', 'c-adams')] }), boardClient('c-baker', 'Baker')] }))
    const r = applyEvent(m0, ev(11, 'contact.updated', contact('k1', 'c-baker', { version: 2 })), now)
    expect(ids(client(r.model, 'c-adams').today)).toEqual([])
    expect(ids(client(r.model, 'c-baker').today)).toEqual(['k1'])
  })
})

describe('huddle reviews', () => {
  it('marks and unmarks the day, keeps the count, ignores other days', () => {
    let m = applySnapshot(board({ last_huddle_day: '2026-11-24' }))
    const mark = (seq: number, client_id: string, day = DAY) =>
      ev(seq, 'review.marked', { day, client_id, reviewed_by: ANN, reviewed_at: '2026-11-25T09:00:00.000000Z' })
    m = play(m, mark(11, 'c-adams'), mark(12, 'c-baker'), mark(13, 'c-baker'), mark(14, 'c-clark', '2026-11-24'))
    expect(m.board.reviewed_count).toBe(2)
    expect(client(m, 'c-clark').reviewed).toBe(false)
    m = play(m, ev(15, 'review.unmarked', { day: DAY, client_id: 'c-adams' }))
    expect(m.board.reviewed_count).toBe(1)
    expect(client(m, 'c-adams').reviewed).toBe(false)
    m = play(m, ev(16, 'review.unmarked', { day: '2026-11-23', client_id: 'c-baker' }))
    expect(m.board.reviewed_count).toBe(1)
  })

  it('asks for a snapshot when a mark on an earlier day may move the last huddle (since_last_huddle)', () => {
    const mark = (day: string) => ev(11, 'review.marked', { day, client_id: 'c-adams', reviewed_by: ANN, reviewed_at: '2026-11-25T09:00:00.000000Z' })
    expect(applyEvent(applySnapshot(board()), mark('2026-11-24'), now).needSnapshot).toBe(true)
    const later = applySnapshot(board({ last_huddle_day: '2026-11-20' }))
    expect(applyEvent(later, mark('2026-11-24'), now).needSnapshot).toBe(true)
    expect(applyEvent(later, mark('2026-11-19'), now).needSnapshot).toBe(false)
    const unmark = ev(11, 'review.unmarked', { day: '2026-11-20', client_id: 'c-adams' })
    expect(applyEvent(later, unmark, now).needSnapshot).toBe(true)
  })

  it('follows the shared huddle step of the day shown, and its end; ignores other days', () => {
    let m = applySnapshot(board())
    const focus = (seq: number, client_id: string | null, day = DAY) =>
      ev(seq, 'huddle.focus', { day, client_id, staff_id: ANN, at: `2026-11-25T09:00:${seq}.000000Z` })
    m = play(m, focus(11, 'c-baker'))
    expect(m.board.huddle_focus).toEqual({ day: DAY, client_id: 'c-baker', staff_id: ANN, at: '2026-11-25T09:00:11.000000Z' })
    m = play(m, focus(12, 'c-adams', '2026-11-24'))
    expect(m.board.huddle_focus?.at).toBe('2026-11-25T09:00:11.000000Z')
    m = play(m, focus(13, null))
    expect(m.board.huddle_focus?.client_id).toBeNull()
    expect(m.board.huddle_focus?.at).toBe('2026-11-25T09:00:13.000000Z')
  })

  it('counts a huddle nobody stepped for 15 minutes as over, and an ended one as not running', () => {
    const at = '2026-11-25T09:00:00.000000Z'
    const f = { day: DAY, client_id: 'c-adams', staff_id: ANN, at }
    const t = Date.parse(at)
    expect(huddleRunning(f, t + 14 * 60_000 + 59_000)).toBe(true)
    expect(huddleRunning(f, t + HUDDLE_IDLE_MS)).toBe(false)
    expect(huddleRunning({ ...f, client_id: null }, t)).toBe(false)
    expect(huddleRunning(null, t)).toBe(false)
  })
})

describe('on call', () => {
  it('takes a created shift that covers now (the latest-starting), not one that does not', () => {
    let m = applySnapshot(board({ on_call: shift('s-day', ANN, '2026-11-25T08:00:00.000000Z', '2026-11-25T20:00:00.000000Z') }))
    m = play(m, ev(11, 'shift.created', shift('s-night', BOB, '2026-11-25T20:00:00.000000Z', '2026-11-26T08:00:00.000000Z')))
    expect(m.board.on_call?.id).toBe('s-day')
    m = play(m, ev(12, 'shift.created', shift('s-cover', BOB, '2026-11-25T14:00:00.000000Z', '2026-11-25T16:00:00.000000Z')))
    expect(m.board.on_call?.id).toBe('s-cover')
    // Later on, the known night shift is who is on call.
    expect(onCallNow(m, Date.UTC(2026, 10, 25, 21)))?.toMatchObject({ id: 's-night' })
  })

  it('deleting the on-call shift clears it and asks for a snapshot; deleting another does not', () => {
    const m = applySnapshot(board({ on_call: shift('s-day', ANN, '2026-11-25T08:00:00.000000Z', '2026-11-25T20:00:00.000000Z') }))
    const other = applyEvent(m, ev(11, 'shift.deleted', { id: 's-other' }), now)
    expect(other.needSnapshot).toBe(false)
    expect(other.model.board.on_call?.id).toBe('s-day')
    const r = applyEvent(m, ev(11, 'shift.deleted', { id: 's-day' }), now)
    expect(r.needSnapshot).toBe(true)
    expect(r.model.board.on_call).toBeNull()
  })

  it('keeps who is next: the soonest-starting created shift; deleting it asks for a snapshot', () => {
    const day = shift('s-day', ANN, '2026-11-25T08:00:00.000000Z', '2026-11-25T20:00:00.000000Z')
    const later = shift('s-later', BOB, '2026-11-26T08:00:00.000000Z', '2026-11-26T20:00:00.000000Z')
    let m = applySnapshot(board({ on_call: day, on_call_next: later }))
    m = play(m, ev(11, 'shift.created', shift('s-night', BOB, '2026-11-25T20:00:00.000000Z', '2026-11-26T08:00:00.000000Z')))
    expect([m.board.on_call?.id, m.board.on_call_next?.id]).toEqual(['s-day', 's-night'])
    m = play(m, ev(12, 'shift.created', shift('s-far', CAT, '2026-11-28T08:00:00.000000Z', '2026-11-28T20:00:00.000000Z')))
    expect(m.board.on_call_next?.id).toBe('s-night')
    const r = applyEvent(m, ev(13, 'shift.deleted', { id: 's-night' }), now)
    expect(r.needSnapshot).toBe(true)
    expect(r.model.board.on_call_next?.id).toBe('s-later')
    // Once the next shift has begun, the board is stale (only the server knows the one after).
    expect(staleness(m, Date.UTC(2026, 10, 25, 20, 0, 1))).toBe('on_call_next_started:s-night')
  })

  it('ignores a new on-call pattern (applying it sends shift.created events)', () => {
    const m = applySnapshot(board())
    const r = applyEvent(m, ev(11, 'oncall.pattern_updated', { version: 1, slots: [], updated_by: ANN, updated_at: '2026-11-25T09:00:00.000000Z' }), now)
    expect(r.needSnapshot).toBe(false)
    expect(r.model.board).toEqual({ ...m.board, seq: 11 })
  })
})

describe('rolling counts', () => {
  it('count a completed contact, move it out when it is changed, and keep since_last_huddle', () => {
    const b = board({
      day: DAY,
      rolling_start: '2026-11-19',
      last_huddle_day: '2026-11-24',
      clients: [boardClient('c-adams', 'Adams', { since_last_huddle: 0 })],
    })
    let m = applySnapshot(b)
    const done = contact('k1', 'c-adams', { day: '2026-11-23', status: 'completed' })
    m = play(m, ev(11, 'contact.created', done))
    expect([client(m, 'c-adams').contacts_7d, client(m, 'c-adams').face_to_face_7d, client(m, 'c-adams').since_last_huddle]).toEqual([1, 1, 0])
    m = play(m, ev(12, 'contact.created', contact('k2', 'c-adams', { day: '2026-11-24', status: 'completed', kind: 'phone' })))
    expect([client(m, 'c-adams').contacts_7d, client(m, 'c-adams').face_to_face_7d, client(m, 'c-adams').since_last_huddle]).toEqual([2, 1, 1])
    // Monday's week count is separate: a contact of the week before the board's week.
    expect(client(m, 'c-adams').contacts_this_week).toBe(2)
    m = play(m, ev(13, 'contact.updated', { ...done, status: 'cancelled', version: 2 }))
    expect([client(m, 'c-adams').contacts_7d, client(m, 'c-adams').face_to_face_7d, client(m, 'c-adams').since_last_huddle]).toEqual([1, 0, 1])
  })
})

function handoff(id: string, createdAt: string, over: Partial<HandoffOut> = {}): HandoffOut {
  return {
    id,
    from_staff_id: ANN,
    to_staff_id: BOB,
    shift_id: null,
    created_at: createdAt,
    due_at: instantOf(Date.parse(createdAt) + 15 * 60_000),
    acknowledged_at: null,
    synthesis: null,
    overdue: false,
    items: [{ client_id: 'c-adams', severity: 'watcher', summary: 's', actions: [], contingency: '' }],
    ...over,
  }
}

describe('handoffs, staff, team', () => {
  it('keeps handoffs newest first and replaces an acknowledged one', () => {
    let m = applySnapshot(board())
    m = play(m, ev(11, 'handoff.created', handoff('h1', '2026-11-25T09:00:00.000000Z')), ev(12, 'handoff.created', handoff('h2', '2026-11-25T10:00:00.000000Z')))
    expect(ids(m.board.handoffs)).toEqual(['h2', 'h1'])
    expect(isHandoffOverdue(m.board.handoffs[1], NOW)).toBe(true)
    m = play(m, ev(13, 'handoff.acknowledged', handoff('h1', '2026-11-25T09:00:00.000000Z', { acknowledged_at: '2026-11-25T09:10:00.000000Z', synthesis: 'ok' })))
    expect(ids(m.board.handoffs)).toEqual(['h2', 'h1'])
    expect(m.board.handoffs[1].acknowledged_at).not.toBeNull()
    expect(isHandoffOverdue(m.board.handoffs[1], NOW)).toBe(false)
    expect(ids(visibleHandoffs(m, NOW + 86_400_000))).toEqual(['h2'])
  })

  it('adds, updates and removes staff in name order', () => {
    let m = applySnapshot(board())
    m = play(m, ev(11, 'member.updated', { staff_id: CAT, username: 'cat', display_name: 'Aaron', discipline: 'psychiatry', role: 'member' }))
    expect(m.board.staff.map((s) => s.display_name)).toEqual(['Aaron', 'Ann', 'Bob'])
    m = play(m, ev(12, 'member.updated', { staff_id: ANN, username: 'ann', display_name: 'Ann', discipline: 'nursing', role: 'member' }))
    expect(m.board.staff.find((s) => s.id === ANN)?.role).toBe('member')
    m = play(m, ev(13, 'member.removed', { staff_id: CAT }))
    expect(m.board.staff.map((s) => s.id)).toEqual([ANN, BOB])
  })

  it('replaces the team; a new time zone asks for a snapshot', () => {
    const m = applySnapshot(board())
    const renamed = play(m, ev(11, 'team.updated', { ...m.board.team, name: 'Riverside', version: 2 }))
    expect(renamed.board.team.name).toBe('Riverside')
    const r = applyEvent(m, ev(11, 'team.updated', { ...m.board.team, timezone: 'Europe/Oslo', version: 2 }), now)
    expect(r.needSnapshot).toBe(true)
  })
})

describe('staleness', () => {
  it('is stale when the team-local day has moved on or the on-call shift ended', () => {
    const m = applySnapshot(board({ on_call: shift('s-day', ANN, '2026-11-25T08:00:00.000000Z', '2026-11-25T20:00:00.000000Z') }))
    expect(staleness(m, NOW)).toBeNull()
    expect(staleness(m, Date.UTC(2026, 10, 25, 20, 0, 1))).toBe('on_call_ended:s-day')
    expect(staleness(m, Date.UTC(2026, 10, 26, 0, 0, 1))).toBe('day:2026-11-26')
    const ny = applySnapshot(board({ team: { ...board().team, timezone: 'America/New_York' } }))
    // 03:00Z on the 26th is still the 25th in New York.
    expect(staleness(ny, Date.UTC(2026, 10, 26, 3))).toBeNull()
  })
})

describe('performance', () => {
  it('applies 5,000 events to a 100-client board quickly', () => {
    const clients = Array.from({ length: 100 }, (_, i) =>
      boardClient(`c${i}`, `Family${String(i).padStart(3, '0')}`, { today: [contact(`k${i}`, `c${i}`)] }),
    )
    let m = applySnapshot(board({ clients }))
    const t0 = performance.now()
    let r: ApplyResult
    for (let s = 11; s < 5011; s++) {
      const i = s % 100
      const e =
        s % 3 === 0
          ? ev(s, 'contact.updated', contact(`k${i}`, `c${i}`, { version: s, minutes: s }))
          : s % 3 === 1
            ? ev(s, 'flag.raised', flag(`f${s}`, `c${i}`, ['watch', 'urgent', 'emergency'][s % 7 % 3], '2026-11-25T09:00:00.000000Z'))
            : ev(s, 'flag.resolved', flag(`f${s - 1}`, `c${(s - 1) % 100}`, 'watch', '2026-11-25T09:00:00.000000Z', { resolved_at: '2026-11-25T10:00:00.000000Z' }))
      r = applyEvent(m, e, now)
      m = r.model
    }
    const ms = performance.now() - t0
    expect(m.seq).toBe(5010)
    expect(m.board.clients).toHaveLength(100)
    expect(ms).toBeLessThan(2500)
  })
})

describe('episodes on the board', () => {
  const episode = (id: string, clientId: string, away: boolean, over: Record<string, unknown> = {}) =>
    ({
      id, team_id: TEAM_ID, client_id: clientId, kind: 'psychiatric_admission', start: '2026-11-24', end: away ? null : '2026-11-25',
      team_involved: true, note: 'admitted', away, version: 1, recorded_by: ANN,
      recorded_at: '2026-11-25T10:00:00.000000Z', updated_at: '2026-11-25T10:00:00.000000Z', ...over,
    }) as never

  it('an open stay shows the client away; its end brings them back', () => {
    let m = applySnapshot(board())
    const seq = m.seq
    m = play(m, ev(seq + 1, 'episode.recorded', episode('e1', 'c-baker', true)))
    expect(client(m, 'c-baker').away).toEqual({ episode_id: 'e1', kind: 'psychiatric_admission', since: '2026-11-24' })
    expect(client(m, 'c-adams').away ?? null).toBeNull()
    // Another episode ending (an emergency visit) leaves the stay as it is.
    m = play(m, ev(seq + 2, 'episode.updated', episode('e2', 'c-baker', false, { kind: 'ed_visit' })))
    expect(client(m, 'c-baker').away?.episode_id).toBe('e1')
    m = play(m, ev(seq + 3, 'episode.updated', episode('e1', 'c-baker', false, { version: 2 })))
    expect(client(m, 'c-baker').away ?? null).toBeNull()
    expect(ids(m.board.clients)).toEqual(['c-adams', 'c-baker', 'c-clark'])
  })

  it('a privacy display learns only that the client is away', () => {
    let m = applySnapshot(board({ privacy: 'initials' }))
    const redacted = { id: 'e1', team_id: TEAM_ID, client_id: 'c-clark', away: true, version: 1 } as never
    m = play(m, ev(m.seq + 1, 'episode.recorded', redacted))
    expect(client(m, 'c-clark').away).toEqual({ episode_id: 'e1', kind: null, since: null })
  })
})
