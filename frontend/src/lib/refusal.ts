// A refused change to a client in words: a stale version, a full caseload (with the
// person's totals), open flags blocking a discharge; otherwise the server's own detail.
import { asCaseloadFull, caseloadFullWords } from './caseload'

export interface Refusal { code: string; message: string; body: Record<string, unknown> }

/** `who` names a staff id; `fallbackStaff` is the person asked for when the body names none. */
export function refusalWords(err: Refusal, who: (id: string | null | undefined) => string, fallbackStaff?: string | null): string {
  if (err.code === 'version_conflict') return 'Someone else changed this record meanwhile; it has been reloaded. Try again.'
  if (err.code === 'caseload_full') {
    const f = asCaseloadFull(err.body)
    if (f) return caseloadFullWords(f, who(f.staff_id ?? fallbackStaff)).replace(/^Not assigned/, 'Not changed')
  }
  if (err.code === 'open_flags') return `Not discharged: this client still has open crisis flags. Give the outcome they are resolved with. (${err.message})`
  return err.message
}
