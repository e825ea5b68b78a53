// The idle lock (HIPAA automatic logoff, done as a lock): after LOCK_AFTER_MS without input
// the screen is replaced by the lock screen, while the session keeps renewing and the live
// connection stays open so a locked on-call phone still alerts. The lock is remembered on
// the device, so reloading the page or opening a new tab does not get past it.
import { useEffect, useRef } from 'preact/hooks'
import type { Store } from './queue'

export const LOCK_AFTER_MS = 15 * 60 * 1000

const KEY = 'actboard.locked'

/** Is the lock on for this person (their staff id)? */
export function isLocked(store: Pick<Store, 'getItem'>, staffId: string): boolean {
  return store.getItem(KEY) === staffId
}

/** Lock for this person, or (null) remove the lock. */
export function setLock(store: Store & { removeItem(key: string): void }, staffId: string | null): void {
  if (staffId) store.setItem(KEY, staffId)
  else store.removeItem(KEY)
}

const ACTIVITY = ['pointerdown', 'keydown', 'touchstart', 'scroll', 'wheel'] as const

/** Call `onIdle` once no input was seen for LOCK_AFTER_MS, while `enabled`. */
export function useIdleLock(enabled: boolean, onIdle: () => void): void {
  const cb = useRef(onIdle)
  cb.current = onIdle
  useEffect(() => {
    if (!enabled) return
    let last = Date.now()
    const touch = () => (last = Date.now())
    ACTIVITY.forEach((e) => window.addEventListener(e, touch, { passive: true, capture: true }))
    // Checked every 15 s, and at once when the page comes back (a phone that slept).
    const check = () => { if (Date.now() - last >= LOCK_AFTER_MS) cb.current() }
    const t = setInterval(check, 15_000)
    document.addEventListener('visibilitychange', check)
    return () => {
      clearInterval(t)
      document.removeEventListener('visibilitychange', check)
      ACTIVITY.forEach((e) => window.removeEventListener(e, touch, { capture: true }))
    }
  }, [enabled])
}
