// The outcomes and fidelity screens load on first use: they bring the chart library (uPlot),
// which the board, the phone and the wall never need (the main bundle stays small).
import { useEffect, useState } from 'preact/hooks'
import type { MyTeam } from '../lib/api'

type Props = { team: MyTeam; onSignOut: () => void }
type Screen = (p: Props) => preact.JSX.Element

function lazyScreen(load: () => Promise<Screen>) {
  let loaded: Screen | null = null
  return function Lazy(p: Props) {
    const [S, setS] = useState<Screen | null>(() => loaded)
    const [error, setError] = useState<string | null>(null)
    useEffect(() => {
      if (S) return
      load().then((s) => { loaded = s; setS(() => s) }, (e) => setError(`This page could not be loaded (${(e as Error).message}). Check the network and reload.`))
    }, [])
    if (error) return <main class="page"><p class="error" role="alert">{error}</p></main>
    return S ? <S {...p} /> : <main class="page"><p>Loading…</p></main>
  }
}

export const OutcomesLazy = lazyScreen(() => import('./Outcomes').then((m) => m.OutcomesScreen))
export const FidelityLazy = lazyScreen(() => import('./Fidelity').then((m) => m.FidelityScreen))
