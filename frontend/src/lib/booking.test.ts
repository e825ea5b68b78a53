import { describe, expect, it } from 'vitest'
import { conflictLines, conflictWords, conflictsOf, overlap, overlapsIn, type Conflict } from './booking'
import { ApiError } from './api'
import { ANN, BOB, DAY, contact } from '../live/test-fixtures'

const v = (id: string, start: string | null, end: string | null, over = {}) => contact(id, `client-${id}`, { start, end, ...over })

describe('overlap (the rule of src/domain/booking.rs)', () => {
  it('intersecting times overlap; touching ends do not', () => {
    expect(overlap(v('a', '09:00', '10:00'), v('b', '09:30', '10:30'))).toBe(true)
    expect(overlap(v('a', '09:00', '10:00'), v('b', '10:00', '11:00'))).toBe(false)
    expect(overlap(v('a', '09:00', '12:00'), v('b', '10:00', '11:00'))).toBe(true)
  })

  it('untimed, open-ended, missed, cancelled, other-day visits and the visit itself never overlap', () => {
    const a = v('a', '09:00', '10:00')
    expect(overlap(a, v('b', null, null))).toBe(false)
    expect(overlap(a, v('b', '09:00', null))).toBe(false)
    expect(overlap(a, v('b', '09:30', '10:30', { status: 'missed' }))).toBe(false)
    expect(overlap(a, v('b', '09:30', '10:30', { status: 'cancelled' }))).toBe(false)
    expect(overlap(a, v('b', '09:30', '10:30', { day: '2026-11-26' }))).toBe(false)
    expect(overlap(a, a)).toBe(false)
    expect(overlap(a, v('b', '09:30', '10:30', { status: 'completed' }))).toBe(true)
  })

  it('overlapsIn marks each overlapping visit of a column with the others it overlaps', () => {
    const a = v('a', '09:00', '10:00')
    const b = v('b', '09:30', '10:30')
    const c = v('c', '10:15', '11:00')
    const d = v('d', '12:00', '13:00')
    const m = overlapsIn([a, b, c, d])
    expect([...m.keys()]).toEqual(['a', 'b', 'c'])
    expect(m.get('b')!.map((x) => x.id)).toEqual(['a', 'c'])
    expect(m.has('d')).toBe(false)
  })
})

describe('double_booked in words', () => {
  const conflicts: Conflict[] = [{ contact_id: 'booked', staff_id: BOB, day: DAY, start: '10:00', end: '11:00', conflicts_with: 'moving' }]
  const contacts = new Map([
    ['booked', contact('booked', 'jd', { staff_ids: [BOB], start: '10:00', end: '11:00' })],
    ['moving', contact('moving', 'ab', { staff_ids: [ANN], start: '10:30', end: '11:15' })],
  ])
  const names = {
    staff: (id: string) => (id === BOB ? 'Maria Lopez' : 'Ann Bell'),
    client: (id: string) => (id === 'jd' ? 'J.D.' : 'A.B.'),
    contacts,
    day: DAY,
  }

  it('reads the conflicts of a 409 double_booked, and nothing else', () => {
    const e = new ApiError('overlap', 409, 'double_booked', { conflicts })
    expect(conflictsOf(e)).toEqual(conflicts)
    expect(conflictsOf(new ApiError('x', 409, 'version_conflict', {}))).toBeNull()
    expect(conflictsOf(new Error('boom'))).toBeNull()
  })

  it('names the person, both visits and their times', () => {
    expect(conflictWords(conflicts[0], names)).toBe('Maria Lopez already has 10:00–11:00 with J.D. (the visit with A.B. at 10:30–11:15 would overlap)')
  })

  it('names the day when it is not the one on screen', () => {
    expect(conflictWords({ ...conflicts[0], day: '2026-11-27' }, names)).toBe(
      'Maria Lopez already has 10:00–11:00 with J.D. on Fri 27 Nov (the visit with A.B. at 10:30–11:15 would overlap)',
    )
  })

  it('two moving visits that clash: the person would get both', () => {
    const both = new Map(contacts).set('booked', contact('booked', 'jd', { staff_ids: [ANN], start: '10:00', end: '11:00' }))
    expect(conflictWords(conflicts[0], { ...names, contacts: both })).toBe('Maria Lopez would get two overlapping visits: J.D. at 10:00–11:00 and A.B. at 10:30–11:15')
  })

  it('unknown visits still read as words; repeated lines once', () => {
    expect(conflictLines([conflicts[0], conflicts[0]], { ...names, contacts: new Map() })).toEqual([
      'Maria Lopez already has 10:00–11:00 with a client (the visit being booked would overlap)',
    ])
  })
})
