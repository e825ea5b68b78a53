import { describe, expect, it } from 'vitest'
import { NewFlagWatch, alertDevice, alertEscalation, countBySeverity, escalationAlertsMe, flagWords, unansweredWords } from './alerts'
import { flag } from '../live/test-fixtures'

const at = '2026-11-25T03:00:00.000000Z'

describe('lock screen counts', () => {
  it('counts open flags by severity, in words', () => {
    const n = countBySeverity([flag('a', 'c1', 'emergency', at), flag('b', 'c2', 'urgent', at), flag('c', 'c3', 'urgent', at)])
    expect(n).toEqual({ emergency: 1, urgent: 2, watch: 0 })
    expect(`${n.emergency} ${flagWords(n.emergency, 'emergency')}`).toBe('1 EMERGENCY flag')
    expect(`${n.urgent} ${flagWords(n.urgent, 'urgent')}`).toBe('2 URGENT flags')
  })
})

describe('new flags while locked', () => {
  it('the first board of a team only teaches what is open; then each new emergency or urgent flag alerts once', () => {
    const w = new NewFlagWatch()
    const old = flag('old', 'c1', 'emergency', at)
    expect(w.update('t1', [old])).toEqual([])
    const e = flag('e', 'c2', 'emergency', at)
    const u = flag('u', 'c3', 'urgent', at)
    const watch = flag('w', 'c4', 'watch', at)
    expect(w.update('t1', [old, e, u, watch]).map((f) => f.id)).toEqual(['e', 'u'])
    expect(w.update('t1', [old, e, u, watch])).toEqual([])
    // Resolved and gone, then a fresh snapshot brings one raised meanwhile: still new.
    expect(w.update('t1', [flag('late', 'c5', 'urgent', at)]).map((f) => f.id)).toEqual(['late'])
  })

  it('keeps teams apart: a second team\'s first board does not alert', () => {
    const w = new NewFlagWatch()
    w.update('t1', [])
    expect(w.update('t2', [flag('x', 'c1', 'emergency', at)])).toEqual([])
    expect(w.update('t2', [flag('x', 'c1', 'emergency', at), flag('y', 'c1', 'emergency', at)]).map((f) => f.id)).toEqual(['y'])
  })
})

describe('the device alert', () => {
  it('vibrates and notifies with the severity and the team only', () => {
    const buzz: number[][] = []
    const notes: { title: string; body?: string }[] = []
    alertDevice('emergency', 'Riverside ACT', { vibrate: (p) => (buzz.push(p), true), notify: (title, o) => notes.push({ title, body: o.body }) })
    expect(buzz).toHaveLength(1)
    expect(notes).toEqual([{ title: 'EMERGENCY flag — Riverside ACT', body: 'Open actboard to see it.' }])
  })

  it('does nothing it cannot: no vibration motor, no permission', () => {
    expect(() => alertDevice('urgent', 'T', {})).not.toThrow()
  })
})

describe('escalations: should this device alert?', () => {
  const ME = 'staff-me'
  const esc = flag('e1', 'c1', 'emergency', at, { escalated_at: '2026-11-25T03:10:00.000000Z' })
  const event = (ids: string[], f = esc) => ({ flag: f, alert_staff_ids: ids, lead_ids: [], on_call_staff_id: null })

  it('alerts the people the event names, while the flag is open and unanswered', () => {
    expect(escalationAlertsMe(event([ME, 'lead']), ME, [esc], new Set())).toBe(true)
    expect(escalationAlertsMe(event(['lead']), ME, [esc], new Set())).toBe(false)
  })

  it('once per flag on this device', () => {
    expect(escalationAlertsMe(event([ME]), ME, [esc], new Set(['e1']))).toBe(false)
  })

  it('not for a flag answered or resolved since (a replay after a reconnect)', () => {
    const answered = { ...esc, responders: [{ staff_id: 's', display_name: 'Sam', initials: 'S', at }] }
    expect(escalationAlertsMe(event([ME]), ME, [answered], new Set())).toBe(false)
    expect(escalationAlertsMe(event([ME]), ME, [], new Set())).toBe(false)
  })

  it('not without a signed-in person, nor for a malformed event', () => {
    expect(escalationAlertsMe(event([ME]), '', [esc], new Set())).toBe(false)
    expect(escalationAlertsMe({ flag: esc } as never, ME, [esc], new Set())).toBe(false)
  })

  it('the alert buzzes long and notifies without names', () => {
    const buzz: number[][] = []
    const notes: { title: string; body?: string; tag?: string }[] = []
    alertEscalation('Riverside ACT', 'e1', { vibrate: (p) => (buzz.push(p), true), notify: (title, o) => notes.push({ title, body: o.body, tag: o.tag }) })
    expect(buzz[0].length).toBeGreaterThan(5)
    expect(notes).toEqual([{ title: 'ESCALATED emergency — Riverside ACT', body: 'No one is responding yet. Open actboard.', tag: 'escalated-e1' }])
  })

  it('"no one responding for 12 min", until someone responds', () => {
    const raised = Date.parse(at)
    expect(unansweredWords(esc, raised + 12 * 60_000 + 30_000)).toBe('no one responding for 12 min')
    expect(unansweredWords(esc, raised + 20_000)).toBe('no one responding yet')
    expect(unansweredWords({ ...esc, responders: [{ staff_id: 's', display_name: 'S', initials: 'S', at }] }, raised)).toBeNull()
  })
})
