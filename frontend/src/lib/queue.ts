// The phone's offline queue: contacts logged without a network wait here (in localStorage)
// and are sent when the network returns. Each carries its client-chosen UUID, so a send that
// reached the server but whose answer was lost is simply answered 200 on the retry: a
// contact is recorded once and only once.

import type { Schemas } from './api'

export interface QueuedContact {
  id: string
  teamId: string
  /** The PUT /contacts/{id} body. */
  body: Schemas['ContactIn']
  queuedAt: number
  lastError?: string
}

export interface Store {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}

const KEY = 'actboard.queue'

export function load(store: Store): QueuedContact[] {
  try {
    const v = JSON.parse(store.getItem(KEY) ?? '[]')
    return Array.isArray(v) ? v : []
  } catch {
    return []
  }
}

function save(store: Store, items: QueuedContact[]) {
  store.setItem(KEY, JSON.stringify(items))
}

export function enqueue(store: Store, item: QueuedContact): QueuedContact[] {
  const items = load(store).filter((i) => i.id !== item.id)
  items.push(item)
  save(store, items)
  return items
}

export type SendResult = 'sent' | 'retry' | { rejected: string }

/**
 * Send every queued contact in order. `send` answers 'sent' (201 or 200), 'retry'
 * (network down, 5xx: keep it and stop), or rejected (a 4xx: the server will never take
 * it; keep it with the reason so the person can fix it, and go on with the others).
 */
export async function flush(store: Store, send: (q: QueuedContact) => Promise<SendResult>): Promise<QueuedContact[]> {
  let items = load(store)
  for (const item of [...items]) {
    const r = await send(item)
    if (r === 'retry') break
    if (r === 'sent') {
      items = load(store).filter((i) => i.id !== item.id)
    } else {
      items = load(store).map((i) => (i.id === item.id ? { ...i, lastError: r.rejected } : i))
    }
    save(store, items)
  }
  return load(store)
}

export function remove(store: Store, id: string): QueuedContact[] {
  const items = load(store).filter((i) => i.id !== id)
  save(store, items)
  return items
}
