// A question in the page before something that cannot simply be undone (discharge, transfer):
// what will happen, in words, then confirm or go back. A real <dialog> (not confirm()).
import { useEffect, useRef, useState } from 'preact/hooks'

export function ConfirmDialog({ title, children, confirm, danger, onConfirm, onCancel }: {
  title: string; children: preact.ComponentChildren; confirm: string; danger?: boolean
  onConfirm: () => Promise<void>; onCancel: () => void
}) {
  const ref = useRef<HTMLDialogElement>(null)
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    const d = ref.current
    if (d && !d.open) d.showModal()
  }, [])
  return (
    <dialog ref={ref} class="ask" aria-labelledby="confirm-title" onCancel={(e) => { e.preventDefault(); onCancel() }}>
      <h2 id="confirm-title">{title}</h2>
      {children}
      <div class="ask-actions">
        <button class={danger ? 'danger' : 'primary'} disabled={busy} onClick={async () => { setBusy(true); try { await onConfirm() } finally { setBusy(false) } }}>{confirm}</button>
        <button autoFocus onClick={onCancel}>Go back</button>
      </div>
    </dialog>
  )
}
