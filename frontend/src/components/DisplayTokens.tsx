// The team's wall-display links: the list, a new one (its link shown once, with a copy button
// and a QR code), and revoking one after an in-page confirmation (not confirm()).
import { useEffect, useRef, useState } from 'preact/hooks'
import { api, type Schemas } from '../lib/api'
import { problemWords } from '../lib/problem'
import { QrCode } from './QrCode'

type Token = Schemas['DisplayTokenOut']
type Created = Schemas['DisplayTokenCreated']

const PRIVACY_WORD: Record<string, string> = { initials: 'Initials only', names: 'Names' }

export function DisplayTokens({ teamId, defaultPrivacy }: { teamId: string; defaultPrivacy: string }) {
  const [tokens, setTokens] = useState<Token[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [label, setLabel] = useState('')
  const [privacy, setPrivacy] = useState(defaultPrivacy)
  const [busy, setBusy] = useState(false)
  const [created, setCreated] = useState<Created | null>(null)
  const [revoking, setRevoking] = useState<Token | null>(null)

  const load = () => api<Token[]>('GET', `/api/teams/${teamId}/display-tokens`).then(setTokens, (e) => setError(problemWords(e)))
  useEffect(() => { void load() }, [teamId])
  useEffect(() => setPrivacy(defaultPrivacy), [defaultPrivacy])

  const create = async (e: Event) => {
    e.preventDefault()
    setError(null)
    setBusy(true)
    try {
      const c = await api<Created>('POST', `/api/teams/${teamId}/display-tokens`, { label: label.trim(), privacy } as Schemas['NewDisplayToken'])
      setCreated(c)
      setLabel('')
      await load()
    } catch (err) {
      setError(problemWords(err))
    } finally {
      setBusy(false)
    }
  }

  const revoke = async (t: Token) => {
    await api('DELETE', `/api/teams/${teamId}/display-tokens/${t.id}`)
    await load()
  }

  const active = tokens?.filter((t) => !t.revoked_at) ?? []
  const revoked = tokens?.filter((t) => t.revoked_at) ?? []
  return (
    <section class="card" aria-labelledby="displays-title">
      <h2 id="displays-title">Wall displays</h2>
      <p>
        A display link shows this team's live board on a wall screen without signing in. Open it once on the screen's
        browser. Revoke it when the screen is moved or the link may have been seen by someone else.
      </p>
      <form class="new-token" onSubmit={create} aria-label="New display link">
        <div>
          <label for="dt-label">Where the screen is</label>
          <input id="dt-label" value={label} maxLength={100} required placeholder="e.g. Team room" onInput={(e) => setLabel(e.currentTarget.value)} />
        </div>
        <div>
          <label for="dt-privacy">It shows clients by</label>
          <select id="dt-privacy" value={privacy} onChange={(e) => setPrivacy(e.currentTarget.value)}>
            <option value="initials">Initials only</option>
            <option value="names">Names</option>
          </select>
        </div>
        <button class="primary" type="submit" disabled={busy}>{busy ? 'Creating…' : 'Create display link'}</button>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
      {tokens === null ? !error && <p>Loading…</p> : (
        <>
          <h3>In use</h3>
          {active.length === 0 ? <p>No display links in use.</p> : (
            <ul class="tokens" data-testid="display-tokens">
              {active.map((t) => (
                <li key={t.id} data-testid="display-token">
                  <span><strong>{t.label}</strong> · {PRIVACY_WORD[t.privacy] ?? t.privacy} · created {new Date(t.created_at).toLocaleDateString()}</span>
                  <button class="danger" onClick={() => setRevoking(t)} aria-label={`Revoke ${t.label}`}>Revoke</button>
                </li>
              ))}
            </ul>
          )}
          {revoked.length > 0 && (
            <details>
              <summary>Revoked ({revoked.length})</summary>
              <ul class="tokens revoked">
                {revoked.map((t) => <li key={t.id}><span>{t.label} · revoked {new Date(t.revoked_at!).toLocaleString()}</span></li>)}
              </ul>
            </details>
          )}
        </>
      )}
      {created && <CreatedDialog created={created} onClose={() => setCreated(null)} />}
      {revoking && <RevokeDialog token={revoking} onCancel={() => setRevoking(null)} onRevoke={async () => { await revoke(revoking); setRevoking(null) }} />}
    </section>
  )
}

/** A modal <dialog>, opened on mount; Escape calls `onClose`. */
function Modal({ id, onClose, children, wide }: { id: string; onClose: () => void; children: preact.ComponentChildren; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const d = ref.current
    if (d && !d.open) d.showModal()
  }, [])
  return (
    <dialog ref={ref} class={`ask${wide ? ' wide' : ''}`} aria-labelledby={`${id}-title`} aria-describedby={`${id}-text`}
      onCancel={(e) => { e.preventDefault(); onClose() }}>
      {children}
    </dialog>
  )
}

function CreatedDialog({ created, onClose }: { created: Created; onClose: () => void }) {
  const link = `${location.origin}/display?token=${encodeURIComponent(created.token)}`
  const [copied, setCopied] = useState<string | null>(null)
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link)
      setCopied('Copied.')
    } catch {
      // No clipboard (plain http, or refused): select the text so Ctrl+C works.
      const el = document.getElementById('dt-link') as HTMLInputElement | null
      el?.select()
      setCopied('Select the link and copy it (the browser did not allow copying).')
    }
  }
  return (
    <Modal id="dt-created" onClose={onClose} wide>
      <h2 id="dt-created-title">Display link for “{created.label}”</h2>
      <p id="dt-created-text" class="notice">
        <strong>This link is shown only once.</strong> Open it on the wall screen now, or scan the code with the
        screen's camera or a phone. To see it again you must create a new one.
      </p>
      <div class="created">
        <QrCode text={link} label={`QR code of the display link for ${created.label}`} />
        <div class="created-link">
          <label for="dt-link">Wall link ({PRIVACY_WORD[created.privacy] ?? created.privacy})</label>
          <input id="dt-link" readOnly value={link} data-testid="display-link" onFocus={(e) => e.currentTarget.select()} />
          <div class="ask-actions">
            <button onClick={copy}>Copy link</button>
            <a class="button" href={link} target="_blank" rel="noopener">Open</a>
          </div>
          <p role="status" class="saved">{copied ?? ''}</p>
        </div>
      </div>
      <div class="ask-actions">
        <button class="primary" autoFocus onClick={onClose}>Done</button>
      </div>
    </Modal>
  )
}

function RevokeDialog({ token, onCancel, onRevoke }: { token: Token; onCancel: () => void; onRevoke: () => Promise<void> }) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const go = async () => {
    setBusy(true)
    setError(null)
    try {
      await onRevoke()
    } catch (e) {
      setError(problemWords(e))
      setBusy(false)
    }
  }
  return (
    <Modal id="dt-revoke" onClose={onCancel}>
      <h2 id="dt-revoke-title">Revoke the display link “{token.label}”?</h2>
      <p id="dt-revoke-text">The wall screen using it stops showing the board at once and cannot get it back. You can create a new link at any time.</p>
      {error && <p class="error" role="alert">{error}</p>}
      <div class="ask-actions">
        <button autoFocus onClick={onCancel} disabled={busy}>Keep it</button>
        <button class="danger" onClick={go} disabled={busy}>{busy ? 'Revoking…' : 'Revoke'}</button>
      </div>
    </Modal>
  )
}
