import { describe, expect, test } from 'vitest'
import { ApiError } from './api'
import { problemWords } from './problem'

describe('problemWords', () => {
  test('a 422 names each field by its label', () => {
    const e = new ApiError('Validation failed', 422, 'validation_failed', {
      errors: [{ field: 'timezone', message: 'not a known IANA time zone' }, { field: 'escalate_after_minutes', message: 'must be 1–240' }],
    })
    expect(problemWords(e)).toBe('Time zone: not a known IANA time zone. Escalate after: must be 1–240')
  })
  test('a 403 says it is not allowed, with the server words', () => {
    expect(problemWords(new ApiError('Leads only', 403, 'forbidden', {}))).toBe('Not allowed: Leads only')
  })
  test('anything else: the message', () => {
    expect(problemWords(new ApiError('Cannot reach the server.', 0, 'offline', {}))).toBe('Cannot reach the server.')
    expect(problemWords(new Error('x'))).toBe('Error: x')
  })
})
