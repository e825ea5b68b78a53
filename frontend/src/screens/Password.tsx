// Changing one's own password (`/account/password`), from the account links on every screen.
// When an administrator set the password (a reset, or a new account) the app shows this
// screen before anything else (`forced`) until the person has chosen their own: the server
// refuses every other route meanwhile (403 password_change_required).
import { useState } from 'preact/hooks'
import { api } from '../lib/api'
import { problemWords } from '../lib/problem'
import { navigate } from '../lib/router'
import type { Session } from '../lib/session'

export const PASSWORD_RULE = '12 to 256 characters, not a common password, and not your username. A few unrelated words make a good one.'

export function PasswordScreen({ session, forced, onChanged, onSignOut }: {
  session: Session; forced: boolean; onChanged: () => Promise<void> | void; onSignOut: () => void
}) {
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [again, setAgain] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [done, setDone] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const submit = async (e: Event) => {
    e.preventDefault()
    setError(null)
    setDone(null)
    if (next !== again) {
      setError('The two new passwords differ: type the same one twice.')
      return
    }
    if (next.length < 12) {
      setError('New password: must be at least 12 characters.')
      return
    }
    setBusy(true)
    try {
      await api('POST', '/api/me/password', { current, new: next })
      setCurrent(''); setNext(''); setAgain('')
      setDone('Your password is changed. You are still signed in here; your other devices are signed out.')
      await onChanged()
    } catch (err) {
      setError(problemWords(err).replace(/^current:/, 'Current password:').replace(/^new:/, 'New password:'))
    } finally {
      setBusy(false)
    }
  }

  return (
    <>
      <nav class="topbar" aria-label="Account">
        <strong>actboard</strong>
        {!forced && <a href="/" onClick={(e) => { e.preventDefault(); navigate('/') }}>Your teams</a>}
        {!forced && session.user.is_admin && <a href="/admin" onClick={(e) => { e.preventDefault(); navigate('/admin') }}>Admin</a>}
        <span class="spacer" />
        <span>{session.user.display_name}</span>
        <button class="link" onClick={onSignOut}>Sign out</button>
      </nav>
      <main class="page narrow-page">
        <h1>{forced ? 'Choose your own password' : 'Change your password'}</h1>
        {forced && (
          <p class="notice">
            An administrator set a temporary password for your account. Choose your own before you continue:
            nothing else opens until you do.
          </p>
        )}
        <form class="card" onSubmit={submit} aria-labelledby="pw-title">
          <h2 id="pw-title" class="sr-only">New password</h2>
          <label for="pw-current">{forced ? 'Temporary password (the one you signed in with)' : 'Current password'}</label>
          <input id="pw-current" type="password" autoComplete="current-password" required value={current} onInput={(e) => setCurrent(e.currentTarget.value)} />
          <label for="pw-new">New password</label>
          <input id="pw-new" type="password" autoComplete="new-password" required minLength={12} maxLength={256} value={next}
            aria-describedby="pw-rule" onInput={(e) => setNext(e.currentTarget.value)} />
          <p class="help" id="pw-rule">{PASSWORD_RULE}</p>
          <label for="pw-again">New password again</label>
          <input id="pw-again" type="password" autoComplete="new-password" required value={again} onInput={(e) => setAgain(e.currentTarget.value)} />
          <div role="alert">{error && <p class="error">{error}</p>}</div>
          <div role="status">{done && <p class="ok">{done}</p>}</div>
          <button class="primary" type="submit" disabled={busy}>{busy ? 'Saving…' : 'Save new password'}</button>
        </form>
      </main>
    </>
  )
}
