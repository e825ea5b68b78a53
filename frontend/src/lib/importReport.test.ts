import { describe, expect, it } from 'vitest'
import { countWords, errorsFirst, importLabel, sizeWords, toWrite, type ImportReport } from './importReport'

const report: ImportReport = {
  rows: [
    { line: 2, action: 'create', key: 'A1', errors: [] },
    { line: 3, action: 'error', key: 'A2', errors: [{ field: 'status', message: 'bad' }] },
    { line: 4, action: 'unchanged', key: 'A3', errors: [] },
    { line: 5, action: 'update', key: 'A4', errors: [] },
    { line: 1, action: 'error', key: '', errors: [{ field: 'header', message: 'x' }] },
  ],
  created: 1,
  updated: 1,
  unchanged: 1,
  failed: 2,
}

describe('import report in words', () => {
  it('puts errors first, each group by line', () => {
    expect(errorsFirst(report.rows).map((r) => r.line)).toEqual([1, 3, 2, 4, 5])
    expect(report.rows[0].line).toBe(2) // the input is left as it was
  })

  it('counts what a preview and a result say', () => {
    expect(toWrite(report)).toBe(2)
    expect(countWords(report, false)).toBe('1 new, 1 to update, 1 unchanged, 2 with errors')
    expect(countWords({ ...report, failed: 0 }, true)).toBe('1 created, 1 updated, 1 unchanged')
    expect(importLabel(1)).toBe('Import 1 row')
    expect(importLabel(10000)).toBe('Import 10000 rows')
    expect(sizeWords(800)).toBe('800 bytes')
    expect(sizeWords(150 * 1024)).toBe('150 KB')
    expect(sizeWords(3 * 1024 * 1024)).toBe('3.0 MB')
  })
})
