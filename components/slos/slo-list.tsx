'use client'
import { useQuery } from '@tanstack/react-query'
import Link from 'next/link'
import { callApi } from '@/components/api-client'
import { BudgetBar, ConditionBadge, TelemetryNotice } from './slo-bits'
import { burn, percent, utcTime, type SloWithStatus, type TelemetryState } from './types'
import { useLastGoodByKey } from './use-last-good'

export const SLO_REFRESH_MS = 15_000

export function SloList({ initial }: { initial: { slos: SloWithStatus[]; telemetry: TelemetryState } }) {
  const query = useQuery({
    queryKey: ['slos'],
    queryFn: () => callApi<{ slos: SloWithStatus[]; telemetry: TelemetryState }>('/api/slos'),
    initialData: initial,
    refetchInterval: SLO_REFRESH_MS,
  })
  const { slos, telemetry } = query.data
  const { values: statuses, staleSince } = useLastGoodByKey(Object.fromEntries(slos.map((s) => [s.name, s.status])), query.dataUpdatedAt)
  return (
    <>
      <TelemetryNotice telemetry={telemetry} fetchError={query.isError ? query.error.message : null} lastUpdated={query.dataUpdatedAt} />
      <table className="slo-table" data-testid="slo-list">
        <thead>
          <tr>
            <th scope="col">SLO</th>
            <th scope="col">Service</th>
            <th scope="col">Objective</th>
            <th scope="col" title="SLI over the whole SLO period">SLI (period)</th>
            <th scope="col" title="SLI over the last 5 minutes">SLI (5 min)</th>
            <th scope="col">Error budget left</th>
            <th scope="col" title="Burn rate over 1 hour: 1× spends exactly the budget over the period">Burn 1 h</th>
            <th scope="col">Alerting</th>
          </tr>
        </thead>
        <tbody>
          {slos.length === 0 ? (
            <tr>
              <td colSpan={8} className="muted">No SLOs yet. Import an OpenSLO file or define one.</td>
            </tr>
          ) : null}
          {slos.map((slo) => {
            const status = statuses[slo.name] ?? null
            const stale = staleSince[slo.name]
            const oneHour = status?.windows.find((w) => w.window === '1h')
            return (
              <tr key={slo.id} data-testid={`slo-row-${slo.name}`} className={[status?.condition === 'page' ? 'row-page' : status?.condition === 'ticket' ? 'row-ticket' : '', stale !== undefined ? 'stale' : ''].join(' ').trim() || undefined}>
                <td>
                  <Link href={`/slos/${slo.name}`}>{slo.displayName}</Link>
                  <div className="muted mono small">{slo.name}</div>
                </td>
                <td>{slo.service}</td>
                <td className="mono">{percent(slo.objective, 3)} <span className="muted small">/ {slo.periodDays} d</span></td>
                <td className="mono">{percent(status?.sli, 3)}</td>
                <td className="mono">{percent(status?.sliNow, 3)}</td>
                <td><BudgetBar remaining={status?.budgetRemaining ?? null} /></td>
                <td className="mono">{burn(oneHour?.burnRate)}</td>
                <td>
                  <ConditionBadge status={status} />
                  {stale !== undefined ? <div className="small muted">as of {utcTime(new Date(stale).toISOString()).slice(11)}</div> : slo.error ? <div className="small muted">{slo.error}</div> : null}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </>
  )
}
