import { describe, expect, test } from 'vitest'
import { checkDraft, draftItems, dueInstant, handoffBody, serverFieldErrors, severityOf, wallToMs } from './handoffDraft'
import type { Board } from '../live/types'

const ME = 'me'
function board(clients: unknown[]): Board {
  return { clients } as unknown as Board
}
const flag = (severity: string, reason: string, extra: object = {}) => ({ id: reason, severity, reason, raised_by: 'x', responders: [], ...extra })

describe('handoff drafts', () => {
  test('flags map to illness severity: emergency is unstable, urgent and watch are watchers', () => {
    expect(severityOf({ severity: 'emergency' })).toBe('unstable')
    expect(severityOf({ severity: 'urgent' })).toBe('watcher')
    expect(severityOf({ severity: 'watch' })).toBe('watcher')
  })

  test('items: my flagged clients (with the reason) and my planned visits today; others are left out', () => {
    const items = draftItems(board([
      { id: 'a', case_manager_id: ME, open_flags: [flag('urgent', 'Eviction'), flag('emergency', 'Off meds')], today: [] },
      { id: 'b', case_manager_id: 'other', open_flags: [flag('watch', 'Not mine')], today: [] },
      { id: 'c', case_manager_id: 'other', open_flags: [flag('watch', 'I respond', { responders: [{ staff_id: ME }] })], today: [] },
      { id: 'd', case_manager_id: ME, open_flags: [], today: [{ status: 'planned', staff_ids: [ME], start: '14:00', activity: 'housing' }, { status: 'completed', staff_ids: [ME], start: '09:00', activity: 'x' }] },
      { id: 'e', case_manager_id: ME, open_flags: [], today: [] },
    ]), ME)
    expect(items.map((i) => i.client_id)).toEqual(['a', 'c', 'd'])
    expect(items[0].severity).toBe('unstable')
    expect(items[0].summary).toContain('Eviction')
    expect(items[0].summary).toContain('Off meds')
    expect(items[2]).toMatchObject({ severity: 'stable', summary: 'Follow-up today: 14:00 housing.' })
  })

  test('wall-clock times convert in the team zone, also on a DST day', () => {
    expect(new Date(wallToMs('2026-07-01', '08:00', 'America/New_York')).toISOString()).toBe('2026-07-01T12:00:00.000Z')
    expect(new Date(wallToMs('2026-01-01', '08:00', 'America/New_York')).toISOString()).toBe('2026-01-01T13:00:00.000Z')
    expect(new Date(wallToMs('2026-03-08', '05:00', 'America/New_York')).toISOString()).toBe('2026-03-08T09:00:00.000Z')
  })

  test('a due time earlier than now is tomorrow', () => {
    const now = Date.parse('2026-07-01T03:00:00Z') // 23:00 in New York, 30 June
    expect(dueInstant('23:30', 'America/New_York', now)).toBe('2026-07-01T03:30:00.000Z')
    expect(dueInstant('07:30', 'America/New_York', now)).toBe('2026-07-01T11:30:00.000Z')
  })

  test('the body drops blank actions and names owner and due time', () => {
    const now = Date.parse('2026-07-01T03:00:00Z')
    const b = handoffBody('to', null, [{ client_id: 'a', severity: 'watcher', summary: ' s ', contingency: '', actions: [{ text: ' Call ', owner_id: 'o', due: '07:30' }, { text: ' ', owner_id: '', due: '' }] }], 'America/New_York', now)
    expect(b.items[0].actions).toEqual([{ text: 'Call', owner_id: 'o', due_at: '2026-07-01T11:30:00.000Z' }])
    expect(b.items[0].summary).toBe('s')
  })

  test('checks before sending: receiver, items, and the contingency of an unstable client', () => {
    const e = checkDraft('', [{ client_id: 'a', severity: 'unstable', summary: 'x', contingency: ' ', actions: [] }])
    expect(Object.keys(e).sort()).toEqual(['items[0].contingency', 'to_staff_id'])
    expect(checkDraft('t', [])).toHaveProperty('items')
    expect(checkDraft('t', [{ client_id: 'a', severity: 'stable', summary: 'x', contingency: '', actions: [] }])).toEqual({})
  })

  test('server 422 errors are kept per field, in words', () => {
    expect(serverFieldErrors({ errors: [{ field: 'to_staff_id', message: 'is not a working member of this team' }] }, 'x'))
      .toEqual({ to_staff_id: 'Is not a working member of this team.' })
    expect(serverFieldErrors({}, 'Something failed')).toEqual({ form: 'Something failed' })
  })
})
