// Small charts drawn with uPlot (bundled by Vite from npm; nothing is fetched at run time).
import { useEffect, useRef } from 'preact/hooks'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'

const BEFORE = '#9ca3af'
const AFTER = '#1d4ed8'

/**
 * Before/after bars for each category (`labels`), side by side; the figures are written above
 * the bars too, so nothing needs hovering.
 */
export function BeforeAfterBars({ labels, before, after, title, height = 220 }: {
  labels: string[]; before: (number | null)[]; after: (number | null)[]; title: string; height?: number
}) {
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const el = box.current
    if (!el) return
    const xs = labels.map((_, i) => i)
    const bars = (align: -1 | 1) => uPlot.paths.bars!({ size: [0.38, 120], align })
    const valueLabels = (series: number) => (u: uPlot) => {
      const ctx = u.ctx
      ctx.save()
      ctx.font = `${Math.round(15 * devicePixelRatio)}px system-ui, sans-serif`
      ctx.fillStyle = '#111827'
      ctx.textAlign = 'center'
      const data = u.data[series]
      for (let i = 0; i < data.length; i++) {
        const v = data[i]
        if (v == null) continue
        const x = u.valToPos(i, 'x', true) + (series === 1 ? -1 : 1) * u.bbox.width / labels.length * 0.19
        const y = u.valToPos(v, 'y', true) - 6 * devicePixelRatio
        ctx.fillText(Number.isInteger(v) ? String(v) : v.toFixed(2), x, y)
      }
      ctx.restore()
    }
    const maxV = Math.max(1, ...before.map((v) => v ?? 0), ...after.map((v) => v ?? 0))
    const plot = new uPlot(
      {
        title,
        width: Math.max(260, el.clientWidth),
        height,
        legend: { show: true, live: false },
        cursor: { show: false },
        scales: { x: { time: false, range: [-0.5, labels.length - 0.5] }, y: { range: [0, maxV * 1.2] } },
        axes: [
          { values: (_u, splits) => splits.map((s) => (Number.isInteger(s) ? labels[s] ?? '' : '')), splits: () => xs, font: '15px system-ui', size: 36 },
          { font: '14px system-ui', size: 44 },
        ],
        series: [
          {},
          { label: 'Before enrolment', fill: BEFORE, stroke: BEFORE, paths: bars(-1), points: { show: false } },
          { label: 'After enrolment', fill: AFTER, stroke: AFTER, paths: bars(1), points: { show: false } },
        ],
        hooks: { draw: [valueLabels(1), valueLabels(2)] },
      },
      [xs, before, after] as uPlot.AlignedData,
      el,
    )
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(260, el.clientWidth), height }))
    resize.observe(el)
    return () => { resize.disconnect(); plot.destroy() }
  }, [labels.join('|'), before.join('|'), after.join('|'), title, height])
  return <div ref={box} class="chart" role="img" aria-label={`${title}: ${labels.map((l, i) => `${l} before ${before[i] ?? 'none'}, after ${after[i] ?? 'none'}`).join('; ')}`} />
}

/** A small line of scores 1–5 over months (the fidelity trend of one item). */
export function ScoreTrend({ days, scores, label }: { days: string[]; scores: (number | null)[]; label: string }) {
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const el = box.current
    if (!el) return
    const xs = days.map((_, i) => i)
    const plot = new uPlot(
      {
        width: Math.max(180, el.clientWidth),
        height: 90,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: false }, y: { range: [0.5, 5.5] } },
        axes: [
          { show: true, values: (_u, splits) => splits.map((s) => (Number.isInteger(s) && (s === 0 || s === days.length - 1) ? days[s]?.slice(0, 7) ?? '' : '')), splits: () => xs, font: '12px system-ui', size: 22 },
          { values: (_u, splits) => splits.map((s) => String(s)), splits: () => [1, 3, 5], font: '12px system-ui', size: 24 },
        ],
        series: [{}, { stroke: AFTER, width: 3, points: { show: true, size: 7, fill: AFTER }, spanGaps: false }],
      },
      [xs, scores] as uPlot.AlignedData,
      el,
    )
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(180, el.clientWidth), height: 90 }))
    resize.observe(el)
    return () => { resize.disconnect(); plot.destroy() }
  }, [days.join('|'), scores.join('|')])
  return <div ref={box} class="chart trend" role="img" aria-label={`${label}: ${scores.map((s, i) => `${days[i]} ${s ?? 'no score'}`).join(', ')}`} />
}
