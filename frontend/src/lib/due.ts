// What is due for the team, for the huddle: handoff actions due on the board's day, planned
// visits whose time has passed and are not closed out (today's and the last week's), visits
// of a recurring series due today (a depot injection), and the hours of the next 24 with
// nobody on call. Pure: the board (kept live), the planned visits of earlier days and the
// on-call gaps (both read by the huddle: GET …/contacts?status=planned, GET …/oncall/coverage)
// and the clock come in; words come out, in the team's time.
//
// Care-cycle items (reassessments, plan reviews, goal target days, check-ins after a client
// left) come from the server's rule, in the board's `due` list (GET …/due; the board reads it
// again whenever a care record changes): those due today or overdue are on the list, overdue
// ones red. A privacy display receives only their counts (`due_counts`).
//
// Handoff actions have a text, an owner and a due time but no "done" mark: an action is due
// until its day is over (the handoff's receiver closes it by acting, not in the app).
import type { Board, ContactOut, DueItemOut, HandoffOut } from '../live/types'
import { localDay } from '../live/time'
import { formatTeamTime, longDay } from './time'
import { localWords, spanWords } from './rota'

export type CareKind = DueItemOut['kind']
export type DueKind = 'handoff_action' | 'overdue_visit' | 'series_visit' | 'oncall_gap' | CareKind

export interface DueItem {
  kind: DueKind
  /** Unique within one list (for keys and tests). */
  key: string
  /** The client it is about (null: the team's, an on-call gap). */
  client_id: string | null
  /** When it is (was) due, ms since the epoch: the sort order. */
  at: number
  /** Its time has passed. */
  overdue: boolean
  /** "14:00", or "Sun 29 Nov 14:00" on another day, or "any time". */
  when: string
  /** What is due: the action's text, the visit's activity, "No one on call …". */
  what: string
  /** Who does it (staff ids), when someone is named. */
  staff_ids: string[]
  /** A visit of a recurring series (a depot injection). */
  recurring?: boolean
  /** The client's name when the board's roster may not have them (a check-in after they left). */
  name?: string
  /** The client's page is on this team (a discharged client: the check-ins are recorded there). */
  page?: boolean
  /** A check-in to record (`kind` checkin). */
  checkin_id?: string
}

/** An uncovered interval, as GET …/oncall/coverage sends it. */
export interface Gap {
  starts_at: string
  ends_at: string
  starts_local: string
  ends_local: string
}

/** Days back the huddle reads planned visits that were never closed out. */
export const OVERDUE_DAYS = 7

/** The word for each kind, shown beside the colour (colour is never alone). */
export const DUE_WORD: Record<DueKind, string> = {
  handoff_action: 'Handoff action',
  overdue_visit: 'Overdue visit',
  series_visit: 'Recurring visit',
  oncall_gap: 'On-call gap',
  reassessment: 'Reassessment',
  plan_review: 'Plan review',
  goal_target: 'Goal target',
  checkin: 'Check-in',
}

/** What a care item asks for, in words. */
export function careWhat(d: DueItemOut): string {
  switch (d.kind) {
    case 'reassessment': return 'Reassessment due (six months since the last)'
    case 'plan_review': return 'Support plan review due (every 90 days)'
    case 'goal_target': return 'A goal reaches its target date'
    case 'checkin': return `Check-in after the transition${d.on_team ? '' : ` (${d.status === 'discharged' ? 'discharged' : 'now with another team'})`}`
  }
}

/** Care items of the board's `due` list that are due on `today` or overdue. */
export function careItems(due: readonly DueItemOut[], today: string): DueItem[] {
  return due
    .filter((d) => d.overdue || d.due_on <= today)
    .map((d) => ({
      kind: d.kind,
      key: `care:${d.kind}:${d.client_id}:${d.goal_id ?? d.checkin_id ?? ''}`,
      client_id: d.client_id,
      at: Date.parse(`${d.due_on}T00:00:00Z`),
      overdue: d.overdue,
      when: d.overdue ? `since ${longDay(d.due_on)}` : 'today',
      what: careWhat(d),
      staff_ids: [],
      name: d.display_name,
      page: d.record_here,
      checkin_id: d.checkin_id ?? undefined,
    }))
}

/** "2 care items due · 1 overdue" for a privacy display (counts only), or null. */
export function careCountWords(counts: { due: number; overdue: number } | undefined): string | null {
  if (!counts || counts.due === 0) return null
  return `${counts.due} care item${counts.due === 1 ? '' : 's'} due this week${counts.overdue ? ` · ${counts.overdue} overdue` : ''}`
}

/** "HH:MM" now in the team's zone. */
function nowLocal(nowMs: number, tz: string): string {
  return formatTeamTime(new Date(nowMs).toISOString(), tz)
}

/** A visit's end (or start, without an end) has passed, as of `today`/`now` (team-local). */
export function visitPassed(v: Pick<ContactOut, 'day' | 'start' | 'end'>, today: string, now: string): boolean {
  if (v.day < today) return true
  if (v.day > today) return false
  const last = v.end ?? v.start
  // A visit without a time is due any time today: not overdue until the day is over.
  return last != null && last <= now
}

