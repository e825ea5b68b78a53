import { localDay } from '../live/time.ts'

// Time helpers. Timestamps from the server are UTC ISO 8601 strings; the UI
// shows them in the team's local time zone (an IANA name such as
// "Australia/Sydney"), independent of the browser's own time zone.

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    // Throws RangeError for an unknown time zone.
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
    formatters.set(timeZone, f)
  }
  return f
}

/**
 * Format a UTC ISO 8601 timestamp as 24-hour "HH:MM" wall-clock time in the
 * given IANA time zone. Daylight-saving changes are handled by Intl.
 *
 * @throws RangeError if the timestamp cannot be parsed or the zone is unknown.
 */
export function formatTeamTime(isoUtc: string, timeZone: string): string {
  const date = new Date(isoUtc)
  if (Number.isNaN(date.getTime())) {
    throw new RangeError(`Invalid timestamp: ${isoUtc}`)
  }
  let hour = ''
  let minute = ''
  for (const part of formatterFor(timeZone).formatToParts(date)) {
    if (part.type === 'hour') hour = part.value
    else if (part.type === 'minute') minute = part.value
  }
  return `${hour.padStart(2, '0')}:${minute.padStart(2, '0')}`
}

/** Today's date in the team's time zone, as YYYY-MM-DD (the live model's own day function). */
export function teamDay(timeZone: string, at: Date = new Date()): string {
  return localDay(at.getTime(), timeZone) ?? at.toISOString().slice(0, 10)
}

/**
 * The one day format of the app: "Mon 23 Nov" for a YYYY-MM-DD day (a calendar date, no
 * time zone involved). With a time it reads "Mon 23 Nov 14:05" (formatTeamDateTime).
 */
export function longDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number)
  return dayWords(new Date(Date.UTC(y, m - 1, d)), 'UTC')
}

const dayFormats = new Map<string, Intl.DateTimeFormat>()

/** "Mon 23 Nov" of an instant in a zone (en-GB parts, put together in our own order). */
function dayWords(at: Date, timeZone: string): string {
  let f = dayFormats.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short' })
    dayFormats.set(timeZone, f)
  }
  const parts = f.formatToParts(at)
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? ''
  return `${get('weekday')} ${get('day')} ${get('month')}`
}

/**
 * The one date-and-time format of the app, in the team's zone: "Mon 30 Nov 14:05".
 *
 * @throws RangeError if the timestamp cannot be parsed or the zone is unknown.
 */
export function formatTeamDateTime(isoUtc: string, timeZone: string): string {
  const time = formatTeamTime(isoUtc, timeZone)
  return `${dayWords(new Date(isoUtc), timeZone)} ${time}`
}

/** Add days to a YYYY-MM-DD day. */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number)
  const t = new Date(Date.UTC(y, m - 1, d + n))
  return t.toISOString().slice(0, 10)
}

/**
 * A moment a person reads: "14:05" when it falls on the team's today (as of `nowMs`), else
 * the full "Tue 1 Dec 08:00" — never a bare weekday, which on a Monday reads as today or
 * next week alike.
 */
export function formatTeamWhen(isoUtc: string, timeZone: string, nowMs: number = Date.now()): string {
  const at = new Date(isoUtc)
  if (teamDay(timeZone, at) === teamDay(timeZone, new Date(nowMs))) return formatTeamTime(isoUtc, timeZone)
  return formatTeamDateTime(isoUtc, timeZone)
}
