// "Update ready — reload": shown when a new deploy's service worker is waiting. The wall
// display (`auto`) reloads by itself, since nobody is there to press the button.
import { useEffect, useState } from 'preact/hooks'
import { applyUpdate, onUpdateReady } from '../lib/pwa'
import '../settings.css'

export function UpdatePrompt({ auto = false }: { auto?: boolean }) {
  const [waiting, setWaiting] = useState(false)
  useEffect(() => onUpdateReady(() => (auto ? applyUpdate() : setWaiting(true))), [auto])
  if (!waiting || auto) return null
  return (
    <div class="toast update" role="status">
      Update ready — <button onClick={applyUpdate}>Reload</button>
    </div>
  )
}
