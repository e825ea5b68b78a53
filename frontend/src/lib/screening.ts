// Words and small rules for referral and screening (issue 14): the contract's diagnoses and
// impairments in words, the recommendation, whether a decision goes against it (then a reason
// is required, as the server checks), hospital days a month against the line of 4, how long a
// referral has waited, and the intake bars. Pure: the Referrals screen and the Screening panel
// use them, and vitest checks them.
import type { Schemas } from './api'

export type Diagnosis = Schemas['Diagnosis']
export type Impairment = Schemas['Impairment']
export type Recommendation = 'act' | 'icm' | 'standard' | 'refer_elsewhere'
export type DecisionKind = Schemas['Decision']

export const DIAGNOSES: [Diagnosis, string][] = [
  ['schizophrenia_spectrum', 'Schizophrenia spectrum'],
  ['bipolar', 'Bipolar disorder'],
  ['major_depression_psychotic', 'Major depression with psychotic features'],
  ['major_depression', 'Major depression without psychotic features'],
  ['other_psychotic', 'Other psychotic disorder'],
  ['personality', 'Personality disorder'],
  ['substance_use_only', 'Substance use disorder alone'],
  ['developmental', 'Developmental disability'],
  ['organic', 'Organic (neurocognitive) disorder'],
  ['other', 'Other diagnosis'],
]

/** The contract's default qualifying diagnoses (a team may narrow them, never widen). */
export const DEFAULT_QUALIFYING: Diagnosis[] = ['schizophrenia_spectrum', 'bipolar', 'major_depression_psychotic', 'other_psychotic', 'personality']

export const IMPAIRMENTS: [Impairment, string][] = [
  ['self_care', 'Self-care'],
  ['daily_living', 'Daily living'],
  ['work', 'Work'],
  ['housing', 'Housing'],
  ['social', 'Social functioning'],
  ['safety', 'Safety'],
  ['finances', 'Finances'],
  ['legal', 'Legal matters'],
]

export const diagnosisWord = (d: string) => DIAGNOSES.find(([k]) => k === d)?.[1] ?? d

/** The recommendation as the screen says it. */
export function recommendationWord(r: string): string {
  switch (r) {
    case 'act': return 'Accept to ACT'
    case 'icm': return 'Accept to ICM'
    case 'standard': return 'Standard case management may be enough'
    case 'refer_elsewhere': return 'Refer elsewhere'
    default: return r
  }
}

/** Short form for a table cell. */
export function recommendationShort(r: string): string {
  switch (r) {
    case 'act': return 'ACT'
    case 'icm': return 'ICM'
    case 'standard': return 'Standard'
    case 'refer_elsewhere': return 'Elsewhere'
    default: return r
  }
}

/** Accepting someone the screen does not recommend, or declining someone it does (the server's rule). */
export function againstRecommendation(decision: DecisionKind, rec: string): boolean {
  const acceptRecommended = rec === 'act' || rec === 'icm'
  return (decision === 'accept') !== acceptRecommended
}

/** The line the seeds name: about four hospital days a month over two years. */
export const HOSPITAL_DAYS_LINE = 4

/** Hospital days a month over 24 months, one decimal. */
export function daysPerMonth(hospitalDays24m: number): number {
  return Math.round((hospitalDays24m / 24) * 10) / 10
}

export const aboveLine = (hospitalDays24m: number) => hospitalDays24m / 24 >= HOSPITAL_DAYS_LINE

export function waitingWords(days: number): string {
  if (days <= 0) return 'today'
  if (days === 1) return '1 day'
  if (days < 14) return `${days} days`
  const weeks = Math.floor(days / 7)
  return `${days} days (${weeks} weeks)`
}

/** `2026-11` → `Nov` (and the year on January, so a year boundary is visible). */
export function monthLabel(ym: string): string {
  const [y, m] = ym.split('-').map(Number)
  const name = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][(m ?? 1) - 1]
  return m === 1 ? `${name} ${y}` : name
}

/** Bar heights in percent of the tallest value in the chart (at least the O2 line of 6, so small months stay small). */
export function barScale(months: { referred: number; accepted: number; declined: number }[]): number {
  return Math.max(6, ...months.flatMap((m) => [m.referred, m.accepted, m.declined]))
}

/** Validation the form does before sending (the server checks the same, by field). */
export function screeningProblems(f: { diagnosis: string; illness_years: string; psychiatric_admissions_12m: string; hospital_days_24m: string; ed_visits_12m: string }): string[] {
  const out: string[] = []
  if (!f.diagnosis) out.push('Choose the diagnosis.')
  const whole = (v: string, max: number) => /^\d+$/.test(v.trim()) && Number(v) <= max
  if (!whole(f.illness_years, 100)) out.push('Years of illness: a whole number from 0 to 100.')
  if (!whole(f.psychiatric_admissions_12m, 365)) out.push('Psychiatric admissions: a whole number from 0.')
  if (!whole(f.hospital_days_24m, 731)) out.push('Hospital days: a whole number from 0 to 731.')
  if (!whole(f.ed_visits_12m, 365)) out.push('Emergency visits: a whole number from 0.')
  return out
}
