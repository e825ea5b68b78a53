// Writing an I-PASS handoff, on the phone (on-call screen) and the desktop (/handoff/new):
// the receiver (working members but me; the next on-call person preselected), one item per
// client pre-filled from the board (open flags, today's follow-ups), each with its illness
// severity, summary, actions (owner and time optional) and contingency. What the server
// refuses is said next to the field it names; what was typed stays.
import { useEffect, useMemo, useState } from 'preact/hooks'
import { api, apiAll, ApiError, type MyTeam } from '../lib/api'
import { checkDraft, draftItems, handoffBody, serverFieldErrors, type DraftItem, type Severity } from '../lib/handoffDraft'
import { formatTeamTime, formatTeamWhen } from '../lib/time'
import type { Board, HandoffOut, ShiftOut } from '../live/types'

const SEVERITIES: [Severity, string][] = [['stable', 'Stable'], ['watcher', 'Watcher'], ['unstable', 'Unstable']]

/** Who is on call now or next (not me): the receiver to preselect, with the shift. */
function nextOnCall(board: Board, shifts: ShiftOut[], me: string): ShiftOut | null {
  if (board.on_call && board.on_call.staff_id !== me) return board.on_call
  const now = new Date().toISOString()
  return shifts.filter((s) => s.staff_id !== me && s.ends_at > now).sort((a, b) => a.starts_at.localeCompare(b.starts_at))[0] ?? null
}

