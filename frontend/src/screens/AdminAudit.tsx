// The audit trail (`/admin/audit`, administrators): who viewed or changed which client's data,
// every export and sign-in. Search by client (a name picker over every team's clients, or a
// pasted id), staff and dates; sort by time; page on with "Show more"; export what the search
// finds as CSV (the export is itself recorded); "Verify chain" recomputes the hash chain and
// names the first entry that does not match.
import { useEffect, useState } from 'preact/hooks'
import { api, freshToken, type Schemas } from '../lib/api'
import { problemWords } from '../lib/problem'
import { navigate } from '../lib/router'
import { formatTeamDateTime } from '../lib/time'
import type { Session } from '../lib/session'
import '../audit.css'

type Entry = Schemas['AuditEntryOut']
type Page = Schemas['AuditPage']
type Verification = Schemas['Verification']
type Staff = Schemas['StaffOut']
type Team = Schemas['TeamOut']
type Client = Schemas['ClientOut']

/** A client the picker offers: "Given Family (Team)". */
interface Pick { id: string; label: string }

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const ACTION_WORDS: Record<string, string> = {
  view: 'Viewed',
  change: 'Changed',
  export: 'Exported',
  sign_in: 'Signed in',
  sign_in_failed: 'Sign-in refused',
}

/** The browser's zone: the trail spans teams, so times are shown where the reader is. */
const ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'

export interface Search { client: string; staff: string; from: string; to: string; order: 'desc' | 'asc' }

/** The query of a search: days are the reader's local days, sent as instants. */
export function auditQuery(s: Search, clientId: string | null): URLSearchParams {
  const q = new URLSearchParams()
  if (clientId) q.set('client_id', clientId)
  if (s.staff) q.set('staff_id', s.staff)
  if (s.from) q.set('from', new Date(`${s.from}T00:00:00`).toISOString())
  if (s.to) q.set('to', new Date(`${s.to}T23:59:59.999`).toISOString())
  if (s.order === 'asc') q.set('order', 'asc')
  return q
}

