/**
 * The target of `rel="next"` in an RFC 8288 `Link` header (`<url>; rel="next"`, possibly one
 * of several comma-separated links, relation types separated by spaces), or null.
 */
export function nextLink(header: string | null): string | null {
  if (!header) return null
  const re = /<([^>]*)>((?:\s*;\s*[^;,]+)*)/g
  for (let m = re.exec(header); m !== null; m = re.exec(header)) {
    for (const param of m[2].split(';')) {
      const [k, v] = param.split('=').map((x) => x?.trim())
      if (k?.toLowerCase() === 'rel' && v && v.replace(/"/g, '').toLowerCase().split(/\s+/).includes('next')) return m[1]
    }
  }
  return null
}
