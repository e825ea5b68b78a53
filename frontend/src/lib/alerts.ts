// Crisis-flag alerts on a device that may be locked: counts by severity (all a lock screen
// may show), which open flags are new since the lock, and the device alert itself
// (vibration, a system notification) that never carries a client's name or a flag's text.
import type { FlagOut } from '../live/types'

export type Severity = FlagOut['severity']

/** Most severe first. */
export const SEVERITIES: readonly Severity[] = ['emergency', 'urgent', 'watch']

/** The severities that wake a locked phone. */
export const ALERTING: ReadonlySet<Severity> = new Set(['emergency', 'urgent'])

export function countBySeverity(flags: readonly Pick<FlagOut, 'severity'>[]): Record<Severity, number> {
  const n: Record<Severity, number> = { emergency: 0, urgent: 0, watch: 0 }
  for (const f of flags) if (f.severity in n) n[f.severity]++
  return n
}

/** "EMERGENCY flag", "URGENT flags": the words after a count of `n`. */
export function flagWords(n: number, severity: Severity): string {
  return `${severity.toUpperCase()} flag${n === 1 ? '' : 's'}`
}

/**
 * Which open flags are new while a screen is locked. A team's first board only teaches
 * what is already open (it was on screen before the lock, or came with the first
 * snapshot); after that, an emergency or urgent flag whose id was never seen is new, once.
 * By id rather than by event, so a flag that arrives in a fresh snapshot (after a long
 * disconnect) alerts too.
 */
export class NewFlagWatch {
  private readonly seen = new Set<string>()
  private readonly teams = new Set<string>()

  update(teamId: string, open: readonly FlagOut[]): FlagOut[] {
    const first = !this.teams.has(teamId)
    this.teams.add(teamId)
    const fresh: FlagOut[] = []
    for (const f of open) {
      if (this.seen.has(f.id)) continue
      this.seen.add(f.id)
      if (!first && ALERTING.has(f.severity)) fresh.push(f)
    }
    return fresh
  }
}

/** What the alert needs from the browser (injected by tests). */
export interface AlertEnv {
  vibrate?: (pattern: number[]) => boolean
  notify?: (title: string, options: NotificationOptions) => void
}

/** The browser's: vibration where there is one, a notification where it was allowed. */
export function browserAlertEnv(): AlertEnv {
  const env: AlertEnv = {}
  if (typeof navigator !== 'undefined' && typeof navigator.vibrate === 'function') env.vibrate = (p) => navigator.vibrate(p)
  if (typeof Notification !== 'undefined' && Notification.permission === 'granted') {
    env.notify = (title, options) => {
      try {
        new Notification(title, options)
      } catch {
        // Android's Chrome allows notifications only from a service worker; the vibration stays.
      }
    }
  }
  return env
}

/** Buzz and notify for a new flag: its severity and team only, nothing clinical. */
export function alertDevice(severity: Severity, teamName: string, env: AlertEnv = browserAlertEnv()): void {
  env.vibrate?.(severity === 'emergency' ? [400, 150, 400, 150, 400] : [300, 120, 300])
  env.notify?.(`${severity.toUpperCase()} flag — ${teamName}`, {
    body: 'Open actboard to see it.',
    requireInteraction: severity === 'emergency',
  })
}

// ---------------------------------------------------------------------------------------
// Escalations: an emergency nobody answered in the team's `escalate_after_minutes`.

/** What a `flag.escalated` event says (src/store/flags.rs `FlagEscalated`). */
export interface Escalation {
  flag: FlagOut
  alert_staff_ids: readonly string[]
}

/**
 * Should this device alert its signed-in person `me` for an escalation? When the event
 * names `me` among those to alert, the flag is still open and still unanswered on the
 * board as it stands now (`open`: the board's open flags after the event; a replay after a
 * reconnect may bring an escalation someone has answered since), and this device has not
 * alerted for that flag already (`alerted`: flag ids).
 */
export function escalationAlertsMe(e: Escalation, me: string, open: readonly FlagOut[], alerted: ReadonlySet<string>): boolean {
  if (!me || !e?.flag || !Array.isArray(e.alert_staff_ids) || !e.alert_staff_ids.includes(me)) return false
  if (alerted.has(e.flag.id)) return false
  const now = open.find((f) => f.id === e.flag.id)
  return !!now && now.resolved_at == null && (now.responders?.length ?? 0) === 0
}

/** Buzz long and notify: an escalated emergency, with the team's name only (nothing clinical). */
export function alertEscalation(teamName: string, flagId: string, env: AlertEnv = browserAlertEnv()): void {
  env.vibrate?.([700, 200, 700, 200, 700, 200, 700])
  env.notify?.(`ESCALATED emergency — ${teamName}`, {
    body: 'No one is responding yet. Open actboard.',
    requireInteraction: true,
    // One notification per flag, even when several tabs hear it.
    tag: `escalated-${flagId}`,
  })
}

/** Whole minutes from `since` (an RFC 3339 instant) to `nowMs`, never below 0. */
export function minutesSince(since: string, nowMs: number): number {
  const t = Date.parse(since)
  return Number.isNaN(t) ? 0 : Math.max(0, Math.floor((nowMs - t) / 60_000))
}

/**
 * "no one responding for 12 min" (since the flag was raised), or null once someone responds.
 */
export function unansweredWords(f: Pick<FlagOut, 'raised_at' | 'responders'>, nowMs: number): string | null {
  if ((f.responders?.length ?? 0) > 0) return null
  const m = minutesSince(f.raised_at, nowMs)
  return m < 1 ? 'no one responding yet' : `no one responding for ${m} min`
}
