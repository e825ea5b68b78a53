import { describe, expect, it } from 'vitest'
import { asCaseloadFull, caseloadFullWords, isFull } from './caseload'

describe('caseload caps', () => {
  it('full at the team cap on this team, or at 15 over every ICM team', () => {
    expect(isFull(15, 15)).toBe(true)
    expect(isFull(14, 15)).toBe(false)
    expect(isFull(10, 12, 0)).toBe(false)
    expect(isFull(12, 12, 0)).toBe(true)
    expect(isFull(10, 15, 5)).toBe(true)
    expect(isFull(10, 15, 4)).toBe(false)
  })

  it('a person-cap refusal says the total over teams', () => {
    const f = asCaseloadFull({ code: 'caseload_full', cap: 15, current: 15, limit: 'person_cap', staff_id: 'k', on_this_team: 10, on_other_teams: 5, adding: 1 })!
    expect(caseloadFullWords(f, 'Kelly Ward')).toBe(
      'Not assigned: Kelly Ward already carries 15 clients over all ICM teams (10 on this team, 5 on other teams); one person carries at most 15, so Kelly Ward cannot take another client.',
    )
  })

  it('a team-cap refusal names the team cap', () => {
    const f = asCaseloadFull({ cap: 15, current: 15, limit: 'team_cap', on_this_team: 15, on_other_teams: 0, adding: 1 })!
    expect(caseloadFullWords(f, 'Chris Adams')).toBe('Not assigned: Chris Adams already carries 15 clients on this team; this team\'s cap is 15, so Chris Adams cannot take another client.')
    const g = asCaseloadFull({ cap: 10, current: 10, limit: 'team_cap', on_this_team: 10, on_other_teams: 3, adding: 2 })!
    expect(caseloadFullWords(g, 'Pat')).toContain('(13 over all ICM teams)')
    expect(caseloadFullWords(g, 'Pat')).toContain('2 more clients')
  })

  it('an answer without the numbers is not read as one', () => {
    expect(asCaseloadFull({ code: 'caseload_full' })).toBeNull()
  })
})