export function AdminAuditScreen({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const [staff, setStaff] = useState<Staff[]>([])
  const [clients, setClients] = useState<Pick[]>([])
  const [search, setSearch] = useState<Search>({ client: '', staff: '', from: '', to: '', order: 'desc' })
  const [entries, setEntries] = useState<Entry[] | null>(null)
  const [next, setNext] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [verified, setVerified] = useState<Verification | null>(null)
  const [exported, setExported] = useState<string | null>(null)

  const admin = session.user.is_admin

  useEffect(() => {
    if (!admin) return
    api<Staff[]>('GET', '/api/staff').then(setStaff, (e) => setError(problemWords(e)))
    // The picker's clients: every team's (an administrator reads them all).
    api<Team[]>('GET', '/api/teams')
      .then((teams) => Promise.all(teams.map((t) =>
        api<Client[]>('GET', `/api/teams/${t.id}/clients`).then((cs) =>
          cs.map((c) => ({ id: c.id, label: `${c.given_name} ${c.family_name} (${t.name})` }))))))
      .then((lists) => setClients(lists.flat().sort((a, b) => a.label.localeCompare(b.label))), (e) => setError(problemWords(e)))
    void run(search)
  }, [admin])

  /** The client id the search names: a picked label, or a pasted id. */
  const clientId = (s: Search): string | null | 'unknown' => {
    const text = s.client.trim()
    if (!text) return null
    const picked = clients.find((c) => c.label === text)
    if (picked) return picked.id
    if (UUID.test(text)) return text
    return 'unknown'
  }

  const run = async (s: Search, cursor?: string) => {
    setError(null)
    const id = clientId(s)
    if (id === 'unknown') {
      setError(`No client is called "${s.client.trim()}": pick one from the list, or paste a client id.`)
      return
    }
    const q = auditQuery(s, id)
    q.set('limit', '100')
    if (cursor) q.set('cursor', cursor)
    setBusy(true)
    try {
      const page = await api<Page>('GET', `/api/audit?${q}`)
      setEntries((old) => (cursor && old ? [...old, ...page.entries] : page.entries))
      setNext(page.next_cursor ?? null)
    } catch (e) {
      setError(problemWords(e))
    } finally {
      setBusy(false)
    }
  }

  const submit = (e: Event) => {
    e.preventDefault()
    void run(search)
  }

  const toggleOrder = () => {
    const s: Search = { ...search, order: search.order === 'desc' ? 'asc' : 'desc' }
    setSearch(s)
    void run(s)
  }

  const exportCsv = async () => {
    setError(null)
    setExported(null)
    const id = clientId(search)
    if (id === 'unknown') {
      setError(`No client is called "${search.client.trim()}": pick one from the list, or paste a client id.`)
      return
    }
    try {
      const res = await fetch(`/api/audit/export.csv?${auditQuery(search, id)}`, { headers: { Authorization: `Bearer ${await freshToken()}` } })
      if (!res.ok) {
        const body = await res.json().catch(() => ({}))
        throw new Error(body.detail ?? `The export failed (${res.status}).`)
      }
      const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'audit.csv'
      const url = URL.createObjectURL(await res.blob())
      const a = document.createElement('a')
      a.href = url
      a.download = name
      document.body.append(a)
      a.click()
      a.remove()
      setTimeout(() => URL.revokeObjectURL(url), 10_000)
      setExported(`Downloaded ${name}. The export is recorded in the trail.`)
    } catch (e) {
      setError(problemWords(e))
    }
  }

  const verify = async () => {
    setError(null)
    setVerified(null)
    try {
      setVerified(await api<Verification>('GET', '/api/audit/verify'))
    } catch (e) {
      setError(problemWords(e))
    }
  }

  const nav = (
    <nav class="topbar" aria-label="Administration">
      <strong>Administration</strong>
      <a href="/admin/audit" aria-current="page" onClick={(e) => { e.preventDefault(); navigate('/admin/audit') }}>Audit trail</a>
      <a href="/" onClick={(e) => { e.preventDefault(); navigate('/') }}>Teams</a>
      <span class="spacer" />
      <button class="link" onClick={onSignOut}>Sign out</button>
    </nav>
  )

  if (!admin) {
    return (
      <>
        {nav}
        <main class="page audit"><h1>Audit trail</h1><p class="notice">Only an administrator can read the audit trail.</p></main>
      </>
    )
  }

  const set = (k: keyof Search) => (e: Event) => setSearch({ ...search, [k]: (e.target as HTMLInputElement).value })

  return (
    <>
      {nav}
      <main class="page audit">
        <h1>Audit trail</h1>
        <p class="help">Every view of a client's record, card, contacts, flags or history, every board opened, every change, every export and every sign-in. Times are in {ZONE}.</p>
        <form class="card audit-search" onSubmit={submit} aria-label="Search the audit trail">
          <div>
            <label for="audit-client">Client</label>
            <input id="audit-client" list="audit-clients" value={search.client} onInput={set('client')} placeholder="Any client — type a name" autocomplete="off" />
            <datalist id="audit-clients">
              {clients.map((c) => <option key={c.id} value={c.label} />)}
            </datalist>
          </div>
          <div>
            <label for="audit-staff">Staff</label>
            <select id="audit-staff" value={search.staff} onChange={set('staff')}>
              <option value="">Anyone</option>
              {staff.map((s) => <option key={s.id} value={s.id}>{s.display_name} ({s.username})</option>)}
            </select>
          </div>
          <div>
            <label for="audit-from">From</label>
            <input id="audit-from" type="date" value={search.from} onInput={set('from')} />
          </div>
          <div>
            <label for="audit-to">To</label>
            <input id="audit-to" type="date" value={search.to} onInput={set('to')} />
          </div>
          <div class="audit-actions">
            <button class="primary" type="submit" disabled={busy}>Search</button>
            <button type="button" onClick={() => void exportCsv()}>Export CSV</button>
            <button type="button" onClick={() => void verify()}>Verify chain</button>
          </div>
        </form>
        {error && <p class="error" role="alert">{error}</p>}
        <div role="status" aria-live="polite">
          {exported && <p class="saved">{exported}</p>}
          {verified && (verified.ok ? (
            <p class="verify ok"><strong>✓ Chain intact:</strong> {verified.entries} entries, every hash matches.</p>
          ) : (
            <p class="verify bad"><strong>✗ Chain broken:</strong> {verified.detail}{verified.first_bad ? <> First bad entry: <code>{verified.first_bad}</code>.</> : null}</p>
          ))}
        </div>
        {entries === null ? (
          busy && <p>Loading…</p>
        ) : entries.length === 0 ? (
          <p class="notice">No entries match this search.</p>
        ) : (
          <>
            <table class="list audit-table">
              <caption class="muted">{entries.length} entries{next ? ' shown; more below' : ''}</caption>
              <thead>
                <tr>
                  <th scope="col" aria-sort={search.order === 'desc' ? 'descending' : 'ascending'}>
                    <button type="button" class="link sort" onClick={toggleOrder}>
                      Time {search.order === 'desc' ? '↓ newest first' : '↑ oldest first'}
                    </button>
                  </th>
                  <th scope="col">Who</th>
                  <th scope="col">Action</th>
                  <th scope="col">Client</th>
                  <th scope="col">Detail</th>
                  <th scope="col">Hash</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => (
                  <tr key={e.id}>
                    <td data-label="Time">{formatTeamDateTime(e.at, ZONE)}</td>
                    <td data-label="Who">{e.staff_name ?? (e.staff_id ? e.staff_id : <span class="muted">—</span>)}</td>
                    <td data-label="Action">{ACTION_WORDS[e.action] ?? e.action}</td>
                    <td data-label="Client">{e.client_name ?? e.client_id ?? <span class="muted">—</span>}</td>
                    <td data-label="Detail" class="detail">{e.detail}</td>
                    <td data-label="Hash"><code title={e.hash ?? 'not chained yet'}>{e.hash ? e.hash.slice(0, 10) : 'pending'}</code></td>
                  </tr>
                ))}
              </tbody>
            </table>
            {next && <button type="button" disabled={busy} onClick={() => void run(search, next)}>Show more</button>}
          </>
        )}
      </main>
    </>
  )
}
