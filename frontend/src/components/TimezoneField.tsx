// A time zone chosen from the browser's list of IANA names, searchable by typing ("new y",
// "berlin"): an input with a datalist, so any name the list offers is one click away and a
// typed name is checked against the list before the server sees it.
import { useMemo } from 'preact/hooks'

/** Every IANA time zone the browser knows (Intl.supportedValuesOf), with UTC. */
export function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] }
  const all = intl.supportedValuesOf?.('timeZone') ?? []
  return all.includes('UTC') ? all : [...all, 'UTC']
}

/** Why a typed time zone is not one of the list's, or null when it is. */
export function timeZoneProblem(value: string, zones: string[] = timeZones()): string | null {
  const v = value.trim()
  if (!v) return 'Choose a time zone.'
  if (zones.length && !zones.includes(v)) return `"${v}" is not a time zone name: type part of a city (e.g. "New York") and choose from the list.`
  return null
}

export function TimezoneField({ id, value, onInput, help }: { id: string; value: string; onInput: (v: string) => void; help?: string }) {
  const zones = useMemo(timeZones, [])
  return (
    <div>
      <label for={id}>Time zone</label>
      <input id={id} list={`${id}-list`} value={value} required autoComplete="off" spellcheck={false}
        aria-describedby={`${id}-help`} onInput={(e) => onInput(e.currentTarget.value)} />
      <datalist id={`${id}-list`}>
        {zones.map((z) => <option key={z} value={z} />)}
      </datalist>
      <p class="help" id={`${id}-help`}>{help ?? 'Type part of a city and choose from the list (IANA names such as America/New_York): "today" on this team means today there.'}</p>
    </div>
  )
}
