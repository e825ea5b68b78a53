// Download a CSV export the server answers with Content-Disposition (the token goes in the
// header, so a plain link cannot do it).
import { freshToken } from './api'

export async function downloadCsv(path: string, fallback: string): Promise<string> {
  const res = await fetch(path, { headers: { Authorization: `Bearer ${await freshToken()}` } })
  if (!res.ok) {
    const body = await res.json().catch(() => ({}))
    throw new Error(body.detail ?? `The export failed (${res.status}).`)
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallback
  const url = URL.createObjectURL(await res.blob())
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
  return name
}
