// The actboard HTTP API: JSON in and out, RFC 9457 problem+json errors shown in words,
// access tokens renewed with the refresh token when they expire.

import type { components } from './api-types'
import { nextLink } from './link'

/** The server's schemas, generated from its OpenAPI document (`make api-types`). */
export type Schemas = components['schemas']

export type MyTeam = Schemas['MyTeam']
export type TokenResponse = Schemas['TokenResponse']

/** An API failure with the server's `detail` in words. */
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly body: Record<string, unknown>

  constructor(message: string, status: number, code: string, body: Record<string, unknown>) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.body = body
  }
}

const REFRESH_KEY = 'actboard.refresh'

let accessToken: string | null = null
/**
 * When the access token expires by this device's clock (ms): the moment it arrived plus the
 * server's `expires_in`. Not the JWT's `exp`, which is the server's clock: a phone whose clock
 * is off by minutes would otherwise renew in a loop, or too late.
 */
let accessExpiresAt = 0
let refreshing: Promise<boolean> | null = null
let onSignedOut: (() => void) | null = null

export function setSignedOutHandler(f: () => void) {
  onSignedOut = f
}

export function currentToken(): string | null {
  return accessToken
}

export function hasRefreshToken(): boolean {
  return !!localStorage.getItem(REFRESH_KEY)
}

export function storeTokens(t: TokenResponse) {
  accessToken = t.access_token
  accessExpiresAt = Date.now() + t.expires_in * 1000
  localStorage.setItem(REFRESH_KEY, t.refresh_token)
}

export function forgetTokens() {
  accessToken = null
  accessExpiresAt = 0
  localStorage.removeItem(REFRESH_KEY)
}

function problemMessage(body: Record<string, unknown> | undefined, status: number): string {
  const detail = body?.detail
  if (typeof detail === 'string' && detail) return detail.charAt(0).toUpperCase() + detail.slice(1)
  const title = body?.title
  if (typeof title === 'string' && title) return title
  return `The server answered ${status}.`
}

async function send(method: string, path: string, body: unknown, token: string | null): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (body !== undefined) headers['content-type'] = 'application/json'
  if (token) headers.authorization = `Bearer ${token}`
  try {
    return await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  } catch {
    throw new ApiError('Cannot reach the server. Check the network connection.', 0, 'offline', {})
  }
}

/** Renew the access token with the stored refresh token (one attempt at a time). */
export function refresh(): Promise<boolean> {
  if (refreshing) return refreshing
  const rt = localStorage.getItem(REFRESH_KEY)
  if (!rt) return Promise.resolve(false)
  refreshing = (async () => {
    try {
      const res = await send('POST', '/api/auth/refresh', { refresh_token: rt } satisfies Schemas['RefreshRequest'], null)
      if (!res.ok) {
        if (res.status === 401) {
          forgetTokens()
          onSignedOut?.()
        }
        return false
      }
      storeTokens((await res.json()) as TokenResponse)
      return true
    } catch {
      return false
    } finally {
      refreshing = null
    }
  })()
  return refreshing
}

/**
 * A token for the live stream: the current access token, renewed when it is near expiry or
 * when the caller asks (`forceRefresh`: the live client renewing, or the server refused it).
 */
export async function freshToken(opts?: { forceRefresh: boolean }): Promise<string> {
  if (opts?.forceRefresh || !accessToken || accessExpiresAt - Date.now() < 60_000) await refresh()
  if (!accessToken) throw new ApiError('Signed out', 401, 'unauthenticated', {})
  return accessToken
}

/** Call the API; on 401 try one refresh and repeat. Throws ApiError with words to show. */
export async function api<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
  return (await request<T>(method, path, body, token)).body
}

/**
 * Every row of a list endpoint: GET `path`, then each page its `Link: <…>; rel="next"` header
 * names (RFC 8288; the server answers a page at a time, `limit` rows at most), concatenated
 * in order. `maxPages` guards against a server that never stops.
 */
export async function apiAll<T>(path: string, maxPages = 200): Promise<T[]> {
  const all: T[] = []
  let next: string | null = path
  for (let page = 0; next !== null && page < maxPages; page++) {
    const r: { body: T[]; link: string | null } = await request<T[]>('GET', next)
    all.push(...r.body)
    next = nextLink(r.link)
  }
  return all
}

async function request<T>(method: string, path: string, body?: unknown, token?: string): Promise<{ body: T; link: string | null }> {
  let res = await send(method, path, body, token ?? accessToken)
  if (res.status === 401 && !token && (await refresh())) {
    res = await send(method, path, body, accessToken)
  }
  const text = await res.text()
  let json: unknown = undefined
  if (text) {
    try {
      json = JSON.parse(text)
    } catch {
      json = undefined
    }
  }
  if (!res.ok) {
    const b = (json ?? {}) as Record<string, unknown>
    throw new ApiError(problemMessage(b, res.status), res.status, String(b.code ?? ''), b)
  }
  return { body: json as T, link: res.headers.get('link') }
}

export async function login(username: string, password: string): Promise<TokenResponse> {
  const t = await api<TokenResponse>('POST', '/api/auth/login', { username, password } satisfies Schemas['LoginRequest'])
  storeTokens(t)
  return t
}

/**
 * Check a password without touching this tab's session (the idle lock): sign in once more
 * and end that second session at once. Never retried after a refresh (a wrong password must
 * count once against the sign-in throttle). Throws ApiError: 401 for a wrong password.
 */
export async function verifyPassword(username: string, password: string): Promise<void> {
  const res = await send('POST', '/api/auth/login', { username, password } satisfies Schemas['LoginRequest'], null)
  if (!res.ok) {
    let b: Record<string, unknown> = {}
    try { b = (await res.json()) as Record<string, unknown> } catch { /* no body */ }
    const message = res.status === 401 ? 'Wrong password.' : problemMessage(b, res.status)
    throw new ApiError(message, res.status, String(b.code ?? ''), b)
  }
  const t = (await res.json()) as TokenResponse
  try {
    await send('POST', '/api/auth/logout', { refresh_token: t.refresh_token } satisfies Schemas['RefreshRequest'], null)
  } catch {
    /* it expires by itself; the password was right either way */
  }
}

export async function logout() {
  // A renewal in flight would store a fresh refresh token after we forgot ours (a shared
  // phone would stay signed in): let it land first, then sign out the newest token.
  if (refreshing) await refreshing.catch(() => false)
  const rt = localStorage.getItem(REFRESH_KEY)
  forgetTokens()
  if (rt) {
    try {
      await send('POST', '/api/auth/logout', { refresh_token: rt } satisfies Schemas['RefreshRequest'], null)
    } catch {
      /* signed out locally either way */
    }
  }
}
