import { describe, expect, it } from 'vitest'
import { NewFlagWatch, alertDevice, countBySeverity, flagWords } from './alerts'
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
