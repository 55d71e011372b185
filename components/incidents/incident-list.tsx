'use client'
import { useQuery } from '@tanstack/react-query'
import Link from 'next/link'
import { callApi } from '@/components/api-client'
import { findFailureClass } from '@/lib/taxonomy'
import { SeverityBadge, StatusBadge } from './badges'
import { LiveDuration } from './live-duration'
import type { IncidentSummary } from './types'

export const INCIDENT_LIST_REFRESH_MS = 2_000

export function IncidentList({ filter, initialIncidents }: { filter: 'open' | 'resolved' | 'all'; initialIncidents: IncidentSummary[] }) {
  const query = useQuery({
    queryKey: ['incidents', filter],
    queryFn: () => callApi<{ incidents: IncidentSummary[] }>(`/api/incidents?status=${filter}`).then((r) => r.incidents),
    initialData: initialIncidents,
    refetchInterval: INCIDENT_LIST_REFRESH_MS,
    refetchIntervalInBackground: true,
  })
  const incidents = query.data
  return (
    <>
      {query.isError ? (
        <div className="alert error" role="alert">
          Could not refresh the list ({query.error.message}); showing what was last loaded. Retrying every few seconds.
        </div>
      ) : null}
      <table className="incident-table" data-testid="incident-list">
        <thead>
          <tr>
            <th scope="col">Incident</th>
            <th scope="col">Severity</th>
            <th scope="col">Status</th>
            <th scope="col">Pipeline and models</th>
            <th scope="col">Class</th>
            <th scope="col">Open for</th>
            <th scope="col">Commander</th>
            <th scope="col">Firing</th>
          </tr>
        </thead>
        <tbody>
          {incidents.length === 0 ? (
            <tr>
              <td colSpan={8} className="muted">
                {filter === 'open' ? 'No open incidents. New alert groups from Alertmanager open one here within seconds.' : 'No incidents.'}
              </td>
            </tr>
          ) : null}
          {incidents.map((incident) => (
            <tr key={incident.id} data-testid={`incident-row-${incident.number}`}>
              <td>
                <Link href={`/incidents/${incident.number}`} className="incident-link">
                  <span className="mono">INC-{incident.number}</span> {incident.title}
                </Link>
              </td>
              <td><SeverityBadge severity={incident.severity} /></td>
              <td><StatusBadge status={incident.status} /></td>
              <td>
                {incident.pipeline ?? <span className="muted">—</span>}
                {incident.models.length > 0 ? <div className="muted mono small">{incident.models.join(', ')}</div> : null}
              </td>
              <td>
                {incident.failureClass ? (
                  <Link href={`/runbooks/${incident.failureClass}?incident=${incident.number}`} className="small" title={findFailureClass(incident.failureClass)?.title}>
                    {incident.failureClass}
                  </Link>
                ) : incident.classifiedAt ? (
                  <span className="muted small">unknown (triage)</span>
                ) : (
                  <Link href={`/incidents/${incident.number}/classify`} className="small muted">classify</Link>
                )}
              </td>
              <td><LiveDuration from={incident.startedAt} to={incident.resolvedAt} /></td>
              <td>{incident.commander?.name ?? <span className="muted">nobody</span>}</td>
              <td className={incident.firingAlerts ? 'firing-count' : 'muted'}>{incident.firingAlerts ?? 0}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}