function visitWhat(v: ContactOut): string {
  // A privacy display receives no activity (typed text): the kind and place still say enough.
  return `${(v.activity as string | undefined) ?? 'visit'} (${v.kind.replace(/_/g, ' ')}, ${v.place})`
}

function visitWhen(v: ContactOut, boardDay: string): string {
  const t = v.start ? `${v.start}${v.end ? `–${v.end}` : ''}` : 'any time'
  return v.day === boardDay ? t : `${longDay(v.day)} ${t}`
}

function handoffActions(h: HandoffOut, day: string, tz: string, nowMs: number): DueItem[] {
  const out: DueItem[] = []
  h.items.forEach((it, i) => {
    ;(it.actions ?? []).forEach((a, j) => {
      if (!a.due_at) return
      const ms = Date.parse(a.due_at)
      if (Number.isNaN(ms) || localDay(ms, tz) !== day) return
      out.push({
        kind: 'handoff_action',
        key: `h:${h.id}:${i}:${j}`,
        client_id: it.client_id,
        at: ms,
        overdue: ms <= nowMs,
        when: formatTeamTime(a.due_at, tz),
        what: a.text,
        staff_ids: [a.owner_id ?? h.to_staff_id],
      })
    })
  })
  return out
}

/**
 * The order of the list: nobody on call first (the team's safety), then what a handoff asked
 * for, then recurring visits (a depot injection late or due), then care items (check-ins,
 * reviews, reassessments, goal targets), then the other overdue visits (often many: they
 * follow the short list, never bury it).
 */
function rank(d: DueItem): number {
  if (d.kind === 'oncall_gap') return 0
  if (d.kind === 'handoff_action') return 1
  if (d.kind === 'series_visit' || d.recurring) return 2
  if (d.kind === 'overdue_visit') return 4
  return 3
}

/**
 * Everything due on the board's day, by kind (`rank`), overdue first, then by time. `earlier` are planned
 * visits of days before the board's day (any older than OVERDUE_DAYS are left out);
 * `gaps` the on-call gaps around now (only the next 24 hours are kept).
 */
export function dueItems(board: Board, earlier: readonly ContactOut[], gaps: readonly Gap[], nowMs: number): DueItem[] {
  const tz = board.team.timezone
  const today = localDay(nowMs, tz) ?? board.day
  const now = nowLocal(nowMs, tz)
  const day = board.day
  const out: DueItem[] = []

  for (const h of board.handoffs) out.push(...handoffActions(h, day, tz, nowMs))

  const oldest = (() => {
    const [y, m, d] = day.split('-').map(Number)
    return new Date(Date.UTC(y, m - 1, d - OVERDUE_DAYS)).toISOString().slice(0, 10)
  })()
  const seen = new Set<string>()
  const visits: ContactOut[] = []
  for (const c of board.clients) for (const v of c.today) visits.push(v)
  for (const v of earlier) if (v.day < day && v.day >= oldest) visits.push(v)
  for (const v of visits) {
    if (v.status !== 'planned' || seen.has(v.id)) continue
    seen.add(v.id)
    const at = Date.parse(v.occurred_at)
    if (visitPassed(v, today, now)) {
      out.push({ kind: 'overdue_visit', key: `v:${v.id}`, client_id: v.client_id, at, overdue: true, when: visitWhen(v, day), what: `${visitWhat(v)}${v.series_id ? ' — recurring' : ''}`, staff_ids: v.staff_ids, recurring: !!v.series_id })
    } else if (v.series_id && v.day === day) {
      out.push({ kind: 'series_visit', key: `v:${v.id}`, client_id: v.client_id, at, overdue: false, when: visitWhen(v, day), what: visitWhat(v), staff_ids: v.staff_ids, recurring: true })
    }
  }

  out.push(...careItems(board.due ?? [], today))

  const horizon = nowMs + 24 * 3_600_000
  for (const g of gaps) {
    const a = Date.parse(g.starts_at)
    const z = Date.parse(g.ends_at)
    if (!(z > nowMs && a < horizon)) continue
    const from = Math.max(a, nowMs)
    const endWords = localDay(z, tz) === today ? formatTeamTime(g.ends_at, tz) : localWords(g.ends_local)
    const when = a <= nowMs ? `now–${endWords}` : localDay(a, tz) === today ? `${formatTeamTime(g.starts_at, tz)}–${endWords}` : spanWords(g)
    out.push({ kind: 'oncall_gap', key: `g:${g.starts_at}`, client_id: null, at: from, overdue: a <= nowMs, when, what: 'No one on call', staff_ids: [] })
  }

  return out.sort((x, y) => rank(x) - rank(y) || Number(y.overdue) - Number(x.overdue) || x.at - y.at || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))
}

/** "3 due · 1 overdue", or "Nothing due". */
export function dueSummary(items: readonly DueItem[]): string {
  if (items.length === 0) return 'Nothing due'
  const late = items.filter((i) => i.overdue).length
  return `${items.length} due${late ? ` · ${late} overdue` : ''}`
}
