import { describe, expect, test } from 'vitest'
import { setupSteps } from './Overview'
import { canTake, loadWords, planned } from '../../components/Handover'
import { timeZoneProblem } from '../../components/TimezoneField'
import type { Schemas } from '../../lib/api'

type TeamSetup = Schemas['TeamSetup']
const team = (over: Partial<TeamSetup> = {}): TeamSetup => ({
  id: 't1', name: 'Harbor', mode: 'act', timezone: 'America/Chicago', caseload_cap: 15,
  members: 0, leads: 0, clients: 0, upcoming_shifts: 0, has_rota_pattern: false, display_tokens: 0, ...over,
})
const done = (s: Schemas['SetupOut']) => setupSteps(s).map((x) => `${x.key}:${x.done ? 'yes' : 'no'}`)

describe('the set-up checklist', () => {
  test('an empty installation: nothing done, the first step is creating a team', () => {
    const steps = setupSteps({ teams: [], active_staff: 0, inactive_staff: 0, admins: 1 })
    expect(steps.every((s) => !s.done)).toBe(true)
    expect(steps[0].href).toBe('/admin/teams')
  })

  test('each step ticks from the counts; a team without a lead keeps "members" open and links to it', () => {
    const a = team({ id: 'a', members: 3, leads: 1, clients: 2, upcoming_shifts: 4, display_tokens: 1 })
    const b = team({ id: 'b', members: 2, leads: 0, has_rota_pattern: true })
    const s = { teams: [a, b], active_staff: 4, inactive_staff: 0, admins: 1 }
    expect(done(s)).toEqual(['team:yes', 'staff:yes', 'members:no', 'clients:yes', 'oncall:yes', 'display:no'])
    const steps = setupSteps(s)
    expect(steps.find((x) => x.key === 'members')!.href).toBe('/admin/teams/b')
    expect(steps.find((x) => x.key === 'display')!.href).toBe('/teams/b/settings')
  })

  test('everything done', () => {
    const a = team({ members: 3, leads: 1, clients: 1, has_rota_pattern: true, display_tokens: 2 })
    expect(done({ teams: [a], active_staff: 3, inactive_staff: 1, admins: 1 }).every((x) => x.endsWith('yes'))).toBe(true)
  })
})

describe('a hand-over plan on an ICM team', () => {
  const t: Schemas['HandoverTeam'] = {
    team_id: 't', name: 'North', mode: 'icm', caseload_cap: 15,
    clients: [
      { id: 'c1', given_name: 'A', family_name: 'A', status: 'active', holds_slot: true },
      { id: 'c2', given_name: 'B', family_name: 'B', status: 'active', holds_slot: true },
      { id: 'c3', given_name: 'C', family_name: 'C', status: 'referred', holds_slot: false },
    ],
    candidates: [],
  }
  const ann: Schemas['Candidate'] = { staff_id: 'ann', display_name: 'Ann', discipline: 'case_manager', role: 'member', on_this_team: 14, on_icm_teams: 14, cap: 15, room: 1 }
  const full: Schemas['Candidate'] = { ...ann, staff_id: 'fay', on_this_team: 15, on_icm_teams: 15, room: 0 }

  test('the plan uses up room: one slot left takes one active client, then no more', () => {
    expect(canTake(t, {}, ann, t.clients[0])).toBe(true)
    const choice = { c1: 'ann' }
    expect(planned(t, choice, 'ann')).toBe(1)
    expect(canTake(t, choice, ann, t.clients[1])).toBe(false)
    // Its own line stays choosable, and a referral takes no slot.
    expect(canTake(t, choice, ann, t.clients[0])).toBe(true)
    expect(canTake(t, choice, ann, t.clients[2])).toBe(true)
  })

  test('a full person is shown as full and offered nothing that takes a slot', () => {
    expect(loadWords(t, full, 0)).toBe('15 / 15 — full')
    expect(canTake(t, {}, full, t.clients[0])).toBe(false)
    expect(loadWords(t, ann, 1)).toBe('15 / 15')
  })

  test('a lower team cap is shown for the team and overall', () => {
    expect(loadWords({ ...t, caseload_cap: 10 }, { ...ann, on_this_team: 4, on_icm_teams: 9, room: 6 }, 0)).toBe('4 / 10 here, 9 / 15 in all')
  })
})

describe('time zones from the list', () => {
  test('a listed name passes; anything else is explained', () => {
    const zones = ['America/Chicago', 'Europe/Berlin', 'UTC']
    expect(timeZoneProblem('America/Chicago', zones)).toBeNull()
    expect(timeZoneProblem(' Europe/Berlin ', zones)).toBeNull()
    expect(timeZoneProblem('Mars/Olympus', zones)).toMatch(/not a time zone name/)
    expect(timeZoneProblem('', zones)).toBe('Choose a time zone.')
  })
})
