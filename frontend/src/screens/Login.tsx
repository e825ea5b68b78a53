import { useState } from 'preact/hooks'
import { login } from '../lib/api'

export function Login({ onSignedIn, notice }: { onSignedIn: () => void; notice?: string | null }) {
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const submit = async (e: Event) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      await login(username, password)
      setPassword('')
      onSignedIn()
    } catch (err) {
      setError((err as Error).message)
    } finally {
      setBusy(false)
    }
  }

  return (
    <main class="login card">
      <h1>actboard</h1>
      {notice && <p class="notice">{notice}</p>}
      <form onSubmit={submit}>
        <label for="username">Username</label>
        <input id="username" name="username" autoComplete="username" value={username} required
          onInput={(e) => setUsername((e.target as HTMLInputElement).value)} />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" value={password} required
          onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
        <div role="alert" aria-live="assertive">{error && <p class="error">{error}</p>}</div>
        <button class="primary" type="submit" disabled={busy} style={{ width: '100%', marginTop: '0.8rem' }}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  )
}
