// The client's lifecycle on the client page (the risk tier follows the latest assessment,
// components/Assessments.tsx): referred → screening → active
// (admitting with a case manager); changing the case manager (working members only, a full
// one shown "15 / 15, full" and not offered); transfer to another of my teams (a
// confirmation naming what moves: open flags go along); discharge with a reason and an
// in-page confirmation that lists the open flags resolved in the same request. Refusals
// (caseload_full, open_flags, version_conflict) are said in words.
import { useEffect, useState } from 'preact/hooks'
import { api, ApiError, type MyTeam, type Schemas } from '../lib/api'
import { isFull } from '../lib/caseload'
import { refusalWords } from '../lib/refusal'
import { navigate } from '../lib/router'
import { CATEGORY_WORD, SEVERITY_WORD, staffName } from './common'
import { ConfirmDialog } from './ConfirmDialog'
import type { Board, BoardStaff, ClientOut, FlagOut } from '../live/types'

export const DISCHARGE_REASONS: [Schemas['DischargeReason'], string][] = [
  ['goals_met', 'Goals met'],
  ['moved', 'Moved away'],
  ['transferred_out', 'Transferred to another service'],
  ['declined_services', 'Declined services'],
  ['incarcerated', 'Incarcerated'],
  ['long_term_hospital', 'Long-term hospital stay'],
  ['died', 'Died'],
  ['lost_to_contact', 'Lost to contact'],
  ['other', 'Other'],
]

const NEXT: Record<string, Schemas['Status'][]> = {
  referred: ['screening'],
  screening: ['active'],
  active: ['transitioning'],
  transitioning: ['active'],
  discharged: ['referred', 'active'],
  declined: ['referred'],
}

/** Case-manager choices: working members; in ICM with "n / cap" and full ones disabled. */
export function ManagerOptions({ staff, icm, cap, current, allowFull }: { staff: BoardStaff[]; icm: boolean; cap: number; current?: string | null; allowFull?: boolean }) {
  return (
    <>
      {staff.filter((s) => s.role !== 'viewer').map((s) => {
        const full = icm && isFull(s.caseload, cap) && s.id !== current
        return <option key={s.id} value={s.id} disabled={full && !allowFull}>{s.display_name}{icm ? ` (${s.caseload} / ${cap}${full ? ', full' : ''})` : ''}</option>
      })}
    </>
  )
}

type Panel = null | 'admit' | 'transfer' | 'discharge'

