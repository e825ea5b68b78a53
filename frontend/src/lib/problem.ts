// An API failure in words for a form: the per-field messages of a 422 named by their labels.
import { ApiError, type Schemas } from './api'

/** A failed call in words, with the per-field messages of a 422. */
export function problemWords(e: unknown): string {
  if (!(e instanceof ApiError)) return String(e)
  const errors = (e.body.errors ?? []) as Schemas['FieldError'][]
  if (e.code === 'validation_failed' && errors.length) return errors.map((f) => `${FIELD[f.field] ?? f.field}: ${f.message}`).join('. ')
  if (e.status === 403) return `Not allowed: ${e.message}`
  return e.message
}

const FIELD: Record<string, string> = {
  name: 'Team name',
  timezone: 'Time zone',
  caseload_cap: 'Caseload cap',
  escalate_after_minutes: 'Escalate after',
  label: 'Label',
}
