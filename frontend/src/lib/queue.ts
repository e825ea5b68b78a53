// The phone's offline queue: contacts logged without a network wait here (in localStorage)
// and are sent when the network returns. Each carries its client-chosen UUID, so a send that
// reached the server but whose answer was lost is simply answered 200 on the retry: a
// contact is recorded once and only once.
//
// A phone is shared (the on-call phone changes hands), so every item carries its author and
// belongs to them alone: only the signed-in author's items are shown or sent; anyone else's
// are never sent (they would be recorded as the sender's) and are deleted once they are
// FOREIGN_TTL_MS old. An item without an author (queued by an older version) is nobody's.

import type { Schemas } from './api'

export interface Author {
  staffId: string
  username: string
}

export interface QueuedContact {
  id: string
  teamId: string
  /** Who logged it: only they may send it. */
  author: Author
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

/** Another person's items (and authorless ones) are deleted this long after they were queued. */
export const FOREIGN_TTL_MS = 24 * 60 * 60 * 1000

/** Every item on this device, whoever queued it (for the rules below; never to show). */
function loadAll(store: Store): QueuedContact[] {
  try {
    const v = JSON.parse(store.getItem(KEY) ?? '[]')
    return Array.isArray(v) ? v.filter((i) => i && typeof i === 'object' && typeof i.id === 'string') : []
  } catch {
    return []
  }
}

function save(store: Store, items: QueuedContact[]) {
  store.setItem(KEY, JSON.stringify(items))
}

/** The author's staff id, or null for an item that has none. */
function authorOf(item: QueuedContact): string | null {
  const a = (item as Partial<QueuedContact>).author
  return a && typeof a.staffId === 'string' && a.staffId ? a.staffId : null
}

const isMine = (me: string) => (i: QueuedContact) => authorOf(i) === me

/** My items, oldest first. */
export function load(store: Store, me: string): QueuedContact[] {
  return loadAll(store).filter(isMine(me))
}

/** Add (or replace, by id) an item; returns its author's items. */
export function enqueue(store: Store, item: QueuedContact): QueuedContact[] {
  if (!item.author?.staffId) throw new Error('a queued contact needs its author')
  const items = loadAll(store).filter((i) => i.id !== item.id)
  items.push(item)
  save(store, items)
  return items.filter(isMine(item.author.staffId))
}

export type SendResult = 'sent' | 'retry' | { rejected: string }

/**
 * Send my queued contacts in order; nobody else's. `send` answers 'sent' (201 or 200),
 * 'retry' (network down, 5xx: keep it and stop), or rejected (a 4xx: the server will never
 * take it; keep it with the reason so the person can fix it, and go on with the others).
 * Returns my items left.
 */
export async function flush(store: Store, me: string, send: (q: QueuedContact) => Promise<SendResult>): Promise<QueuedContact[]> {
  for (const item of load(store, me)) {
    // Read again before each send: the person may have signed out (and deleted it) meanwhile.
    if (!load(store, me).some((i) => i.id === item.id)) continue
    const r = await send(item)
    if (r === 'retry') break
    const all = loadAll(store)
    save(store, r === 'sent' ? all.filter((i) => i.id !== item.id) : all.map((i) => (i.id === item.id ? { ...i, lastError: r.rejected } : i)))
  }
  return load(store, me)
}

/** Delete one of my items. */
export function remove(store: Store, me: string, id: string): QueuedContact[] {
  save(store, loadAll(store).filter((i) => !(i.id === id && isMine(me)(i))))
  return load(store, me)
}

/** Delete all my items (signing out and told to); returns how many. */
export function clearMine(store: Store, me: string): number {
  const all = loadAll(store)
  const left = all.filter((i) => !isMine(me)(i))
  save(store, left)
  return all.length - left.length
}

/**
 * Delete other people's items (and authorless ones) queued FOREIGN_TTL_MS or more before
 * `now`; mine stay whatever their age (they are mine to send). Returns how many went.
 */
export function purge(store: Store, me: string, now: number): number {
  const all = loadAll(store)
  const left = all.filter((i) => isMine(me)(i) || (typeof i.queuedAt === 'number' && now - i.queuedAt < FOREIGN_TTL_MS))
  if (left.length !== all.length) save(store, left)
  return all.length - left.length
}
