// The CSV import's report in words (the preview table and the result), and the upload with
// real progress: XMLHttpRequest, because fetch cannot report upload progress.
import { ApiError, freshToken, type Schemas } from './api'

export type ImportReport = Schemas['ImportReport']
export type RowReport = Schemas['RowReport']

export const ACTION_WORD: Record<RowReport['action'], string> = {
  error: '✖ Error',
  create: '+ New',
  update: '✎ Update',
  unchanged: '= Unchanged',
}

/** Errors first (by line), then the rest in file order. */
export function errorsFirst(rows: readonly RowReport[]): RowReport[] {
  const rank = (r: RowReport) => (r.action === 'error' ? 0 : 1)
  return [...rows].sort((a, b) => rank(a) - rank(b) || a.line - b.line)
}

/** How many rows an import would write (new and changed). */
export function toWrite(r: ImportReport): number {
  return r.created + r.updated
}

/** "3 new, 1 to update, 2 unchanged, 1 with errors" (a preview) or "3 created, …" (done). */
export function countWords(r: ImportReport, done: boolean): string {
  const parts = [
    `${r.created} ${done ? 'created' : 'new'}`,
    `${r.updated} ${done ? 'updated' : 'to update'}`,
    `${r.unchanged} unchanged`,
  ]
  if (r.failed) parts.push(`${r.failed} with errors`)
  return parts.join(', ')
}

/** The button's words: "Import 12 rows", "Import 1 row". */
export function importLabel(n: number): string {
  return `Import ${n} row${n === 1 ? '' : 's'}`
}

/** "3 MB" / "120 KB" / "800 bytes". */
export function sizeWords(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`
  return `${bytes} bytes`
}

/**
 * POST a file as text/csv with upload progress. Answers the report for 200 and for a refused
 * import (422 `import_failed`, whose problem carries the report); anything else throws an
 * ApiError with the server's words.
 */
export async function uploadCsv(
  path: string,
  file: Blob,
  onProgress: (loaded: number, total: number) => void,
): Promise<{ report: ImportReport; applied: boolean }> {
  const token = await freshToken()
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', path)
    xhr.setRequestHeader('content-type', 'text/csv')
    xhr.setRequestHeader('accept', 'application/json')
    xhr.setRequestHeader('authorization', `Bearer ${token}`)
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size)
    xhr.onerror = () => reject(new ApiError('Cannot reach the server. Check the network connection.', 0, 'offline', {}))
    xhr.onload = () => {
      let body: Record<string, unknown> = {}
      try {
        body = JSON.parse(xhr.responseText) as Record<string, unknown>
      } catch {
        /* not JSON */
      }
      if (xhr.status === 200) return resolve({ report: body as unknown as ImportReport, applied: true })
      if (xhr.status === 422 && body.code === 'import_failed') return resolve({ report: body as unknown as ImportReport, applied: false })
      const detail = typeof body.detail === 'string' && body.detail ? body.detail : `The server answered ${xhr.status}.`
      reject(new ApiError(detail.charAt(0).toUpperCase() + detail.slice(1), xhr.status, String(body.code ?? ''), body))
    }
    xhr.send(file)
  })
}
