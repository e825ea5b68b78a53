// Asked before signing out while some of my contacts are still queued on this device (no
// network): stay, keep them here for my next sign-in, or delete them. A real dialog in the
// page (not confirm()), so a browser test can answer it.
import { useEffect, useRef } from 'preact/hooks'

export function SignOutDialog({ count, onStay, onKeep, onDelete }: { count: number; onStay: () => void; onKeep: () => void; onDelete: () => void }) {
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const d = ref.current
    if (d && !d.open) d.showModal()
  }, [])
  const them = count === 1 ? 'it' : 'them'
  return (
    <dialog ref={ref} class="ask" aria-labelledby="signout-title" aria-describedby="signout-text"
      onCancel={(e) => { e.preventDefault(); onStay() }}>
      <h2 id="signout-title">
        {count} contact{count === 1 ? '' : 's'} not sent yet — {count === 1 ? 'it' : 'they'} will be deleted from this phone
      </h2>
      <p id="signout-text">
        Stay signed in to send {them} when the network returns. Or keep {them} on this phone for your next sign-in
        here: nobody else can see or send {them}, and {count === 1 ? 'it is' : 'they are'} deleted after 24 hours once
        someone else uses this phone.
      </p>
      <div class="ask-actions">
        <button class="primary" autoFocus onClick={onStay}>Stay signed in</button>
        <button onClick={onKeep}>Keep {them} for me, sign out</button>
        <button class="danger" onClick={onDelete}>Delete {them}, sign out</button>
      </div>
    </dialog>
  )
}
