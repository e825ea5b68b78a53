import { describe, expect, test } from 'vitest'
import { stateWords } from './common'

describe('connection badge words', () => {
  test('offline says whether the device or the server is the problem', () => {
    expect(stateWords('offline', false)).toBe('Offline (no network)')
    expect(stateWords('offline', true)).toBe('Server not answering — retrying')
    expect(stateWords('offline', null)).toBe('Server not answering — retrying')
    expect(stateWords('live', true)).toBe('Live')
  })
})
