// A CSV import in three steps: choose (or drop) a file → it is uploaded as a dry run (a real
// progress bar) and every row's action and errors are shown, errors first → "Import N rows"
// applies it (all or none) and shows the result. Used by the team's client import and the
// administrator's staff import.
import { useRef, useState } from 'preact/hooks'
import { problemWords } from '../lib/problem'
import { ACTION_WORD, countWords, errorsFirst, importLabel, sizeWords, toWrite, uploadCsv, type ImportReport } from '../lib/importReport'

/** Rows shown in the table at most (errors first, so every error of a large file is seen first). */
const SHOWN = 300

type Step =
  | { kind: 'idle' }
  | { kind: 'uploading'; what: 'check' | 'import'; loaded: number; total: number }
  | { kind: 'preview'; report: ImportReport }
  | { kind: 'done'; report: ImportReport }

export function ImportPanel({ path, columns, example, what, after }: {
  /** The route, without `?dry_run`. */
  path: string
  columns: readonly string[]
  /** One example data line for the help text. */
  example: string
  /** "clients" or "staff". */
  what: string
  /** Shown with the result (a link to the board, …). */
  after?: preact.ComponentChildren
}) {
  const [file, setFile] = useState<File | null>(null)
  const [step, setStep] = useState<Step>({ kind: 'idle' })
  const [error, setError] = useState<string | null>(null)
  const [over, setOver] = useState(false)
  const input = useRef<HTMLInputElement>(null)

  const send = async (f: File, dryRun: boolean) => {
    setError(null)
    setStep({ kind: 'uploading', what: dryRun ? 'check' : 'import', loaded: 0, total: f.size })
    try {
      const { report, applied } = await uploadCsv(`${path}?dry_run=${dryRun}`, f, (loaded, total) =>
        setStep({ kind: 'uploading', what: dryRun ? 'check' : 'import', loaded, total }),
      )
      setStep(!dryRun && applied ? { kind: 'done', report } : { kind: 'preview', report })
    } catch (e) {
      setError(problemWords(e))
      setStep({ kind: 'idle' })
    }
  }

  const choose = (f: File | null | undefined) => {
    if (!f) return
    setFile(f)
    void send(f, true)
  }

  const busy = step.kind === 'uploading'
  return (
    <div class="import">
      <section class="card" aria-labelledby="import-file-title">
        <h2 id="import-file-title">1. Choose the file</h2>
        <p class="help">
          A CSV file saved as UTF-8 whose first line names the columns <code>{columns.join(',')}</code> (in any
          order), for example <code>{example}</code>. Nothing is stored until you press Import; importing the
          same file again changes nothing.
        </p>
        <div
          class={`dropzone${over ? ' over' : ''}`}
          onDragOver={(e) => { e.preventDefault(); setOver(true) }}
          onDragLeave={() => setOver(false)}
          onDrop={(e) => { e.preventDefault(); setOver(false); choose(e.dataTransfer?.files?.[0]) }}
        >
          <label for="import-file">CSV file of {what}</label>
          <input
            id="import-file"
            ref={input}
            type="file"
            accept=".csv,text/csv"
            disabled={busy}
            onChange={(e) => choose((e.currentTarget as HTMLInputElement).files?.[0])}
          />
          <span class="muted">or drop the file here</span>
          {file && <p class="chosen">Chosen: <strong>{file.name}</strong> ({sizeWords(file.size)})</p>}
        </div>
        {error && <p class="error" role="alert">{error}</p>}
      </section>

      {step.kind === 'uploading' && (
        <section class="card" aria-live="polite">
          <label for="import-progress">
            {step.loaded < step.total
              ? `${step.what === 'check' ? 'Uploading to check' : 'Uploading to import'}: ${Math.round((100 * step.loaded) / Math.max(step.total, 1))}%`
              : step.what === 'check' ? 'Checking every row…' : 'Importing…'}
          </label>
          <progress id="import-progress" max={Math.max(step.total, 1)} value={step.loaded} />
        </section>
      )}

      {step.kind === 'preview' && file && (
        <Preview report={step.report} onImport={() => void send(file, false)} onChooseAgain={() => input.current?.click()} />
      )}

      {step.kind === 'done' && (
        <section class="card" aria-labelledby="import-done-title">
          <h2 id="import-done-title">Imported</h2>
          <p class="ok" role="status">Imported {file?.name}: {countWords(step.report, true)}.</p>
          {step.report.notice && <p class="notice">{step.report.notice}</p>}
          {after}
          <Rows report={step.report} />
        </section>
      )}
    </div>
  )
}

function Preview({ report, onImport, onChooseAgain }: { report: ImportReport; onImport: () => void; onChooseAgain: () => void }) {
  const n = toWrite(report)
  return (
    <section class="card" aria-labelledby="import-preview-title">
      <h2 id="import-preview-title">2. Check the rows</h2>
      <p role="status" class={report.failed ? 'error' : 'ok'}>
        {report.rows.length} row{report.rows.length === 1 ? '' : 's'}: {countWords(report, false)}.
        {report.failed > 0 && ' Nothing can be imported until every row is correct: fix them in your file, save it, and choose it again.'}
      </p>
      {report.notice && <p class="notice">{report.notice}</p>}
      <div class="import-actions">
        {report.failed === 0 ? (
          <button class="primary" onClick={onImport} disabled={n === 0}>{n === 0 ? 'Nothing to import' : importLabel(n)}</button>
        ) : (
          <button onClick={onChooseAgain}>Choose the corrected file</button>
        )}
      </div>
      <Rows report={report} />
    </section>
  )
}

function Rows({ report }: { report: ImportReport }) {
  const rows = errorsFirst(report.rows)
  const shown = rows.slice(0, SHOWN)
  return (
    <>
      <table class="import-rows">
        <caption class="sr-only">Each row of the file: what the import does with it, and its problems</caption>
        <thead>
          <tr><th scope="col">Line</th><th scope="col">Id</th><th scope="col">What happens</th><th scope="col">Problems</th></tr>
        </thead>
        <tbody>
          {shown.map((r) => (
            <tr key={r.line} class={`act-${r.action}`}>
              <td data-label="Line">{r.line}</td>
              <td data-label="Id">{r.key || '—'}</td>
              <td data-label="What happens" class="action">{ACTION_WORD[r.action]}</td>
              <td data-label="Problems">
                {r.errors.length === 0 ? '' : (
                  <ul>{r.errors.map((e, i) => <li key={i}><strong>{e.field}</strong>: {e.message}</li>)}</ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > shown.length && <p class="muted">…and {rows.length - shown.length} more rows without errors.</p>}
    </>
  )
}
