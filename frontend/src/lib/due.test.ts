import { describe, expect, test } from 'vitest'
import { ANN, BOB, DAY, NOW, board, boardClient, contact } from '../live/test-fixtures'
import type { HandoffOut } from '../live/types'
import { careCountWords, careItems, dueItems, dueSummary, visitPassed, type Gap } from './due'
import type { Schemas } from './api'

// NOW is 2026-11-25 15:00 UTC; the fixture team's zone is UTC.

function handoff(actions: { text: string; owner_id?: string | null; due_at?: string | null }[], over: Partial<HandoffOut> = {}): HandoffOut {
  return {
    id: 'h1',
    from_staff_id: ANN,
    to_staff_id: BOB,
    shift_id: null,
    created_at: '2026-11-25T08:00:00.000000Z',
    due_at: '2026-11-25T08:15:00.000000Z',
    acknowledged_at: null,
    synthesis: null,
    overdue: false,
    items: [{ client_id: 'c-adams', severity: 'watcher', summary: 's', contingency: '', actions: actions.map((a) => ({ owner_id: null, due_at: null, ...a })) }],
    ...over,
  }
}

describe('dueItems', () => {
  test('handoff actions due on the board day, with owner (default: the receiver); none without a time or on another day', () => {
    const b = board({
      handoffs: [handoff([
        { text: 'Phone pharmacy', due_at: '2026-11-25T17:00:00.000000Z' },
        { text: 'Check in', owner_id: ANN, due_at: '2026-11-25T09:30:00.000000Z' },
        { text: 'No time' },
        { text: 'Tomorrow', due_at: '2026-11-26T09:00:00.000000Z' },
      ])],
    })
    const items = dueItems(b, [], [], NOW)
    expect(items.map((i) => [i.kind, i.what, i.when, i.overdue, i.staff_ids[0], i.client_id])).toEqual([
      ['handoff_action', 'Check in', '09:30', true, ANN, 'c-adams'],
      ['handoff_action', 'Phone pharmacy', '17:00', false, BOB, 'c-adams'],
    ])
  })

  test('a planned visit is overdue once its end (or start) has passed; untimed ones are not; closed ones never', () => {
    const b = board({
      clients: [
        boardClient('c-adams', 'Adams', { today: [
          contact('v1', 'c-adams', { start: '13:00', end: '14:00' }),
          contact('v2', 'c-adams', { start: '14:30', end: '15:30' }), // in progress
          contact('v3', 'c-adams', { start: null }),
          contact('v4', 'c-adams', { start: '08:00', status: 'completed' }),
          contact('v5', 'c-adams', { start: '09:00', status: 'missed' }),
        ] }),
      ],
    })
    const items = dueItems(b, [], [], NOW)
    expect(items.map((i) => [i.key, i.kind, i.when])).toEqual([['v:v1', 'overdue_visit', '13:00–14:00']])
  })

  test("earlier days' planned visits are overdue (the last week only), named by their day", () => {
    const b = board()
    const earlier = [
      contact('e1', 'c-baker', { day: '2026-11-24', start: '16:00' }),
      contact('e2', 'c-baker', { day: '2026-11-10', start: '16:00' }), // older than a week
      contact('e3', 'c-baker', { day: '2026-11-24', start: '10:00', status: 'completed' }),
    ]
    const items = dueItems(b, earlier, [], NOW)
    expect(items.map((i) => [i.key, i.when, i.overdue])).toEqual([['v:e1', 'Tue 24 Nov 16:00', true]])
  })

  test('recurring-series visits due today (a depot injection), overdue once passed', () => {
    const b = board({
      clients: [boardClient('c-clark', 'Clark', { today: [
        contact('s1', 'c-clark', { start: '16:00', activity: 'depot injection', series_id: 'ser1' }),
        contact('s2', 'c-clark', { start: '11:00', activity: 'depot injection', series_id: 'ser2' }),
        contact('s3', 'c-clark', { start: null, activity: 'depot injection', series_id: 'ser3' }),
      ] })],
    })
    const items = dueItems(b, [], [], NOW)
    expect(items.map((i) => [i.key, i.kind, i.what])).toEqual([
      ['v:s2', 'overdue_visit', 'depot injection (face to face, home) — recurring'],
      ['v:s3', 'series_visit', 'depot injection (face to face, home)'],
      ['v:s1', 'series_visit', 'depot injection (face to face, home)'],
    ])
  })

  test('on-call gaps: only those in the next 24 hours; a gap under way reads "now"', () => {
    const gap = (a: string, z: string): Gap => ({ starts_at: `${a}:00.000000Z`, ends_at: `${z}:00.000000Z`, starts_local: a, ends_local: z })
    const gaps = [
      gap('2026-11-25T12:00', '2026-11-25T16:00'),
      gap('2026-11-26T02:00', '2026-11-26T07:00'),
      gap('2026-11-26T16:00', '2026-11-26T18:00'), // after the next 24 hours
      gap('2026-11-25T01:00', '2026-11-25T03:00'), // over
    ]
    const items = dueItems(board(), [], gaps, NOW)
    expect(items.map((i) => [i.kind, i.when, i.overdue, i.client_id])).toEqual([
      ['oncall_gap', 'now–16:00', true, null],
      ['oncall_gap', 'Thu 26 Nov 02:00–07:00', false, null],
    ])
  })

  test('everything on a day already over is overdue; on a later day nothing is', () => {
    const v = contact('v1', 'c-adams', { start: '18:00' })
    expect(visitPassed(v, '2026-11-26', '08:00')).toBe(true)
    expect(visitPassed(v, '2026-11-24', '23:00')).toBe(false)
    expect(visitPassed(v, DAY, '18:00')).toBe(true)
    expect(visitPassed(v, DAY, '17:59')).toBe(false)
  })

  test('the summary words', () => {
    expect(dueSummary([])).toBe('Nothing due')
    const b = board({ handoffs: [handoff([{ text: 'a', due_at: '2026-11-25T09:00:00.000000Z' }, { text: 'b', due_at: '2026-11-25T19:00:00.000000Z' }])] })
    expect(dueSummary(dueItems(b, [], [], NOW))).toBe('2 due · 1 overdue')
  })
})

