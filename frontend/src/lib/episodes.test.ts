import { describe, expect, it } from 'vitest'
import { awayShort, awayWords, changeWords, clientsWords, episodeDays, figure, takesAway } from './episodes'

describe('episodes in words', () => {
  it('says where an away client is, or only "Away" on a wall', () => {
    expect(awayWords({ episode_id: 'e', kind: 'psychiatric_admission', since: '2026-11-29' })).toBe('In hospital (psychiatric) since Sun 29 Nov')
    expect(awayWords({ episode_id: 'e', kind: 'jail', since: null })).toBe('In jail')
    expect(awayWords({ episode_id: 'e', kind: null, since: null })).toBe('Away')
    expect(awayShort({ episode_id: 'e', kind: 'medical_admission', since: '2026-11-28' })).toBe('In hospital since Sat 28 Nov')
    expect(awayShort({ episode_id: 'e', kind: null, since: null })).toBe('Away')
    expect(takesAway('crisis_bed')).toBe(true)
    expect(takesAway('homeless')).toBe(false)
    expect(takesAway('ed_visit')).toBe(false)
  })
  it('counts an episode’s days inclusively', () => {
    expect(episodeDays('2026-11-02', '2026-11-05')).toBe('Mon 2 Nov – Thu 5 Nov (4 days)')
    expect(episodeDays('2026-11-02', '2026-11-02')).toBe('Mon 2 Nov')
    expect(episodeDays('2026-11-29', null)).toBe('Sun 29 Nov – now')
  })
  it('puts figures and changes in words', () => {
    expect(figure(1.0833, 2)).toBe('1.08')
    expect(figure(4)).toBe('4')
    expect(figure(null)).toBe('—')
    expect(changeWords(4, 1.5)).toBe('63 % fewer')
    expect(changeWords(2, 3)).toBe('50 % more')
    expect(changeWords(0, 0)).toBe('no change')
    expect(changeWords(0, 1)).toBe('up from none')
    expect(clientsWords(1)).toBe('1 client — few: read with care')
    expect(clientsWords(40)).toBe('40 clients')
  })
})
