import { describe, expect, it } from 'vitest'
import { outWords, rangeWords, shortDay } from './days'

describe('days in words', () => {
  it('short days and ranges', () => {
    expect(shortDay('2026-12-03')).toBe('Thu 3 Dec')
    expect(rangeWords('2026-11-30', '2026-12-02')).toBe('Mon 30 Nov – Wed 2 Dec')
    expect(rangeWords('2026-11-30', '2026-11-30')).toBe('Mon 30 Nov')
    expect(shortDay('not a day')).toBe('not a day')
  })

  it('who is out: until when, and who covers; never why', () => {
    const today = '2026-11-30'
    expect(outWords({ from: today, until: '2026-12-03', covered_by: 's' }, today, today, 'Sam Okafor')).toBe('Out today (until Thu 3 Dec) — covered by Sam Okafor')
    expect(outWords({ from: '2026-11-27', until: today }, today, today, null)).toBe('Out today (last day)')
    expect(outWords({ from: today, until: today }, today, today, null)).toBe('Out today (this day only)')
    expect(outWords({ from: today, until: '2026-12-03' }, '2026-12-01', today, 'Sam')).toBe('Out (until Thu 3 Dec) — covered by Sam')
  })
})
