// The huddle header's fidelity line: the two or three DACTS items computed from the team's
// own records that are slipping this month (score below 4, or lower than a month ago).
import { useEffect, useState } from 'preact/hooks'
import { api, type Schemas } from '../lib/api'
import { navigate } from '../lib/router'

type Fidelity = Schemas['FidelityOut']

export function slippingWords(f: Pick<Fidelity, 'items' | 'slipping' | 'trend'>): string[] {
  const before = f.trend.length >= 2 ? f.trend[f.trend.length - 2] : null
  return f.slipping.map((id) => {
    const item = f.items.find((i) => i.id === id)
    const was = before?.items.find((i) => i.id === id)?.score
    const now = item?.score
    const drop = was != null && now != null && was > now ? ` (was ${was})` : ''
    return `${id} ${item?.name ?? ''}: ${now ?? '—'}/5${drop}`
  })
}

export function FidelitySlipping({ teamId }: { teamId: string }) {
  const [f, setF] = useState<Fidelity | null>(null)
  useEffect(() => {
    let stop = false
    api<Fidelity>('GET', `/api/teams/${teamId}/fidelity?months=2`)
      .then((x) => { if (!stop) setF(x) })
      .catch(() => { /* a header line: the fidelity page says why */ })
    return () => { stop = true }
  }, [teamId])
  if (!f || f.slipping.length === 0) return null
  const href = `/teams/${teamId}/fidelity`
  return (
    <div class="fid-slip" data-testid="fidelity-slipping">
      <strong>Fidelity slipping this month:</strong> {slippingWords(f).join(' · ')}{' '}
      <a href={href} onClick={(e) => { e.preventDefault(); navigate(href) }}>See fidelity →</a>
    </div>
  )
}
