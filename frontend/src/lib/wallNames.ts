// On a privacy ("initials") wall two clients can share initials ("SJ"), and a team reading
// "SJ: EMERGENCY" must know which one. Clients whose initials repeat get a number by a stable
// order (their id), the same on every wall of the team: "SJ 1", "SJ 2". Named boards are left
// as they are.

export interface Named {
  id: string
  display_name: string
}

export function wallNames(clients: Named[], privacy: string | undefined): Map<string, string> {
  const out = new Map(clients.map((c) => [c.id, c.display_name]))
  if (privacy !== 'initials') return out
  const byName = new Map<string, string[]>()
  for (const c of clients) byName.set(c.display_name, [...(byName.get(c.display_name) ?? []), c.id])
  for (const [name, ids] of byName) {
    if (ids.length < 2) continue
    ;[...ids].sort().forEach((id, i) => out.set(id, `${name} ${i + 1}`))
  }
  return out
}
