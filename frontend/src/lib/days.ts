// Team-local days (YYYY-MM-DD) in words, and who is out in words.

/** "Thu 3 Dec" for a YYYY-MM-DD day (a calendar date, no time zone involved). */
export function shortDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number)
  const t = new Date(Date.UTC(y, m - 1, d))
  if (Number.isNaN(t.getTime())) return day
  const weekday = new Intl.DateTimeFormat('en-GB', { weekday: 'short', timeZone: 'UTC' }).format(t)
  const month = new Intl.DateTimeFormat('en-GB', { month: 'short', timeZone: 'UTC' }).format(t)
  return `${weekday} ${d} ${month}`
}

/** "Mon 30 Nov – Wed 2 Dec", or one day: "Mon 30 Nov". */
export function rangeWords(from: string, to: string): string {
  return from === to ? shortDay(from) : `${shortDay(from)} – ${shortDay(to)}`
}

/** An absence as a board staff row or a planner column sees it. */
export interface Out {
  from: string
  until: string
  covered_by?: string | null
}

/**
 * "Out today (until Thu 3 Dec) — covered by Sam Okafor"; on its last day "Out today (last
 * day)", a one-day absence "Out today (this day only)"; another day than today: "Out
 * (until Thu 3 Dec)". `cover` is the covering
 * person's name, null when nobody covers. Never the reason (a wall may show this).
 */
export function outWords(a: Out, day: string, today: string, cover: string | null): string {
  const head = day === today ? 'Out today' : 'Out'
  const until = a.until !== day ? `until ${shortDay(a.until)}` : a.from === day ? 'this day only' : 'last day'
  return `${head} (${until})${cover ? ` — covered by ${cover}` : ''}`
}
