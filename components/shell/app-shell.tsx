import Link from 'next/link'
import type { ReactNode } from 'react'
import type { Actor } from '@/lib/auth/context'
import { can } from '@/lib/auth/permissions'
import { NavLinks, type NavSection } from './nav-links'
import { SignOutButton } from './sign-out-button'

function sectionsFor(actor: Actor): NavSection[] {
  const sections: NavSection[] = [
    { title: 'Console', links: [{ href: '/incidents', label: 'Incidents' }, { href: '/runbooks', label: 'Runbooks' }, { href: '/postmortems', label: 'Postmortems' }, { href: '/action-items', label: 'Action items' }, { href: '/', label: 'Overview' }] },
    { title: 'Telemetry', links: [{ href: '/slos', label: 'SLOs' }, { href: '/review', label: 'Weekly review' }, { href: '/fleet', label: 'Fleet' }, { href: '/traces', label: 'Traces' }, { href: '/cases', label: 'Failure cases' }] },
  ]
  const admin = [
    ...(can(actor.role, 'user:manage') ? [{ href: '/admin/users', label: 'Users' }] : []),
    ...(can(actor.role, 'token:manage') ? [{ href: '/admin/tokens', label: 'Tokens' }] : []),
    ...(can(actor.role, 'audit:read') ? [{ href: '/admin/audit', label: 'Audit log' }] : []),
  ]
  if (admin.length > 0) sections.push({ title: 'Admin', links: admin })
  return sections
}

export function AppShell({ actor, children }: { actor: Actor; children: ReactNode }) {
  return (
    <div className="shell">
      <nav className="nav" aria-label="Main">
        <Link href="/" className="brand">
          Fire<span>break</span>
        </Link>
        <NavLinks sections={sectionsFor(actor)} />
        <div className="whoami" data-testid="whoami">
          <div className="name">{actor.name}</div>
          <div className="muted">{actor.email}</div>
          <div style={{ margin: '0.4rem 0' }}>
            <span className="badge role" data-testid="role">{actor.role}</span>
          </div>
          <SignOutButton />
        </div>
      </nav>
      <main className="main">{children}</main>
    </div>
  )
}
