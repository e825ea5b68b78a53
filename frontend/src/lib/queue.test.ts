import { describe, expect, it } from 'vitest'
import { enqueue, flush, load, type QueuedContact, type Store } from './queue'

function memory(): Store {
  const m = new Map<string, string>()
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v) }
}

const item = (id: string): QueuedContact => ({
  id,
  teamId: 't',
  body: { client_id: 'c', staff_ids: ['s'], day: '2026-11-25', kind: 'phone', place: 'home', activity: 'check-in', status: 'completed', note: id },
  queuedAt: 1,
})

describe('offline queue', () => {
  it('keeps items across reloads and replaces an item with the same id', () => {
    const s = memory()
    enqueue(s, item('a'))
    enqueue(s, item('b'))
    enqueue(s, { ...item('a'), queuedAt: 2 })
    expect(load(s).map((i) => i.id)).toEqual(['b', 'a'])
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
    expect((await flush(s, send)).map((i) => i.id)).toEqual(['c'])
    online = true
    expect(await flush(s, send)).toEqual([])
    expect(sent).toEqual(['a', 'b', 'c'])
  })

  it('keeps a rejected item with its reason and goes on', async () => {
    const s = memory()
    enqueue(s, item('bad'))
    enqueue(s, item('good'))
    const left = await flush(s, async (q) => (q.id === 'bad' ? { rejected: 'Day is not a real date' } : 'sent'))
    expect(left).toEqual([{ ...item('bad'), lastError: 'Day is not a real date' }])
  })
})
