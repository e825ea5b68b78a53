// A short beep for a new emergency or urgent flag on the board: made with WebAudio (nothing
// to download), on or off per device (localStorage), off by default on phones, which vibrate.

const KEY = 'actboard.sound'

/** A phone (a coarse pointer on a narrow screen): sound starts off there. */
function looksLikePhone(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(pointer: coarse)').matches && matchMedia('(max-width: 700px)').matches
}

export function soundOn(): boolean {
  const v = localStorage.getItem(KEY)
  return v === null ? !looksLikePhone() : v === 'on'
}

export function setSoundOn(on: boolean) {
  localStorage.setItem(KEY, on ? 'on' : 'off')
  if (on) void unlock()
}

let ctx: AudioContext | null = null

function context(): AudioContext | null {
  if (ctx) return ctx
  const C = (globalThis as { AudioContext?: typeof AudioContext }).AudioContext
  if (!C) return null
  try { ctx = new C() } catch { return null }
  return ctx
}

/**
 * Browsers start audio suspended until the page is clicked once; a wall screen that was
 * reloaded needs one click (any) for its beeps. True when sound can play now.
 */
export async function unlock(): Promise<boolean> {
  const c = context()
  if (!c) return false
  if (c.state !== 'running') { try { await c.resume() } catch { /* still suspended */ } }
  return c.state === 'running'
}

export function soundBlocked(): boolean {
  const c = context()
  return !c || c.state !== 'running'
}

/** Two beeps for urgent, three for an emergency, if sound is on here. */
export function beep(severity: string) {
  if (!soundOn()) return
  const c = context()
  if (!c) return
  const n = severity === 'emergency' ? 3 : 2
  const t0 = c.currentTime + 0.02
  for (let i = 0; i < n; i++) {
    const osc = c.createOscillator()
    const gain = c.createGain()
    osc.type = 'square'
    osc.frequency.value = severity === 'emergency' ? 988 : 784
    const s = t0 + i * 0.3
    gain.gain.setValueAtTime(0.0001, s)
    gain.gain.exponentialRampToValueAtTime(0.25, s + 0.02)
    gain.gain.exponentialRampToValueAtTime(0.0001, s + 0.2)
    osc.connect(gain).connect(c.destination)
    osc.start(s)
    osc.stop(s + 0.22)
  }
}
