// Episodes (admissions, emergency visits, crisis beds, jail and homeless periods), the
// "away" mark on the board, and the figures of the outcomes and fidelity screens, in words.
import type { components } from './api-types'
import { shortDay } from './days'

type Schemas = components['schemas']
export type EpisodeKind = Schemas['EpisodeKind']
export type Away = NonNullable<Schemas['BoardClient']['away']>

export const EPISODE_KINDS: EpisodeKind[] = ['psychiatric_admission', 'medical_admission', 'ed_visit', 'crisis_bed', 'jail', 'homeless']

export const KIND_WORD: Record<EpisodeKind, string> = {
  psychiatric_admission: 'Psychiatric admission',
  medical_admission: 'Medical admission',
  ed_visit: 'Emergency visit',
  crisis_bed: 'Crisis bed',
  jail: 'Jail',
  homeless: 'Homeless',
}

const AWAY_WORD: Partial<Record<EpisodeKind, string>> = {
  psychiatric_admission: 'In hospital (psychiatric)',
  medical_admission: 'In hospital (medical)',
  crisis_bed: 'In a crisis bed',
  jail: 'In jail',
}

/** "In hospital (psychiatric) since Sun 29 Nov"; a privacy display knows only "Away". */
export function awayWords(a: Away): string {
  if (!a.kind) return 'Away'
  const what = AWAY_WORD[a.kind] ?? 'Away'
  return a.since ? `${what} since ${shortDay(a.since)}` : what
}

const AWAY_SHORT: Partial<Record<EpisodeKind, string>> = {
  psychiatric_admission: 'In hospital',
  medical_admission: 'In hospital',
  crisis_bed: 'Crisis bed',
  jail: 'In jail',
}

/** The board row's short form: "In hospital since Sat 28 Nov"; "Away" on a privacy display. */
export function awayShort(a: Away): string {
  if (!a.kind) return 'Away'
  const what = AWAY_SHORT[a.kind] ?? 'Away'
  return a.since ? `${what} since ${shortDay(a.since)}` : what
}

/** Kinds that take a client away while open (the server's `takes_away`). */
export function takesAway(k: EpisodeKind): boolean {
  return k in AWAY_WORD
}

/** An episode's days: "Sun 29 Nov – now", "Mon 2 Nov – Thu 5 Nov (4 days)", one day alone. */
export function episodeDays(start: string, end: string | null | undefined): string {
  if (!end) return `${shortDay(start)} – now`
  if (end === start) return shortDay(start)
  const days = Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000) + 1
  return `${shortDay(start)} – ${shortDay(end)} (${days} days)`
}

/** A figure with a fixed number of decimals and no trailing noise; "—" when absent. */
export function figure(v: number | null | undefined, decimals = 1): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—'
  return Number.isInteger(v) ? String(v) : v.toFixed(decimals)
}

/** The change from before to after in words: "62 % fewer", "20 % more", "no change". */
export function changeWords(before: number | null | undefined, after: number | null | undefined): string {
  if (before == null || after == null) return ''
  if (before === 0) return after === 0 ? 'no change' : 'up from none'
  const pct = Math.round((100 * (before - after)) / before)
  if (pct === 0) return 'no change'
  return pct > 0 ? `${pct} % fewer` : `${-pct} % more`
}

/** "12 of 40 clients (a small number: read with care)" when fewer than 10. */
export function clientsWords(n: number): string {
  const base = `${n} client${n === 1 ? '' : 's'}`
  return n < 10 ? `${base} — few: read with care` : base
}