export function HandoffForm({ board, team, me, onSent, onCancel }: { board: Board; team: MyTeam; me: string; onSent: (h: HandoffOut, to: string) => void; onCancel?: () => void }) {
  const tz = board.team.timezone
  const workers = board.staff.filter((s) => s.role !== 'viewer')
  const receivers = workers.filter((s) => s.id !== me)
  const [shifts, setShifts] = useState<ShiftOut[]>([])
  const [to, setTo] = useState<string>(() => nextOnCall(board, [], me)?.staff_id ?? '')
  const [touchedTo, setTouchedTo] = useState(false)
  const [items, setItems] = useState<DraftItem[]>(() => draftItems(board, me))
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [busy, setBusy] = useState(false)
  const clientName = useMemo(() => new Map(board.clients.map((c) => [c.id, c.display_name])), [board])
  const name = (id: string) => clientName.get(id) ?? 'a client'

  useEffect(() => {
    apiAll<ShiftOut>(`/api/teams/${team.team_id}/oncall/shifts`).then(setShifts, () => { /* no preselection then */ })
  }, [team.team_id])
  const next = nextOnCall(board, shifts, me)
  useEffect(() => { if (!touchedTo && !to && next) setTo(next.staff_id) }, [next?.id])
  const shiftOf = (staff: string) => (next && next.staff_id === staff ? next.id : null)

  const update = (i: number, f: (it: DraftItem) => DraftItem) => setItems((all) => all.map((it, k) => (k === i ? f(it) : it)))
  const addClient = (id: string) => {
    const c = board.clients.find((x) => x.id === id)
    if (!c) return
    const flagged = draftItems({ ...board, clients: [{ ...c, case_manager_id: me }] }, me)[0]
    setItems((all) => [...all, flagged ?? { client_id: id, severity: 'stable', summary: '', actions: [], contingency: '' }])
  }
  /** A field's error goes once the field is changed (the rest stay until the next send). */
  const clear = (field: string) => setErrors((all) => { if (!(field in all)) return all; const { [field]: _, ...rest } = all; return rest })
  const err = (field: string) => errors[field] ? <p class="error" id={`err-${field.replace(/[^a-z0-9]/gi, '-')}`}>{errors[field]}</p> : null

  const send = async (e: Event) => {
    e.preventDefault()
    const pre = checkDraft(to, items)
    setErrors(pre)
    if (Object.keys(pre).length) return
    setBusy(true)
    try {
      const h = await api<HandoffOut>('POST', `/api/teams/${team.team_id}/handoffs`, handoffBody(to, shiftOf(to), items, tz))
      onSent(h, workers.find((w) => w.id === to)?.display_name ?? 'the receiver')
    } catch (x) {
      const a = x as ApiError
      setErrors(a.status === 422 ? serverFieldErrors(a.body, a.message) : { form: a.message })
    } finally {
      setBusy(false)
    }
  }

  const label = (s: Board['staff'][number]) => {
    if (board.on_call?.staff_id === s.id) return `${s.display_name} (on call now, until ${formatTeamTime(board.on_call.ends_at, tz)})`
    if (next?.staff_id === s.id) return `${s.display_name} (on call next, ${formatTeamWhen(next.starts_at, tz)})`
    return s.display_name
  }
  const notIn = board.clients.filter((c) => !items.some((it) => it.client_id === c.id))

  return (
    <form class="handoff-form" aria-label="Write a handoff" onSubmit={send} noValidate>
      <label for="handoff-to">To</label>
      <select id="handoff-to" value={to} aria-invalid={!!errors.to_staff_id} onChange={(e) => { setTouchedTo(true); clear('to_staff_id'); setTo((e.target as HTMLSelectElement).value) }}>
        <option value="">Choose who takes over…</option>
        {receivers.map((s) => <option key={s.id} value={s.id}>{label(s)}</option>)}
      </select>
      {err('to_staff_id')}
      {err('shift_id')}
      <h3>Clients ({items.length})</h3>
      {items.length === 0 && <p class="muted">No open flags or visits of yours today. Add the clients to hand over below.</p>}
      {err('items')}
      {items.map((it, i) => (
        <fieldset key={it.client_id} class={`item handoff-item ${it.severity === 'unstable' ? 'emergency' : it.severity === 'watcher' ? 'urgent' : ''}`} data-testid="handoff-item" aria-label={name(it.client_id)}>
          <legend>{name(it.client_id)}</legend>
          {err(`items[${i}].client_id`)}
          <div class="chips" role="group" aria-label={`Severity for ${name(it.client_id)}`}>
            {SEVERITIES.map(([v, words]) => (
              <button type="button" key={v} aria-pressed={it.severity === v} onClick={() => update(i, (x) => ({ ...x, severity: v }))}>{words}</button>
            ))}
          </div>
          {err(`items[${i}].severity`)}
          <label for={`summary-${i}`}>Summary</label>
          <textarea id={`summary-${i}`} rows={3} maxLength={2000} value={it.summary} onInput={(e) => { clear(`items[${i}].summary`); update(i, (x) => ({ ...x, summary: (e.target as HTMLTextAreaElement).value })) }} />
          {err(`items[${i}].summary`)}
          <div class="handoff-actions-list">
            <strong>Actions</strong>
            {it.actions.map((a, j) => (
              <div key={j} class="handoff-action" data-testid="handoff-action">
                <input aria-label={`Action ${j + 1} for ${name(it.client_id)}`} placeholder="What to do" maxLength={300} value={a.text}
                  onInput={(e) => update(i, (x) => ({ ...x, actions: x.actions.map((y, k) => (k === j ? { ...y, text: (e.target as HTMLInputElement).value } : y)) }))} />
                <select aria-label={`Who does action ${j + 1} for ${name(it.client_id)}`} value={a.owner_id}
                  onChange={(e) => update(i, (x) => ({ ...x, actions: x.actions.map((y, k) => (k === j ? { ...y, owner_id: (e.target as HTMLSelectElement).value } : y)) }))}>
                  <option value="">The receiver</option>
                  {workers.map((w) => <option key={w.id} value={w.id}>{w.display_name}</option>)}
                </select>
                <input type="time" aria-label={`By (time) for action ${j + 1} for ${name(it.client_id)}`} value={a.due}
                  onInput={(e) => update(i, (x) => ({ ...x, actions: x.actions.map((y, k) => (k === j ? { ...y, due: (e.target as HTMLInputElement).value } : y)) }))} />
                <button type="button" aria-label={`Remove action ${j + 1} for ${name(it.client_id)}`} onClick={() => update(i, (x) => ({ ...x, actions: x.actions.filter((_, k) => k !== j) }))}>✕</button>
                {err(`items[${i}].actions[${j}].owner_id`)}{err(`items[${i}].actions[${j}].due_at`)}{err(`items[${i}].actions[${j}].text`)}
              </div>
            ))}
            <button type="button" onClick={() => update(i, (x) => ({ ...x, actions: [...x.actions, { text: '', owner_id: '', due: '' }] }))}>+ Add action</button>
          </div>
          <label for={`contingency-${i}`}>Contingency{it.severity === 'unstable' ? ' — required for an unstable client' : ' (if … then …)'}</label>
          <textarea id={`contingency-${i}`} rows={2} maxLength={2000} value={it.contingency} aria-invalid={!!errors[`items[${i}].contingency`]}
            onInput={(e) => { clear(`items[${i}].contingency`); update(i, (x) => ({ ...x, contingency: (e.target as HTMLTextAreaElement).value })) }} />
          {err(`items[${i}].contingency`)}
          <div class="actions"><button type="button" onClick={() => setItems((all) => all.filter((_, k) => k !== i))}>Remove {name(it.client_id)}</button></div>
        </fieldset>
      ))}
      <label for="handoff-add">Add a client</label>
      <select id="handoff-add" value="" onChange={(e) => { const v = (e.target as HTMLSelectElement).value; if (v) addClient(v) }}>
        <option value="">Choose a client…</option>
        {notIn.map((c) => <option key={c.id} value={c.id}>{c.display_name}{c.open_flags.length ? ' (open flag)' : ''}</option>)}
      </select>
      <div role="alert">{err('form')}</div>
      <div class="actions handoff-send">
        {onCancel && <button type="button" onClick={onCancel}>Cancel</button>}
        <button class="primary" type="submit" disabled={busy}>Send handoff</button>
      </div>
    </form>
  )
}
