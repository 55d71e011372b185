import type { Metadata } from 'next'
import Link from 'next/link'
import { DeclareIncidentForm } from '@/components/incidents/declare-incident-form'
import { IncidentList } from '@/components/incidents/incident-list'
import type { IncidentSummary } from '@/components/incidents/types'
import { toJson } from '@/components/to-json'
import { can } from '@/lib/auth/permissions'
import { getRequestContext, requirePageActor } from '@/lib/auth/session'
import { listIncidents } from '@/lib/incidents'
import { listIncidentsQuerySchema } from '@/lib/incidents/schemas'

export const metadata: Metadata = { title: 'Incidents' }

const FILTERS = [
  { value: 'open', label: 'Open' },
  { value: 'resolved', label: 'Resolved' },
  { value: 'all', label: 'All' },
] as const

export default async function IncidentsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const actor = await requirePageActor()
  const parsed = listIncidentsQuerySchema.safeParse({ status: (await searchParams).status })
  const query = parsed.success ? parsed.data : listIncidentsQuerySchema.parse({})
  const incidents = await listIncidents(await getRequestContext(), query)
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Incidents</h1>
          <p className="muted" style={{ margin: 0 }}>Updates by itself every few seconds. Links are stable: paste them into the incident channel.</p>
        </div>
        <nav className="tabs" aria-label="Filter incidents">
          {FILTERS.map((f) => (
            <Link key={f.value} href={`/incidents?status=${f.value}`} aria-current={query.status === f.value ? 'page' : undefined}>
              {f.label}
            </Link>
          ))}
        </nav>
      </div>
      {can(actor.role, 'incident:write') ? <DeclareIncidentForm /> : null}
      <IncidentList filter={query.status} initialIncidents={toJson<IncidentSummary[]>(incidents)} />
    </>
  )
}
