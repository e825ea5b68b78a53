// A QR code drawn as SVG in the page (uqr encodes; nothing leaves the browser). One path of
// unit squares with a 4-module quiet zone, black on white whatever the theme, so phones read it.
import { encode } from 'uqr'

export function QrCode({ text, size = 240, label }: { text: string; size?: number; label: string }) {
  const { data } = encode(text, { ecc: 'M', border: 4 })
  const n = data.length
  let d = ''
  data.forEach((row, y) => row.forEach((on, x) => { if (on) d += `M${x} ${y}h1v1h-1z` }))
  return (
    <svg class="qr" role="img" aria-label={label} width={size} height={size} viewBox={`0 0 ${n} ${n}`} shape-rendering="crispEdges" data-testid="qr">
      <rect width={n} height={n} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  )
}