describe('the order of the list', () => {
  test('on-call gaps, then handoff actions, then recurring visits, then other overdue visits', () => {
    const b = board({
      handoffs: [handoff([{ text: 'act', due_at: '2026-11-25T16:00:00.000000Z' }])],
      clients: [boardClient('c-adams', 'Adams', { today: [
        contact('v1', 'c-adams', { start: '08:00', end: '09:00' }),
        contact('s1', 'c-adams', { start: '10:00', series_id: 'ser' }),
        contact('s2', 'c-adams', { start: '17:00', series_id: 'ser' }),
      ] })],
    })
    const gaps: Gap[] = [{ starts_at: '2026-11-26T02:00:00.000000Z', ends_at: '2026-11-26T03:00:00.000000Z', starts_local: '2026-11-26T02:00', ends_local: '2026-11-26T03:00' }]
    expect(dueItems(b, [], gaps, NOW).map((i) => i.key)).toEqual(['g:2026-11-26T02:00:00.000000Z', 'h:h1:0:0', 'v:s1', 'v:s2', 'v:v1'])
  })
})

describe('care items from the board (the server decides what is due)', () => {
  const item = (over: Partial<Schemas['DueItemOut']>): Schemas['DueItemOut'] => ({
    client_id: 'c-adams', kind: 'plan_review', due_on: '2026-11-25', overdue: false, goal_id: null, checkin_id: null,
    display_name: 'Ann Adams', initials: 'AA', status: 'active', on_team: true, record_here: true, ...over,
  })

  test('today and overdue ones are listed (later ones this week are not), overdue first, in words', () => {
    const due = [
      item({ kind: 'plan_review', due_on: '2026-11-25' }),
      item({ kind: 'checkin', due_on: '2026-11-20', overdue: true, checkin_id: 'k1', client_id: 'c-gone', display_name: 'Helen Marsh', status: 'discharged', on_team: false }),
      item({ kind: 'reassessment', due_on: '2026-11-28' }),
    ]
    const got = careItems(due, DAY)
    expect(got.map((d) => d.kind)).toEqual(['plan_review', 'checkin'])
    const k = got.find((d) => d.kind === 'checkin')!
    expect(k.overdue).toBe(true)
    expect(k.when).toMatch(/^since /)
    expect(k.what).toBe('Check-in after the transition (discharged)')
    expect(k.name).toBe('Helen Marsh')
    expect(k.page).toBe(true)
    const all = dueItems(board({ due }), [], [], NOW)
    expect(all.filter((d) => d.kind === 'checkin' || d.kind === 'plan_review').map((d) => d.overdue)).toEqual([true, false])
  })

  test('a privacy display: counts only, in words', () => {
    expect(careCountWords({ due: 0, overdue: 0 })).toBeNull()
    expect(careCountWords({ due: 3, overdue: 1 })).toBe('3 care items due this week · 1 overdue')
    expect(careCountWords({ due: 1, overdue: 0 })).toBe('1 care item due this week')
  })
})
