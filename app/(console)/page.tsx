import type { Metadata } from 'next'
import { requirePageActor } from '@/lib/auth/session'
import { PERMISSIONS, permissionsOf, ROLE_DESCRIPTIONS } from '@/lib/auth/permissions'
import { checkHealth } from '@/lib/health'
import Link from 'next/link'
import { getRequestContext } from '@/lib/auth/session'
import { listIncidents } from '@/lib/incidents'

export const metadata: Metadata = { title: 'Overview' }

export default async function OverviewPage() {
  const actor = await requirePageActor()
  const health = await checkHealth()
  const open = health.database.status === 'up' ? await listIncidents(await getRequestContext(), { status: 'open', limit: 200 }) : []
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Overview</h1>
          <p className="muted" style={{ margin: 0 }}>
            Signed in as {actor.name} ({actor.role}: {ROLE_DESCRIPTIONS[actor.role]})
          </p>
        </div>
      </div>
      <div className="grid">
        <section className="panel" aria-labelledby="open-incidents">
          <h2 id="open-incidents" style={{ marginTop: 0 }}>Open incidents</h2>
          <p style={{ fontSize: '2rem', margin: '0.25rem 0', fontWeight: 700 }}>{open.length}</p>
          <p className="muted" style={{ margin: 0 }}>
            {(['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const).map((sev) => `${open.filter((i) => i.severity === sev).length} ${sev}`).join(' · ')}
          </p>
          <Link href="/incidents">Go to incidents</Link>
        </section>
        <section className="panel" aria-labelledby="system-status">
          <h2 id="system-status" style={{ marginTop: 0 }}>System status</h2>
          <dl className="kv">
            <dt>Database</dt>
            <dd>
              <span className={`badge ${health.database.status === 'up' ? 'ok' : 'bad'}`}>{health.database.status}</span>
              {health.database.latencyMs !== undefined ? <span className="muted"> {health.database.latencyMs} ms</span> : null}
            </dd>
            <dt>Migrations applied</dt>
            <dd>{health.database.migrations ?? 'unknown'}</dd>
          </dl>
        </section>
        <section className="panel" aria-labelledby="your-access">
          <h2 id="your-access" style={{ marginTop: 0 }}>What you can do</h2>
          <ul style={{ margin: 0, paddingLeft: '1.1rem' }}>
            {permissionsOf(actor.role).map((permission) => (
              <li key={permission}>{PERMISSIONS[permission]}</li>
            ))}
          </ul>
        </section>
      </div>
    </>
  )
}
