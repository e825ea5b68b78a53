import { describe, expect, it } from 'vitest'
import { initialsOf, isNewFlag, plural, raisedWords, respondingWords, shortName } from './flagWords.ts'

const at = '2026-11-30T19:05:00.000000Z' // Mon 30 Nov 14:05 in New York
const t = Date.parse(at)
const staff = [{ id: 'm', display_name: 'Maria Lopez' }, { id: 's', display_name: 'Sam Okafor' }]

describe('a new flag', () => {
  it('is new for ten minutes after it was raised', () => {
    expect(isNewFlag({ raised_at: at, responders: [] }, t)).toBe(true)
    expect(isNewFlag({ raised_at: at, responders: [] }, t + 9 * 60_000)).toBe(true)
    expect(isNewFlag({ raised_at: at, responders: [] }, t + 10 * 60_000)).toBe(false)
  })
  it('is no longer new once someone responds', () => {
    expect(isNewFlag({ raised_at: at, responders: [{ staff_id: 's', initials: 'SO', display_name: 'Sam Okafor', at }] as never }, t)).toBe(false)
  })
})

describe('flag words', () => {
  it('says when and by whom it was raised, in the one format', () => {
    expect(raisedWords({ raised_at: at, raised_by: 'm' }, staff, 'America/New_York', t + 60_000)).toBe('Raised 14:05 by Maria L.')
    expect(raisedWords({ raised_at: at, raised_by: 'm' }, staff, 'America/New_York', t + 86_400_000)).toBe('Raised Mon 30 Nov 14:05 by Maria L.')
    expect(raisedWords({ raised_at: at, raised_by: 'm' }, staff, 'America/New_York', t, true)).toBe('Raised 14:05 by ML')
    expect(raisedWords({ raised_at: at, raised_by: 'x' }, staff, 'America/New_York', t)).toBe('Raised 14:05')
  })
  it('names every responder, short', () => {
    expect(respondingWords({ responders: [{ initials: 'JF', display_name: 'Jamie Fox' }, { initials: 'SO', display_name: 'Sam Okafor' }] })).toBe('Responding: Jamie F., Sam O.')
    expect(respondingWords({ responders: [{ initials: 'JF' }] })).toBe('Responding: JF')
    expect(respondingWords({ responders: [] })).toBeNull()
  })
  it('short names, initials and plurals', () => {
    expect(shortName('Dr. Ana Kim')).toBe('Dr Ana K.')
    expect(initialsOf('Sam Okafor')).toBe('SO')
    expect(plural(1, 'contact')).toBe('1 contact')
    expect(plural(0, 'contact')).toBe('0 contacts')
  })
})
