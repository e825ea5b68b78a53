import { describe, expect, test } from 'vitest'
import { ANY, hourLabel, hourRows, rowOf } from './hours'

describe('the planner hour axis', () => {
  test('07:00–19:00 rows (to 20:00) after "any time", widened to the earliest and latest visit', () => {
    expect(hourRows([])).toEqual([ANY, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19])
    expect(hourRows([{ start: '06:30' }, { start: null }, { start: '21:15' }])).toEqual([ANY, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21])
    expect(hourRows([{ start: '00:00' }]).slice(0, 3)).toEqual([ANY, 0, 1])
  })
  test('a visit sits in the row of its start hour; without a time in "any time"', () => {
    const rows = hourRows([{ start: '06:30' }])
    expect(rowOf({ start: '06:30' }, rows)).toBe(6)
    expect(rowOf({ start: '10:59' }, rows)).toBe(10)
    expect(rowOf({ start: null }, rows)).toBe(ANY)
    expect(hourLabel(6)).toBe('06:00')
  })
})
