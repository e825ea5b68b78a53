import { describe, expect, test } from 'vitest'
import { applyWords, dayPart, gapWords, slotField, spanWords } from './rota'

describe('rota words', () => {
  test('a night shift is split over its two days', () => {
    const s = { starts_local: '2026-12-08T17:00', ends_local: '2026-12-09T09:00' }
    expect(dayPart('2026-12-08', s)).toEqual({ from: 1020, to: 1440 })
    expect(dayPart('2026-12-09', s)).toEqual({ from: 0, to: 540 })
    expect(dayPart('2026-12-10', s)).toBeNull()
  })
  test('gaps and spans in words', () => {
    expect(gapWords({ starts_local: '2026-12-09T09:00', ends_local: '2026-12-09T17:00' })).toBe('No one on call Wed 9 Dec 09:00–17:00')
    expect(spanWords({ starts_local: '2026-12-08T17:00', ends_local: '2026-12-09T09:00' })).toBe('Tue 8 Dec 17:00 – Wed 9 Dec 09:00')
    expect(spanWords({ starts_local: '2026-12-08T17:00', ends_local: '2026-12-09T00:00' })).toBe('Tue 8 Dec 17:00–24:00')
  })
  test('applying: created and skipped in words, with plurals', () => {
    const owner = (id: string) => (id === 's1' ? 'Sam O.' : null)
    expect(applyWords(1, [], owner, () => '')).toBe('1 shift created, none skipped.')
    expect(applyWords(14, [
      { starts_local: '2026-12-08T17:00', staff_id: 'a', reason: 'overlaps', overlaps: ['s1'] },
      { starts_local: '2026-12-09T17:00', staff_id: 'b', reason: 'not_working', overlaps: [] },
    ], owner, () => 'Casey M.')).toBe("14 shifts created, 2 skipped: Tue 8 Dec 17:00 overlaps Sam O.'s shift; Wed 9 Dec 17:00 Casey M. no longer works on the team.")
  })
  test('a 422 field names its row', () => {
    expect(slotField('slots[2].start')).toEqual([2, 'start'])
    expect(slotField('slots[0]')).toEqual([0, 'row'])
    expect(slotField('version')).toBeNull()
  })
})
