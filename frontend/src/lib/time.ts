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

/** "Monday 23 November" for a YYYY-MM-DD day (a calendar date, no time zone involved). */
export function longDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number)
  return new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, d)),
  )
}

/** Add days to a YYYY-MM-DD day. */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number)
  const t = new Date(Date.UTC(y, m - 1, d + n))
  return t.toISOString().slice(0, 10)
}

/** "Mon 18:00" in the team's zone, for times further than a day away. */
export function formatTeamWhen(isoUtc: string, timeZone: string): string {
  const f = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
  return f.format(new Date(isoUtc))
}