export function ClientLifecycle({ team, teams, client, openFlags, board, onChanged, onError }: {
  team: MyTeam; teams: MyTeam[]; client: ClientOut; openFlags: FlagOut[]; board: Board | null
  onChanged: (c?: ClientOut) => Promise<void>; onError: (words: string | null) => void
}) {
  const base = `/api/teams/${team.team_id}`
  const isLead = team.role === 'lead'
  const icm = team.mode === 'icm'
  const cap = board?.team.caseload_cap ?? 15
  const staff = board?.staff ?? []
  const who = (id: string | null | undefined) => staffName(staff, id)
  const clientName = `${client.preferred_name ?? client.given_name} ${client.family_name}`
  const [panel, setPanel] = useState<Panel>(null)
  const [manager, setManager] = useState(client.case_manager_id ?? '')
  const [admitWith, setAdmitWith] = useState(client.case_manager_id ?? '')
  const [reason, setReason] = useState<Schemas['DischargeReason'] | ''>('')
  const [outcome, setOutcome] = useState('')
  const [toTeam, setToTeam] = useState('')
  const [toBoard, setToBoard] = useState<Board | null>(null)
  const [toManager, setToManager] = useState('')
  const [confirming, setConfirming] = useState<null | 'transfer' | 'discharge'>(null)
  const [said, setSaid] = useState<string | null>(null)
  useEffect(() => { setManager(client.case_manager_id ?? ''); setAdmitWith(client.case_manager_id ?? '') }, [client.case_manager_id, client.version])
  useEffect(() => {
    setToBoard(null); setToManager('')
    if (toTeam) api<Board>('GET', `/api/teams/${toTeam}/board`).then(setToBoard, (e) => onError((e as Error).message))
  }, [toTeam])

  /** Run a change; words for a refusal (a stale version reloads the record). */
  const run = async (f: () => Promise<ClientOut | void>, staffId?: string | null, reload = true): Promise<boolean> => {
    onError(null); setSaid(null)
    try {
      const c = await f()
      if (reload) await onChanged(c ?? undefined)
      return true
    } catch (e) {
      const err = e as ApiError
      onError(refusalWords(err, who, staffId))
      if (err.code === 'version_conflict') await onChanged()
      return false
    }
  }
  const patch = (body: Omit<Schemas['ClientPatch'], 'version'>, staffId?: string | null) =>
    run(() => api<ClientOut>('PATCH', `${base}/clients/${client.id}`, { version: client.version, ...body } satisfies Schemas['ClientPatch']), staffId)

  const transferTargets = teams.filter((t) => t.team_id !== team.team_id && t.role === 'lead')
  const target = teams.find((t) => t.team_id === toTeam)
  const needsManagerThere = target?.mode === 'icm' && (client.status === 'active' || client.status === 'transitioning')
  const reasonWords = DISCHARGE_REASONS.find(([r]) => r === reason)?.[1] ?? ''

  return (
    <section class="card lifecycle" aria-label="Status and care">
      <h2 style={{ marginTop: 0 }}>Status and care</h2>
      <div role="status">{said && <p class="ok">{said}</p>}</div>
      <div class="row">
        {isLead && (NEXT[client.status] ?? []).map((s) => (
          s === 'active' && client.status === 'screening' && !client.case_manager_id
            ? <button key={s} onClick={() => setPanel(panel === 'admit' ? null : 'admit')} aria-expanded={panel === 'admit'}>Admit…</button>
            : <button key={s} onClick={() => void patch({ status: s }, client.case_manager_id)}>Move to {s}</button>
        ))}
        {isLead && transferTargets.length > 0 && (client.status !== 'discharged') && (
          <button onClick={() => setPanel(panel === 'transfer' ? null : 'transfer')} aria-expanded={panel === 'transfer'}>Transfer…</button>
        )}
        {isLead && client.status !== 'discharged' && client.status !== 'declined' && (
          <button class="danger" onClick={() => setPanel(panel === 'discharge' ? null : 'discharge')} aria-expanded={panel === 'discharge'}>Discharge…</button>
        )}
      </div>

      {isLead && client.status !== 'discharged' && panel !== 'admit' && (
        <form class="row" aria-label="Change case manager" onSubmit={async (e) => {
          e.preventDefault()
          if (!manager || manager === client.case_manager_id) return
          if (await run(() => api<ClientOut>('PUT', `${base}/clients/${client.id}/case-manager`, { staff_id: manager } satisfies Schemas['CaseManager']), manager)) setSaid(`${clientName} is now with ${who(manager)}.`)
        }}>
          <div><label for="case-manager">{icm ? 'Case manager' : 'Primary contact'}</label>
            <select id="case-manager" value={manager} onChange={(e) => setManager((e.target as HTMLSelectElement).value)}>
              <option value="">{client.case_manager_id ? '' : 'None yet — choose…'}</option>
              <ManagerOptions staff={staff} icm={icm} cap={cap} current={client.case_manager_id} />
            </select></div>
          <button type="submit" disabled={!manager || manager === client.case_manager_id}>Change {icm ? 'case manager' : 'primary contact'}</button>
        </form>
      )}

      {panel === 'admit' && (
        <form class="row" aria-label="Admit" onSubmit={async (e) => {
          e.preventDefault()
          if (await patch({ status: 'active', case_manager_id: admitWith || undefined }, admitWith)) { setPanel(null); setSaid(`${clientName} is admitted${admitWith ? ` with ${who(admitWith)}` : ''}.`) }
        }}>
          <div><label for="admit-manager">Admit with case manager{icm ? '' : ' (optional)'}</label>
            <select id="admit-manager" required={icm} value={admitWith} onChange={(e) => setAdmitWith((e.target as HTMLSelectElement).value)}>
              <option value="">Choose…</option>
              <ManagerOptions staff={staff} icm={icm} cap={cap} />
            </select></div>
          <button type="button" onClick={() => setPanel(null)}>Cancel</button>
          <button class="primary" type="submit">Admit</button>
        </form>
      )}

      {panel === 'transfer' && (
        <form aria-label="Transfer" onSubmit={(e) => { e.preventDefault(); if (toTeam && (!needsManagerThere || toManager)) setConfirming('transfer') }}>
          <div class="row">
            <div><label for="transfer-team">Move to team</label>
              <select id="transfer-team" required value={toTeam} onChange={(e) => setToTeam((e.target as HTMLSelectElement).value)}>
                <option value="">Choose…</option>
                {transferTargets.map((t) => <option key={t.team_id} value={t.team_id}>{t.name} ({t.mode.toUpperCase()})</option>)}
              </select></div>
            <div><label for="transfer-manager">{target?.mode === 'act' ? 'Primary contact there' : 'Case manager there'}{needsManagerThere ? '' : ' (optional)'}</label>
              <select id="transfer-manager" required={needsManagerThere} value={toManager} disabled={!toBoard} onChange={(e) => setToManager((e.target as HTMLSelectElement).value)}>
                <option value="">{toBoard ? 'Choose…' : toTeam ? 'Loading…' : 'Choose a team first'}</option>
                {toBoard && <ManagerOptions staff={toBoard.staff} icm={toBoard.team.mode === 'icm'} cap={toBoard.team.caseload_cap} />}
              </select></div>
            <button type="button" onClick={() => setPanel(null)}>Cancel</button>
            <button class="primary" type="submit" disabled={!toTeam || (needsManagerThere && !toManager)}>Transfer…</button>
          </div>
        </form>
      )}

      {panel === 'discharge' && (
        <form aria-label="Discharge" onSubmit={(e) => { e.preventDefault(); if (reason && (openFlags.length === 0 || outcome.trim())) setConfirming('discharge') }}>
          <div class="row">
            <div><label for="discharge-reason">Reason for discharge</label>
              <select id="discharge-reason" required value={reason} onChange={(e) => setReason((e.target as HTMLSelectElement).value as Schemas['DischargeReason'])}>
                <option value="">Choose…</option>
                {DISCHARGE_REASONS.map(([r, words]) => <option key={r} value={r}>{words}</option>)}
              </select></div>
          </div>
          {openFlags.length > 0 && (
            <>
              <p class="notice">{openFlags.length} open crisis flag{openFlags.length === 1 ? '' : 's'}: {openFlags.map((f) => `${SEVERITY_WORD[f.severity]} ${CATEGORY_WORD[f.category] ?? f.category}`).join(', ')} — resolved with this outcome in the same step.</p>
              <label for="discharge-outcome">Outcome for the open flag{openFlags.length === 1 ? '' : 's'}</label>
              <textarea id="discharge-outcome" rows={2} required value={outcome} onInput={(e) => setOutcome((e.target as HTMLTextAreaElement).value)} />
            </>
          )}
          <div class="row" style={{ marginTop: '0.6rem' }}>
            <button type="button" onClick={() => setPanel(null)}>Cancel</button>
            <button class="danger" type="submit" disabled={!reason || (openFlags.length > 0 && !outcome.trim())}>Discharge…</button>
          </div>
        </form>
      )}

      {confirming === 'discharge' && (
        <ConfirmDialog title={`Discharge ${clientName}?`} confirm="Yes, discharge" danger onCancel={() => setConfirming(null)}
          onConfirm={async () => {
            const ok = await patch({ status: 'discharged', discharge_reason: reason || undefined, ...(openFlags.length ? { resolve_open_flags: { outcome: outcome.trim() } } : {}) })
            setConfirming(null)
            if (ok) { setPanel(null); setSaid(`${clientName} is discharged (${reasonWords}).`) }
          }}>
          <p>Reason: <strong>{reasonWords}</strong>. {clientName} leaves the board and the caseload{client.case_manager_id ? ` of ${who(client.case_manager_id)}` : ''}.</p>
          {openFlags.length > 0 ? (
            <>
              <p>These open crisis flags are resolved with the outcome “{outcome.trim()}”:</p>
              <ul class="confirm-list">{openFlags.map((f) => <li key={f.id}>{SEVERITY_WORD[f.severity]} {CATEGORY_WORD[f.category] ?? f.category}: {f.reason}</li>)}</ul>
            </>
          ) : <p>No open crisis flags.</p>}
        </ConfirmDialog>
      )}
      {confirming === 'transfer' && target && (
        <ConfirmDialog title={`Transfer ${clientName} to ${target.name}?`} confirm={`Transfer to ${target.name}`} onCancel={() => setConfirming(null)}
          onConfirm={async () => {
            const ok = await run(async () => { await api<ClientOut>('POST', `${base}/clients/${client.id}/transfer`, { to_team_id: target.team_id, case_manager_id: toManager || undefined } satisfies Schemas['Transfer']) }, toManager, false)
            setConfirming(null)
            if (ok) { setPanel(null); navigate(`/teams/${target.team_id}/clients/${client.id}`) }
          }}>
          <p>{clientName} moves from {team.name} to <strong>{target.name}</strong>{toManager ? <> with <strong>{staffName(toBoard?.staff ?? [], toManager)}</strong></> : ' without a case manager'}.</p>
          {openFlags.length > 0 ? (
            <>
              <p>Goes along (onto {target.name}'s board): {openFlags.length} open crisis flag{openFlags.length === 1 ? '' : 's'}</p>
              <ul class="confirm-list">{openFlags.map((f) => <li key={f.id}>{SEVERITY_WORD[f.severity]} {CATEGORY_WORD[f.category] ?? f.category}: {f.reason}</li>)}</ul>
            </>
          ) : <p>No open crisis flags go along.</p>}
          <p>Contacts and resolved flags stay recorded by {team.name}; {target.name} reads them on the client page.</p>
        </ConfirmDialog>
      )}
    </section>
  )
}
