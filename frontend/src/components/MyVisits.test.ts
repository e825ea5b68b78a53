import { describe, expect, test } from 'vitest'
import { endOf } from './MyVisits'

describe('endOf (a close-out end from its minutes)', () => {
  test('adds the minutes', () => {
    expect(endOf('09:50', 20)).toBe('10:10')
    expect(endOf('00:00', 45)).toBe('00:45')
  })
  test('none past midnight', () => {
    expect(endOf('23:50', 10)).toBeNull()
    expect(endOf('23:30', 29)).toBe('23:59')
  })
})
