import { describe, expect, it } from 'vitest'
import { FOREIGN_TTL_MS, clearMine, enqueue, flush, load, purge, remove, type QueuedContact, type Store } from './queue'

function memory(): Store {
  const m = new Map<string, string>()
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v) }
}

const ANN = { staffId: 'staff-ann', username: 'ann' }
const BEN = { staffId: 'staff-ben', username: 'ben' }

const item = (id: string, author = ANN, queuedAt = 1): QueuedContact => ({
  id,
  teamId: 't',
  author,
  body: { client_id: 'c', staff_ids: [author.staffId], day: '2026-11-25', kind: 'phone', place: 'home', activity: 'check-in', status: 'completed', note: id },
  queuedAt,
})

/** What is stored, whoever it belongs to. */
const stored = (s: Store) => (JSON.parse(s.getItem('actboard.queue') ?? '[]') as QueuedContact[]).map((i) => i.id)

describe('offline queue', () => {
  it('keeps items across reloads and replaces an item with the same id', () => {
    const s = memory()
    enqueue(s, item('a'))
    enqueue(s, item('b'))
    enqueue(s, { ...item('a'), queuedAt: 2 })
    expect(load(s, ANN.staffId).map((i) => i.id)).toEqual(['b', 'a'])
  })

  it('sends each item once and stops at the first network failure', async () => {
    const s = memory()
    enqueue(s, item('a'))
    enqueue(s, item('b'))
    enqueue(s, item('c'))
    const sent: string[] = []
    let online = true
    const send = async (q: QueuedContact) => {
      if (!online) return 'retry' as const
      sent.push(q.id)
      if (q.id === 'b') online = false
      return 'sent' as const
    }
    expect((await flush(s, ANN.staffId, send)).map((i) => i.id)).toEqual(['c'])
    online = true
    expect(await flush(s, ANN.staffId, send)).toEqual([])
    expect(sent).toEqual(['a', 'b', 'c'])
  })

  it('keeps a rejected item with its reason and goes on', async () => {
    const s = memory()
    enqueue(s, item('bad'))
    enqueue(s, item('good'))
    const left = await flush(s, ANN.staffId, async (q) => (q.id === 'bad' ? { rejected: 'Day is not a real date' } : 'sent'))
    expect(left).toEqual([{ ...item('bad'), lastError: 'Day is not a real date' }])
  })
})

describe('offline queue on a shared phone: each item is its author\'s', () => {
  it('an item must name its author', () => {
    const s = memory()
    expect(() => enqueue(s, { ...item('x'), author: undefined as unknown as QueuedContact['author'] })).toThrow(/author/)
    expect(stored(s)).toEqual([])
  })

  it('shows only the signed-in author\'s items; enqueue answers with the author\'s items', () => {
    const s = memory()
    enqueue(s, item('a1'))
    expect(enqueue(s, item('b1', BEN)).map((i) => i.id)).toEqual(['b1'])
    expect(load(s, ANN.staffId).map((i) => i.id)).toEqual(['a1'])
    expect(load(s, BEN.staffId).map((i) => i.id)).toEqual(['b1'])
    expect(load(s, 'staff-someone-else')).toEqual([])
  })

  it('never sends another person\'s item, nor an item without an author', async () => {
    const s = memory()
    enqueue(s, item('a1'))
    enqueue(s, item('b1', BEN))
    // Queued by a version before authors: nobody's.
    s.setItem('actboard.queue', JSON.stringify([...JSON.parse(s.getItem('actboard.queue')!), { ...item('old'), author: undefined }]))
    const sent: string[] = []
    const left = await flush(s, BEN.staffId, async (q) => { sent.push(q.id); return 'sent' })
    expect(sent).toEqual(['b1'])
    expect(left).toEqual([])
    // Ann's item (and the authorless one) are still there for the rules below, untouched.
    expect(stored(s)).toEqual(['a1', 'old'])
  })

  it('does not send an item deleted while an earlier one was being sent', async () => {
    const s = memory()
    enqueue(s, item('a1'))
    enqueue(s, item('a2'))
    const sent: string[] = []
    await flush(s, ANN.staffId, async (q) => {
      sent.push(q.id)
      clearMine(s, ANN.staffId) // signed out and told to delete, mid-flush
      return 'sent'
    })
    expect(sent).toEqual(['a1'])
  })

  it('signing out and told to delete clears the author\'s items only', () => {
    const s = memory()
    enqueue(s, item('a1'))
    enqueue(s, item('b1', BEN))
    enqueue(s, item('a2'))
    expect(clearMine(s, ANN.staffId)).toBe(2)
    expect(stored(s)).toEqual(['b1'])
    expect(clearMine(s, ANN.staffId)).toBe(0)
  })

  it('remove deletes one of my items, never someone else\'s', () => {
    const s = memory()
    enqueue(s, item('a1'))
    enqueue(s, item('b1', BEN))
    expect(remove(s, ANN.staffId, 'b1').map((i) => i.id)).toEqual(['a1'])
    expect(stored(s)).toEqual(['a1', 'b1'])
    expect(remove(s, ANN.staffId, 'a1')).toEqual([])
    expect(stored(s)).toEqual(['b1'])
  })

  it('deletes another person\'s items (and authorless ones) once 24 h old; mine stay whatever their age', () => {
    const now = 10 * FOREIGN_TTL_MS
    const s = memory()
    enqueue(s, item('a-old', ANN, now - 3 * FOREIGN_TTL_MS))
    enqueue(s, item('b-fresh', BEN, now - FOREIGN_TTL_MS + 1))
    enqueue(s, item('b-day', BEN, now - FOREIGN_TTL_MS))
    s.setItem('actboard.queue', JSON.stringify([
      ...JSON.parse(s.getItem('actboard.queue')!),
      { ...item('nobody-fresh'), author: undefined, queuedAt: now - 1000 },
      { ...item('nobody-no-time'), author: undefined, queuedAt: undefined },
    ]))
    expect(purge(s, ANN.staffId, now)).toBe(2)
    expect(stored(s)).toEqual(['a-old', 'b-fresh', 'nobody-fresh'])
    // Seen from Ben: Ann's three-day-old item goes, his own stay.
    expect(purge(s, BEN.staffId, now)).toBe(1)
    expect(stored(s)).toEqual(['b-fresh', 'nobody-fresh'])
    expect(purge(s, BEN.staffId, now + FOREIGN_TTL_MS)).toBe(1)
    expect(stored(s)).toEqual(['b-fresh'])
  })

  it('survives a store that holds garbage', () => {
    const s = memory()
    s.setItem('actboard.queue', '{"not": "a list"}')
    expect(load(s, ANN.staffId)).toEqual([])
    s.setItem('actboard.queue', '[null, 3, {"id": "x"}]')
    expect(load(s, ANN.staffId)).toEqual([])
    expect(purge(s, ANN.staffId, 5)).toBe(1)
    expect(stored(s)).toEqual([])
  })
})
