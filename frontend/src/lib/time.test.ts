import { describe, expect, it } from 'vitest'
import { addDays, formatTeamDateTime, formatTeamTime, formatTeamWhen, longDay, teamDay } from './time.ts'

describe('formatTeamTime', () => {
  it('formats New York time either side of the spring-forward change (2024-03-10)', () => {
    // 06:30Z is 01:30 EST (UTC-5); 07:30Z is 03:30 EDT (UTC-4): 02:xx never happens.
    expect(formatTeamTime('2024-03-10T06:30:00.000000Z', 'America/New_York')).toBe('01:30')
    expect(formatTeamTime('2024-03-10T07:30:00.000000Z', 'America/New_York')).toBe('03:30')
  })

  it('formats New York time either side of the fall-back change (2024-11-03)', () => {
    // 01:30 local happens twice: first as EDT (05:30Z), then as EST (06:30Z).
    expect(formatTeamTime('2024-11-03T05:30:00.000000Z', 'America/New_York')).toBe('01:30')
    expect(formatTeamTime('2024-11-03T06:30:00.000000Z', 'America/New_York')).toBe('01:30')
    expect(formatTeamTime('2024-11-03T07:30:00.000000Z', 'America/New_York')).toBe('02:30')
  })

  it('formats Sydney time in summer (AEDT, UTC+11) and winter (AEST, UTC+10)', () => {
    expect(formatTeamTime('2024-01-15T22:05:00.000000Z', 'Australia/Sydney')).toBe('09:05')
    expect(formatTeamTime('2024-07-15T22:05:00.000000Z', 'Australia/Sydney')).toBe('08:05')
  })

  it('uses 00 for midnight rather than 24', () => {
    expect(formatTeamTime('2024-07-15T14:00:00.000000Z', 'Australia/Sydney')).toBe('00:00')
  })

  it('accepts timestamps with an explicit offset and fractional seconds', () => {
    expect(formatTeamTime('2024-07-15T12:34:56.789+00:00', 'UTC')).toBe('12:34')
  })

  it('rejects an invalid timestamp', () => {
    expect(() => formatTeamTime('not a date', 'UTC')).toThrow(RangeError)
  })

  it('rejects an unknown time zone', () => {
    expect(() => formatTeamTime('2024-07-15T12:00:00.000000Z', 'Mars/Olympus_Mons')).toThrow(RangeError)
  })
})

describe('team-local days', () => {
  it('today depends on the team, not the browser', () => {
    const at = new Date('2026-11-24T03:00:00.000000Z')
    expect(teamDay('America/New_York', at)).toBe('2026-11-23')
    expect(teamDay('Australia/Sydney', at)).toBe('2026-11-24')
  })
  it('day arithmetic crosses months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28')
    expect(longDay('2026-11-23')).toBe('Mon 23 Nov')
  })
})

describe('one date and time format ("Mon 30 Nov 14:05")', () => {
  it('writes day, date, month and 24-hour time in the team zone', () => {
    expect(formatTeamDateTime('2026-11-30T19:05:00.000000Z', 'America/New_York')).toBe('Mon 30 Nov 14:05')
    // Sydney is already Tuesday 1 December.
    expect(formatTeamDateTime('2026-11-30T19:05:00.000000Z', 'Australia/Sydney')).toBe('Tue 1 Dec 06:05')
    expect(longDay('2026-12-01')).toBe('Tue 1 Dec')
  })
  it('a moment on the team\'s today is the time alone; any other day carries its date', () => {
    const now = Date.parse('2026-11-30T15:00:00Z') // Monday 10:00 in New York
    expect(formatTeamWhen('2026-11-30T22:00:00.000000Z', 'America/New_York', now)).toBe('17:00')
    // Next Monday is not "Mon 17:00" (which on a Monday reads as today).
    expect(formatTeamWhen('2026-12-07T22:00:00.000000Z', 'America/New_York', now)).toBe('Mon 7 Dec 17:00')
    expect(formatTeamWhen('2026-11-29T22:00:00.000000Z', 'America/New_York', now)).toBe('Sun 29 Nov 17:00')
  })
})
