// Writing an I-PASS handoff: the draft pre-filled from the board (the open flags and today's
// visits of the sender's clients), the due time of an action as an instant, and the server's
// field-named 422 errors mapped back to the fields on screen.
import type { Board, FlagOut } from '../live/types'
import type { Schemas } from './api'

export type Severity = Schemas['IllnessSeverity']

export interface DraftAction { text: string; owner_id: string; due: string }
export interface DraftItem { client_id: string; severity: Severity; summary: string; actions: DraftAction[]; contingency: string }

/** A crisis flag's severity as an illness severity: an emergency is unstable, the rest watchers. */
export function severityOf(f: Pick<FlagOut, 'severity'>): Severity {
  return f.severity === 'emergency' ? 'unstable' : 'watcher'
}

const FLAG_WORD: Record<string, string> = { emergency: 'Emergency', urgent: 'Urgent', watch: 'Watch' }

/**
 * The items a handoff starts with: every client of mine (case manager, or someone who raised
 * or responds to its flag) with an open flag, the worst flag first, then my clients with a
 * visit of mine today that is not done yet ("follow-ups").
 */
export function draftItems(board: Board, me: string): DraftItem[] {
  const out: DraftItem[] = []
  for (const c of board.clients) {
    const flags = c.open_flags ?? []
    const mine = c.case_manager_id === me || flags.some((f) => f.raised_by === me || (f.responders ?? []).some((r) => r.staff_id === me))
    if (!mine) continue
    if (flags.length) {
      const worst = flags.find((f) => f.severity === 'emergency') ?? flags.find((f) => f.severity === 'urgent') ?? flags[0]
      out.push({
        client_id: c.id,
        severity: severityOf(worst),
        summary: flags.map((f) => `${FLAG_WORD[f.severity] ?? f.severity} flag: ${f.reason ?? ''}`.trim()).join(' '),
        actions: [],
        contingency: '',
      })
      continue
    }
    const due = (c.today ?? []).filter((v) => v.status === 'planned' && v.staff_ids.includes(me))
    if (due.length) {
      out.push({
        client_id: c.id,
        severity: 'stable',
        summary: `Follow-up today: ${due.map((v) => `${v.start ?? 'any time'} ${v.activity}`).join(', ')}.`,
        actions: [],
        contingency: '',
      })
    }
  }
  return out
}

function parts(ms: number, tz: string): number[] {
  const f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
  const p: Record<string, number> = {}
  for (const x of f.formatToParts(new Date(ms))) if (x.type !== 'literal') p[x.type] = Number(x.value)
  return [p.year, p.month, p.day, p.hour, p.minute]
}

/** A team-local wall-clock time (day YYYY-MM-DD, HH:MM) as epoch ms. */
export function wallToMs(day: string, hhmm: string, tz: string): number {
  const [y, m, d] = day.split('-').map(Number)
  const [hh, mm] = hhmm.split(':').map(Number)
  const want = Date.UTC(y, m - 1, d, hh, mm)
  let guess = want
  // Two corrections by the zone's offset at the guess settle it (also across a DST change).
  for (let i = 0; i < 2; i++) {
    const [py, pm, pd, ph, pmin] = parts(guess, tz)
    guess += want - Date.UTC(py, pm - 1, pd, ph, pmin)
  }
  return guess
}

/**
 * An action's "by" time (HH:MM, team-local) as an RFC 3339 instant: the next such time from
 * now, so 07:30 written at 23:00 means tomorrow morning.
 */
export function dueInstant(hhmm: string, tz: string, now = Date.now()): string {
  const [y, m, d] = parts(now, tz)
  const day = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
  let ms = wallToMs(day, hhmm, tz)
  if (ms <= now) {
    const next = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10)
    ms = wallToMs(next, hhmm, tz)
  }
  return new Date(ms).toISOString()
}

/** The request body for a draft (blank actions dropped). */
export function handoffBody(to: string, shiftId: string | null, items: DraftItem[], tz: string, now = Date.now()): Schemas['NewHandoff'] {
  return {
    to_staff_id: to,
    shift_id: shiftId ?? undefined,
    items: items.map((it) => ({
      client_id: it.client_id,
      severity: it.severity,
      summary: it.summary.trim(),
      contingency: it.contingency.trim(),
      actions: it.actions.filter((a) => a.text.trim()).map((a) => ({
        text: a.text.trim(),
        owner_id: a.owner_id || undefined,
        due_at: a.due ? dueInstant(a.due, tz, now) : undefined,
      })),
    })),
  }
}

/**
 * What is wrong before sending, by field name as the server would name it
 * (`to_staff_id`, `items[0].contingency`, …). Empty when the draft can go.
 */
export function checkDraft(to: string, items: DraftItem[]): Record<string, string> {
  const e: Record<string, string> = {}
  if (!to) e.to_staff_id = 'Choose who receives the handoff.'
  if (items.length === 0) e.items = 'Add at least one client.'
  items.forEach((it, i) => {
    if (!it.summary.trim()) e[`items[${i}].summary`] = 'Write a short summary of the situation.'
    if (it.severity === 'unstable' && !it.contingency.trim()) e[`items[${i}].contingency`] = 'An unstable client needs a contingency: what to do if it gets worse.'
  })
  return e
}

/**
 * Field errors from a 422 (problem+json `errors: [{field, message}]`). An action's fields are
 * kept on the action (`items[0].actions[1].owner_id`); an unknown field goes under `form`.
 */
export function serverFieldErrors(body: Record<string, unknown>, fallback: string): Record<string, string> {
  const list = Array.isArray(body.errors) ? (body.errors as { field?: unknown; message?: unknown }[]) : []
  const out: Record<string, string> = {}
  for (const x of list) {
    const field = typeof x.field === 'string' ? x.field : 'form'
    const msg = typeof x.message === 'string' ? x.message : fallback
    out[field] = msg.charAt(0).toUpperCase() + msg.slice(1) + (msg.endsWith('.') ? '' : '.')
  }
  if (!Object.keys(out).length) out.form = fallback
  return out
}
