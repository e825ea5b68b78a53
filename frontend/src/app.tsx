import { useState } from 'preact/hooks'
import type { JSX } from 'preact'
import { ApiError, getMe, login, type MeResponse } from './lib/api.ts'

// Placeholder page: sign in, then list the user's teams. The access token is
// kept in memory only and is gone on reload.

export function App() {
  const [me, setMe] = useState<MeResponse | null>(null)

  return (
    <main>
      <h1>actboard</h1>
      {me ? <Teams me={me} onSignOut={() => setMe(null)} /> : <SignIn onSignedIn={setMe} />}
    </main>
  )
}

function SignIn({ onSignedIn }: { onSignedIn: (me: MeResponse) => void }) {
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  async function onSubmit(e: JSX.TargetedSubmitEvent<HTMLFormElement>) {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const { access_token } = await login(username, password)
      const me = await getMe(access_token)
      setPassword('')
      onSignedIn(me)
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Something went wrong. Please try again.')
    } finally {
      setBusy(false)
    }
  }

  return (
    <form onSubmit={onSubmit} aria-labelledby="signin-heading" aria-describedby={error ? 'signin-error' : undefined} aria-busy={busy}>
      <h2 id="signin-heading">Sign in</h2>
      <div class="field">
        <label for="username">Username</label>
        <input
          id="username"
          name="username"
          autocomplete="username"
          autocapitalize="none"
          spellcheck={false}
          required
          value={username}
          onInput={(e) => setUsername(e.currentTarget.value)}
        />
      </div>
      <div class="field">
        <label for="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
      </div>
      <p id="signin-error" class="error" role="alert">
        {error}
      </p>
      <button type="submit" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  )
}

function Teams({ me, onSignOut }: { me: MeResponse; onSignOut: () => void }) {
  return (
    <section aria-labelledby="teams-heading">
      <p>Signed in as {me.user.display_name}.</p>
      <h2 id="teams-heading">Your teams</h2>
      {me.teams.length === 0 ? (
        <p>You are not a member of any team yet.</p>
      ) : (
        <ul>
          {me.teams.map((t) => (
            <li key={t.team_id}>
              <strong>{t.name}</strong> — {t.role} ({t.mode})
            </li>
          ))}
        </ul>
      )}
      <button type="button" onClick={onSignOut}>
        Sign out
      </button>
    </section>
  )
}
