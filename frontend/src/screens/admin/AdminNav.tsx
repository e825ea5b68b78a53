// The top bar of the admin screens: every admin screen one click away, then the person's
// teams, their password and sign-out.
import { Link } from '../../components/common'
import { navigate } from '../../lib/router'
import '../../admin.css'

export type AdminHere = 'overview' | 'teams' | 'staff'

export function AdminNav({ here, onSignOut }: { here: AdminHere; onSignOut: () => void }) {
  return (
    <nav class="topbar" aria-label="Administration">
      <strong>Admin</strong>
      <Link href="/admin" current={here === 'overview'}>Overview</Link>
      <Link href="/admin/teams" current={here === 'teams'}>Teams</Link>
      <Link href="/admin/staff" current={here === 'staff'}>Staff</Link>
      <Link href="/admin/import">Import</Link>
      <Link href="/admin/audit">Audit trail</Link>
      <span class="spacer" />
      <Link href="/">Your teams</Link>
      <Link href="/account/password">My password</Link>
      <button class="link" onClick={onSignOut}>Sign out</button>
    </nav>
  )
}

/** An in-app link styled as a button. */
export function LinkButton({ href, children, primary }: { href: string; children: preact.ComponentChildren; primary?: boolean }) {
  return <a class={`button${primary ? ' primary' : ''}`} href={href} onClick={(e) => { e.preventDefault(); navigate(href) }}>{children}</a>
}
