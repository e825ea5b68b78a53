import { describe, expect, test } from 'vitest'
import { wallNames } from './wallNames'

describe('wall names', () => {
  const clients = [
    { id: 'b', display_name: 'SJ' },
    { id: 'c', display_name: 'AL' },
    { id: 'a', display_name: 'SJ' },
  ]
  test('repeated initials get a stable number by id on a privacy wall', () => {
    const m = wallNames(clients, 'initials')
    expect(m.get('a')).toBe('SJ 1')
    expect(m.get('b')).toBe('SJ 2')
    expect(m.get('c')).toBe('AL')
  })
  test('named boards are unchanged', () => {
    expect(wallNames(clients, 'names').get('a')).toBe('SJ')
  })
})
