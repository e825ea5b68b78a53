// Builders of board documents and event frames for the live tests.

import type {
  Board,
  BoardClient,
  ClientData,
  ContactOut,
  EventDataMap,
  EventFrame,
  EventKind,
  FlagOut,
  ShiftOut,
} from './types.ts'

export const TEAM_ID = '00000000-0000-4000-8000-000000000001'
export const DAY = '2026-11-25' // a Wednesday
export const WEEK_START = '2026-11-23'
export const WEEK_END = '2026-11-29'
/** 2026-11-25T15:00:00.000000Z: mid-afternoon of DAY in UTC. */
export const NOW = Date.UTC(2026, 10, 25, 15, 0, 0)

export const ANN = 'staff-ann'
export const BOB = 'staff-bob'
export const CAT = 'staff-cat'

export function boardClient(id: string, family: string, over: Partial<BoardClient> = {}): BoardClient {
  return {
    id,
    display_name: `Given ${family}`,
    given_name: 'Given',
    family_name: family,
    preferred_name: null,
    initials: `G${family[0]}`,
    status: 'active',
    risk_tier: 'medium',
    case_manager_id: null,
    version: 1,
    open_flags: [],
    today: [],
    last_contact_at: null,
    days_since_contact: null,
    contacts_this_week: 0,
    face_to_face_this_week: 0,
    contacts_7d: 0,
    face_to_face_7d: 0,
    since_last_huddle: null,
    reviewed: false,
    ...over,
  }
}

/** A client record as an event carries it (a privacy display's lacks the names: delete them). */
export function clientOut(id: string, family: string, over: Partial<ClientData> = {}): ClientData {
  return {
    id,
    team_id: TEAM_ID,
    given_name: 'Given',
    family_name: family,
    preferred_name: null,
    initials: `G${family[0]}`,
    external_id: null,
    status: 'active',
    risk_tier: 'medium',
    case_manager_id: null,
    version: 2,
    created_at: '2026-01-01T00:00:00.000000Z',
    updated_at: '2026-11-25T10:00:00.000000Z',
    ...over,
  }
}

export function contact(id: string, clientId: string, over: Partial<ContactOut> = {}): ContactOut {
  const day = over.day ?? DAY
  const start = over.start === undefined ? '10:00' : over.start
  return {
    id,
    team_id: TEAM_ID,
    client_id: clientId,
    staff_ids: [ANN],
    day,
    start,
    end: null,
    occurred_at: `${day}T${start ?? '12:00'}:00.000000Z`,
    kind: 'face_to_face',
    place: 'home',
    activity: 'visit',
    status: 'planned',
    minutes: null,
    note: null,
    version: 1,
    created_by: ANN,
    created_at: '2026-11-25T08:00:00.000000Z',
    updated_at: '2026-11-25T08:00:00.000000Z',
    ...over,
  }
}

export function flag(id: string, clientId: string, severity: string, raisedAt: string, over: Partial<FlagOut> = {}): FlagOut {
  return {
    id,
    team_id: TEAM_ID,
    client_id: clientId,
    initials: 'XX',
    severity,
    category: 'other',
    reason: 'concern',
    raised_by: ANN,
    raised_at: raisedAt,
    acknowledged_by: null,
    acknowledged_at: null,
    responders: [],
    escalated_at: null,
    resolved_by: null,
    resolved_at: null,
    outcome: null,
    version: 1,
    ...over,
  }
}

export function shift(id: string, staffId: string, startsAt: string, endsAt: string): ShiftOut {
  return {
    id,
    staff_id: staffId,
    staff_name: staffId,
    starts_at: startsAt,
    ends_at: endsAt,
    starts_local: startsAt.slice(0, 16),
    ends_local: endsAt.slice(0, 16),
  }
}

export function board(over: Partial<Board> = {}): Board {
  const clients = over.clients ?? [boardClient('c-adams', 'Adams'), boardClient('c-baker', 'Baker'), boardClient('c-clark', 'Clark')]
  return {
    team: {
      id: TEAM_ID,
      name: 'Riverside ACT',
      mode: 'act',
      timezone: 'UTC',
      caseload_cap: 12,
      privacy: 'names',
      version: 1,
      created_at: '2026-01-01T00:00:00.000000Z',
      escalate_after_minutes: 10,
      qualifying_diagnoses: ['schizophrenia_spectrum', 'bipolar', 'major_depression_psychotic', 'other_psychotic', 'personality'],
      qualifying_diagnoses_narrowed: false,
    },
    day: DAY,
    week_start: WEEK_START,
    week_end: WEEK_END,
    rolling_start: '2026-11-19',
    last_huddle_day: null,
    seq: 10,
    generated_at: '2026-11-25T15:00:00.000000Z',
    privacy: 'names',
    on_call: null,
    on_call_next: null,
    handoffs: [],
    staff: [
      { id: ANN, display_name: 'Ann', discipline: 'nursing', role: 'lead', caseload: 0 },
      { id: BOB, display_name: 'Bob', discipline: 'social_work', role: 'member', caseload: 0 },
    ],
    open_flags: [],
    roster_count: clients.length,
    reviewed_count: clients.filter((c) => c.reviewed).length,
    due: [],
    due_counts: { due: 0, overdue: 0 },
    contact_age_days: { high: 2, medium: 4, low: 7 },
    ...over,
    clients,
  }
}

export function ev<K extends EventKind>(seq: number, kind: K, data: EventDataMap[K]): EventFrame {
  return { type: 'event', seq, kind, data, actor: ANN, at: '2026-11-25T15:00:00.000000Z' }
}

/** An HS256-looking JWT with the given exp (seconds); the signature is not checked by the client. */
export function jwt(expSeconds: number, sub = ANN): string {
  const b64 = (o: unknown) =>
    btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')
  return `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub, exp: expSeconds, iat: expSeconds - 900 })}.sig`
}

/** Freeze a value and everything in it (to prove functions do not mutate their inputs). */
export function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v)
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k])
  }
  return v
}
