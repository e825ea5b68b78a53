// Display mode: the wall screen with a display token — read-only, no login, recovers by
// itself after network loss or a server restart (the live client reconnects forever).
import { useEffect, useState } from 'preact/hooks'
import { Wall } from './Board'
import { useLive } from '../lib/useLive'
import { api, ApiError, type Schemas } from '../lib/api'

type DisplayMe = Schemas['DisplayMe']

export function DisplayScreen({ token }: { token: string }) {
  const [me, setMe] = useState<DisplayMe | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    let stop = false
    let wait = 2000
    const load = async () => {
      try {
        const m = await api<DisplayMe>('GET', '/api/display/me', undefined, token)
        if (!stop) setMe(m)
      } catch (e) {
        const err = e as ApiError
        if (err.status === 401 || err.status === 403) {
          setError('This display link is not valid (it may have been revoked). Ask your team lead for a new one.')
          return
        }
        setError(`${err.message} Retrying…`)
        wait = Math.min(wait * 2, 60_000)
        if (!stop) setTimeout(load, wait)
      }
    }
    if (token) void load()
    return () => { stop = true }
  }, [token])
  if (!token) return <main class="page"><h1>actboard display</h1><p class="error">This display link has no token. Open the link your team lead created.</p></main>
  if (!me) return <main class="page"><h1>actboard display</h1>{error ? <p class="error">{error}</p> : <p>Connecting…</p>}</main>
  return <DisplayBoard token={token} me={me} />
}

function DisplayBoard({ token, me }: { token: string; me: DisplayMe }) {
  const live = useLive(me.team_id, 'board', async () => token)
  return <Wall live={live} team={{ team_id: me.team_id, name: me.team_name, timezone: 'UTC' }} display />
}
