import { describe, expect, it } from 'vitest'
import { aboveLine, againstRecommendation, barScale, daysPerMonth, monthLabel, recommendationWord, screeningProblems, waitingWords } from './screening'

describe('screening words and rules', () => {
  it('a decision against the recommendation is the server rule', () => {
    expect(againstRecommendation('accept', 'act')).toBe(false)
    expect(againstRecommendation('accept', 'icm')).toBe(false)
    expect(againstRecommendation('accept', 'standard')).toBe(true)
    expect(againstRecommendation('accept', 'refer_elsewhere')).toBe(true)
    expect(againstRecommendation('decline', 'act')).toBe(true)
    expect(againstRecommendation('decline', 'standard')).toBe(false)
    expect(againstRecommendation('decline', 'refer_elsewhere')).toBe(false)
  })
  it('hospital days a month and the line of 4', () => {
    expect(daysPerMonth(96)).toBe(4)
    expect(daysPerMonth(130)).toBe(5.4)
    expect(aboveLine(96)).toBe(true)
    expect(aboveLine(95)).toBe(false)
  })
  it('says how long a referral waited', () => {
    expect(waitingWords(0)).toBe('today')
    expect(waitingWords(1)).toBe('1 day')
    expect(waitingWords(13)).toBe('13 days')
    expect(waitingWords(29)).toBe('29 days (4 weeks)')
  })
  it('labels months and scales bars to at least the O2 line', () => {
    expect(monthLabel('2026-11')).toBe('Nov')
    expect(monthLabel('2027-01')).toBe('Jan 2027')
    expect(barScale([{ referred: 1, accepted: 2, declined: 0 }])).toBe(6)
    expect(barScale([{ referred: 9, accepted: 2, declined: 0 }])).toBe(9)
  })
  it('words the recommendation', () => {
    expect(recommendationWord('refer_elsewhere')).toBe('Refer elsewhere')
    expect(recommendationWord('icm')).toBe('Accept to ICM')
  })
  it('checks the numbers before sending', () => {
    const ok = { diagnosis: 'bipolar', illness_years: '3', psychiatric_admissions_12m: '0', hospital_days_24m: '96', ed_visits_12m: '0' }
    expect(screeningProblems(ok)).toEqual([])
    expect(screeningProblems({ ...ok, diagnosis: '', illness_years: '-1', hospital_days_24m: '800' })).toHaveLength(3)
    expect(screeningProblems({ ...ok, ed_visits_12m: '2.5' })).toHaveLength(1)
  })
})
