// Minimal client for the actboard HTTP API (placeholder; the real app will
// replace this). Errors are RFC 9457 problem+json documents.

export interface User {
  display_name: string
  [key: string]: unknown
}

export interface Team {
  team_id: string
  name: string
  mode: string
  role: string
}

export interface LoginResponse {
  access_token: string
  user: User
  [key: string]: unknown
}

export interface MeResponse {
  user: User
  teams: Team[]
}

/** An API failure with a message fit to show to the user. */
export class ApiError extends Error {
  readonly status: number

  constructor(message: string, status: number) {
    super(message)
    this.name = 'ApiError'
    this.status = status
  }
}

async function readJson(res: Response): Promise<unknown> {
  const type = res.headers.get('content-type') ?? ''
  if (!type.includes('json')) return undefined
  try {
    return await res.json()
  } catch {
    return undefined
  }
}

function problemMessage(body: unknown, res: Response): string {
  if (body && typeof body === 'object') {
    const { detail, title } = body as { detail?: unknown; title?: unknown }
    if (typeof detail === 'string' && detail) return detail
    if (typeof title === 'string' && title) return title
  }
  return `The server answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}.`
}

async function request(path: string, init: RequestInit): Promise<unknown> {
  let res: Response
  try {
    res = await fetch(path, {
      ...init,
      headers: { Accept: 'application/json, application/problem+json', ...init.headers },
    })
  } catch {
    throw new ApiError('Could not reach the server. Check your connection and try again.', 0)
  }
  const body = await readJson(res)
  if (!res.ok) throw new ApiError(problemMessage(body, res), res.status)
  return body
}

export async function login(username: string, password: string): Promise<LoginResponse> {
  const body = (await request('/api/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  })) as Partial<LoginResponse> | undefined
  if (!body || typeof body.access_token !== 'string' || !body.user) {
    throw new ApiError('The server sent an unexpected sign-in response.', 200)
  }
  return body as LoginResponse
}

export async function getMe(accessToken: string): Promise<MeResponse> {
  const body = (await request('/api/me', {
    method: 'GET',
    headers: { Authorization: `Bearer ${accessToken}` },
  })) as Partial<MeResponse> | undefined
  if (!body || !body.user || !Array.isArray(body.teams)) {
    throw new ApiError('The server sent an unexpected profile response.', 200)
  }
  return body as MeResponse
}
