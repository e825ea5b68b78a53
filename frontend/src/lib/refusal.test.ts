import { describe, expect, test } from 'vitest'
import { refusalWords } from './refusal'

const who = (id: string | null | undefined) => (id === 's1' ? 'Chris Adams' : 'someone')

describe('refusals in words', () => {
  test('caseload_full names the person and the cap', () => {
    const w = refusalWords({ code: 'caseload_full', message: 'x', body: { cap: 15, current: 15, limit: 'team_cap', on_this_team: 15, on_other_teams: 0, staff_id: 's1' } }, who)
    expect(w).toBe('Not changed: Chris Adams already carries 15 clients on this team; this team\'s cap is 15, so Chris Adams cannot take another client.')
  })
  test('caseload_full without a staff id names the person asked for', () => {
    expect(refusalWords({ code: 'caseload_full', message: 'x', body: { cap: 15, limit: 'person_cap', on_this_team: 10, on_other_teams: 5 } }, who, 's1')).toContain('Chris Adams already carries 15 clients over all ICM teams')
  })
  test('version_conflict and open_flags say what to do; anything else is the server detail', () => {
    expect(refusalWords({ code: 'version_conflict', message: 'x', body: {} }, who)).toContain('Try again')
    expect(refusalWords({ code: 'open_flags', message: 'The client has 2 open flags', body: {} }, who)).toContain('Give the outcome')
    expect(refusalWords({ code: 'forbidden', message: 'Leads only', body: {} }, who)).toBe('Leads only')
  })
})
