import { describe, expect, it } from 'vitest'
import { staffBack, undoAbsence, undoWords, type Call } from './absenceUndo'
import { ApiError } from './api'
import { ANN, BOB, CAT, contact } from '../live/test-fixtures'

const absence = { id: 'abs', staff_id: ANN, covered_by: BOB }

/** A fake API: records calls; PATCH answers by contact id. */
function fake(answers: Record<string, (body: any) => unknown>, deleteStatus = 204) {
  const calls: [string, string, unknown][] = []
  const call: Call = async <T,>(method: string, path: string, body?: unknown): Promise<T> => {
    calls.push([method, path, body])
    if (method === 'DELETE') {
      if (deleteStatus !== 204) throw new ApiError('gone', deleteStatus, 'not_found', {})
      return undefined as T
    }
    const id = path.split('/').pop()!
    return answers[id](body) as T
  }
  return { call, calls }
}

describe('undo of an absence', () => {
  it('puts the absent person back in place of the cover, each person once', () => {
    expect(staffBack([BOB], BOB, ANN)).toEqual([ANN])
    expect(staffBack([BOB, CAT], BOB, ANN)).toEqual([ANN, CAT])
    expect(staffBack([BOB, ANN], BOB, ANN)).toEqual([ANN])
  })

  it('cancels the absence first, then moves every moved visit back with its version', async () => {
    const moved = [contact('c1', 'x', { staff_ids: [BOB], version: 3 }), contact('c2', 'y', { staff_ids: [BOB], version: 5 })]
    const { call, calls } = fake({ c1: (b) => ({ ...moved[0], ...b }), c2: (b) => ({ ...moved[1], ...b }) })
    const r = await undoAbsence(call, 't', absence, moved)
    expect(calls.map(([m, p]) => `${m} ${p}`)).toEqual(['DELETE /api/teams/t/absences/abs', 'PATCH /api/teams/t/contacts/c1', 'PATCH /api/teams/t/contacts/c2'])
    expect(calls[1][2]).toEqual({ version: 3, staff_ids: [ANN] })
    expect(calls[2][2]).toEqual({ version: 5, staff_ids: [ANN] })
    expect(r.back).toHaveLength(2)
    expect(undoWords(r, 'Ann', 'Bob', () => 'J.D.')).toBe('Absence cancelled. 2 of 2 visits moved back to Ann.')
  })

  it('leaves a visit changed meanwhile or now clashing where it is, and says which', async () => {
    const moved = [
      contact('c1', 'x', { staff_ids: [BOB], version: 3, start: '10:00' }),
      contact('c2', 'y', { staff_ids: [BOB], version: 5, start: '11:00' }),
      contact('c3', 'z', { staff_ids: [BOB], version: 1, start: '12:00' }),
    ]
    const { call } = fake({
      c1: () => { throw new ApiError('changed', 409, 'version_conflict', { current: {} }) },
      c2: () => { throw new ApiError('overlap', 409, 'double_booked', { conflicts: [] }) },
      c3: (b) => ({ ...moved[2], ...b }),
    })
    const r = await undoAbsence(call, 't', absence, moved)
    expect(r.back.map((c) => c.id)).toEqual(['c3'])
    expect(r.changed.map((c) => c.id)).toEqual(['c1'])
    expect(r.clashing.map((c) => c.id)).toEqual(['c2'])
    const words = undoWords(r, 'Ann', 'Bob', (id) => id.toUpperCase())
    expect(words).toBe(
      'Absence cancelled. 1 of 3 visits moved back to Ann. Changed meanwhile, so left with Bob: X Wed 25 Nov 10:00. ' +
        'Would overlap another visit of Ann, so left with Bob: Y Wed 25 Nov 11:00.',
    )
  })

  it('an absence someone already cancelled still gets its visits back; other failures stop it', async () => {
    const moved = [contact('c1', 'x', { staff_ids: [BOB] })]
    const gone = fake({ c1: (b) => ({ ...moved[0], ...b }) }, 404)
    expect((await undoAbsence(gone.call, 't', absence, moved)).back).toHaveLength(1)
    const refused = fake({ c1: (b) => ({ ...moved[0], ...b }) }, 403)
    await expect(undoAbsence(refused.call, 't', absence, moved)).rejects.toThrow()
    expect(refused.calls).toHaveLength(1)
  })

  it('nothing moved (no cover): only the cancellation', async () => {
    const { call, calls } = fake({})
    const r = await undoAbsence(call, 't', { ...absence, covered_by: null }, [])
    expect(calls).toHaveLength(1)
    expect(undoWords(r, 'Ann', '', () => '')).toBe('Absence cancelled.')
  })
})
