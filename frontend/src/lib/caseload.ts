// The ICM caseload caps as the planner shows them: a case manager is full at the team's cap
// (counted on this team) or at 15 over every ICM team they work in (the person's cap), and
// a `caseload_full` refusal in words, with the person's total over teams.

/** The most active and transitioning clients one case manager carries over every ICM team. */
export const PERSON_CAP = 15

/**
 * Is a case manager full? `here`: on this team (the board's count); `elsewhere`: on other
 * ICM teams, when known (a `caseload_full` answer says it; the board does not).
 */
export function isFull(here: number, teamCap: number, elsewhere = 0): boolean {
  return here >= teamCap || here + elsewhere >= PERSON_CAP
}

/** What a 409 `caseload_full` carries (src/db/caseload.rs). */
export interface CaseloadFull {
  cap: number
  current: number
  limit: 'person_cap' | 'team_cap' | string
  staff_id?: string
  on_this_team: number
  on_other_teams: number
  adding: number
}

export function asCaseloadFull(body: Record<string, unknown>): CaseloadFull | null {
  const n = (k: string) => (typeof body[k] === 'number' ? (body[k] as number) : null)
  const cap = n('cap')
  const here = n('on_this_team')
  if (cap === null || here === null) return null
  return {
    cap,
    current: n('current') ?? here,
    limit: String(body.limit ?? ''),
    staff_id: typeof body.staff_id === 'string' ? body.staff_id : undefined,
    on_this_team: here,
    on_other_teams: n('on_other_teams') ?? 0,
    adding: n('adding') ?? 1,
  }
}

/**
 * "Not assigned: Kelly Ward already carries 15 clients over all ICM teams (10 on this
 * team, 5 on other teams); one person carries at most 15."
 */
export function caseloadFullWords(f: CaseloadFull, name: string): string {
  const total = f.on_this_team + f.on_other_teams
  const more = f.adding === 1 ? 'another client' : `${f.adding} more clients`
  if (f.limit === 'person_cap') {
    return `Not assigned: ${name} already carries ${total} clients over all ICM teams (${f.on_this_team} on this team, ${f.on_other_teams} on other teams); one person carries at most ${f.cap}, so ${name} cannot take ${more}.`
  }
  const elsewhere = f.on_other_teams ? ` (${total} over all ICM teams)` : ''
  return `Not assigned: ${name} already carries ${f.on_this_team} clients on this team${elsewhere}; this team's cap is ${f.cap}, so ${name} cannot take ${more}.`
}
