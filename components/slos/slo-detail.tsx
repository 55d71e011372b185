'use client'
import { useQuery } from '@tanstack/react-query'
import Link from 'next/link'
import { ApiError, callApi } from '@/components/api-client'
import { BudgetBar, ConditionBadge, TelemetryNotice } from './slo-bits'
import { SloCharts, type ChartData, type IncidentMarker } from './slo-charts'
import { useLastGood } from './use-last-good'
import { burn, percent, utcTime, type Slo, type SloStatus, type TelemetryState } from './types'

const RANGES = ['6h', '24h', '7d', '30d'] as const

interface Detail {
  slo: Slo
  status: SloStatus | null
  error: string | null
  telemetry: TelemetryState
}

interface Charts {
  source: string
  isDemo: boolean
  charts: ChartData
  incidents: IncidentMarker[]
}

function hours(h: number | null): string {
  if (h === null) return 'not at the current rate'
  if (h < 1) return `${Math.round(h * 60)} min`
  if (h < 72) return `${h.toFixed(1)} h`
  return `${(h / 24).toFixed(1)} days`
}

export function SloDetail({ initial, range, canEdit }: { initial: Detail; range: (typeof RANGES)[number]; canEdit: boolean }) {
  const name = initial.slo.name
  const detail = useQuery({ queryKey: ['slo', name], queryFn: () => callApi<Detail>(`/api/slos/${name}`), initialData: initial, refetchInterval: 15_000 })
  const charts = useQuery({ queryKey: ['slo-charts', name, range], queryFn: () => callApi<Charts>(`/api/slos/${name}/charts?range=${range}`), refetchInterval: 60_000, retry: false })
  const { slo, telemetry } = detail.data
  const { value: status, staleSince } = useLastGood(detail.data.status, detail.dataUpdatedAt)
  const chartsDown = charts.error instanceof ApiError ? (charts.error.details as { backend?: string; downSince?: string } | undefined) : undefined
  const sli = slo.sli
  return (
    <>
      <TelemetryNotice telemetry={telemetry} fetchError={detail.isError ? detail.error.message : null} lastUpdated={detail.dataUpdatedAt} />
      {staleSince !== null ? (
        <p className="alert warn-note" role="status" data-testid="slo-stale">
          Showing the last numbers Firebreak had, from {utcTime(new Date(staleSince).toISOString())}.
        </p>
      ) : null}
      <section className={`slo-figures${staleSince !== null ? ' stale' : ''}`} aria-label="Status now">
        <div className="figure">
          <div className="muted small">Objective</div>
          <div className="big mono">{percent(slo.objective, 3)}</div>
          <div className="muted small">over {slo.periodDays} days, rolling</div>
        </div>
        <div className="figure">
          <div className="muted small">SLI over the period</div>
          <div className="big mono" data-testid="slo-sli">{percent(status?.sli, 3)}</div>
          <div className="muted small">last 5 min: {percent(status?.sliNow, 3)}</div>
        </div>
        <div className="figure">
          <div className="muted small">Error budget left</div>
          <div className="big" data-testid="slo-budget"><BudgetBar remaining={status?.budgetRemaining ?? null} /></div>
          <div className="muted small">
            {status?.budgetRemaining !== null && status?.budgetRemaining !== undefined && status.budgetRemaining <= 0 ? 'already spent for this period' : `gone in ${hours(status?.hoursToExhaustion ?? null)}`}
          </div>
        </div>
        <div className="figure">
          <div className="muted small">Alerting ({slo.alerting === 'pyrra' ? 'Pyrra' : 'SRE workbook'} windows)</div>
          <div className="big" data-testid="slo-condition"><ConditionBadge status={status} /></div>
          <div className="muted small">{status?.usesRecordedSeries ? 'long windows from recorded series' : 'raw queries (load the exported rules to speed this up)'}</div>
        </div>
      </section>
      {status?.missing.length ? <p className="muted small">Missing: {status.missing.join('; ')}.</p> : null}

      <div className="page-head" style={{ marginTop: '1rem' }}>
        <h2 style={{ margin: 0 }}>History</h2>
        <nav className="tabs" aria-label="Time range">
          {RANGES.map((r) => (
            <Link key={r} href={`/slos/${name}?range=${r}`} aria-current={r === range ? 'page' : undefined} scroll={false}>
              {r}
            </Link>
          ))}
        </nav>
      </div>
      {charts.isPending ? <p className="muted" role="status">Loading {range} of history from the metrics backend…</p> : null}
      {charts.isError ? (
        <p className="alert error" role="alert">
          {chartsDown?.backend && chartsDown.downSince ? `${chartsDown.backend} has not answered since ${utcTime(chartsDown.downSince)}. ` : ''}
          {charts.error.message}
          {charts.data ? ` Showing the charts Firebreak had, from ${utcTime(new Date(charts.dataUpdatedAt).toISOString())}.` : ''}
        </p>
      ) : null}
      {charts.data ? <SloCharts charts={charts.data.charts} objective={slo.objective} incidents={charts.data.incidents} /> : null}
      {charts.data && charts.data.incidents.length > 0 ? (
        <p className="small">
          Incidents on {slo.service} in this range:{' '}
          {charts.data.incidents.map((i, n) => (
            <span key={i.number}>
              {n > 0 ? ', ' : ''}
              <Link href={`/incidents/${i.number}`}>INC-{i.number}</Link> {i.title}
            </span>
          ))}
        </p>
      ) : null}

      <div className="grid two">
        <section className="panel">
          <h2>Burn rate by window</h2>
          <table className="compact" data-testid="slo-windows">
            <thead>
              <tr><th scope="col">Window</th><th scope="col">Error ratio</th><th scope="col">Burn rate</th></tr>
            </thead>
            <tbody>
              {(status?.windows ?? []).map((w) => (
                <tr key={w.window}>
                  <td className="mono">{w.window}</td>
                  <td className="mono">{percent(w.errorRatio, 3)}</td>
                  <td className="mono">{burn(w.burnRate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="panel">
          <h2>Multi-window alerts</h2>
          <table className="compact" data-testid="slo-alerts">
            <thead>
              <tr><th scope="col">Alert</th><th scope="col">Long</th><th scope="col">Short</th><th scope="col">Holds?</th></tr>
            </thead>
            <tbody>
              {(status?.alerts ?? []).map((a) => (
                <tr key={`${a.rule.factor}-${a.rule.long}`} className={a.isFiring ? (a.rule.severity === 'page' ? 'row-page' : 'row-ticket') : undefined}>
                  <td>{a.rule.severity} if both burn over {a.rule.factor}×</td>
                  <td className="mono">{a.rule.long}: {burn(a.longBurnRate)}</td>
                  <td className="mono">{a.rule.short}: {burn(a.shortBurnRate)}</td>
                  <td>{a.isFiring ? <strong>yes</strong> : a.suppressedBy ? <span title={a.suppressedBy}>no: {a.suppressedBy}</span> : 'no'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>

      <section className="panel">
        <h2>Definition</h2>
        <dl className="kv">
          <dt>Service</dt>
          <dd>{slo.service}</dd>
          {slo.description ? (
            <>
              <dt>Description</dt>
              <dd>{slo.description}</dd>
            </>
          ) : null}
          {sli.kind === 'ratio' ? (
            <>
              {sli.goodQuery ? (<><dt>Good events</dt><dd><code className="mono small">{sli.goodQuery}</code></dd></>) : null}
              {sli.badQuery ? (<><dt>Bad events</dt><dd><code className="mono small">{sli.badQuery}</code></dd></>) : null}
              <dt>All events</dt>
              <dd><code className="mono small">{sli.totalQuery}</code></dd>
            </>
          ) : (
            <>
              <dt>Threshold</dt>
              <dd><code className="mono small">{sli.query}</code> {{ lt: '<', lte: '≤', gt: '>', gte: '≥' }[sli.op]} {sli.value}, budgeted by time slices</dd>
            </>
          )}
          <dt>Page guard</dt>
          <dd>{slo.minEvents > 0 ? `no alert while the short window saw fewer than ${slo.minEvents} events` : 'none'}</dd>
          <dt>Origin</dt>
          <dd>{slo.origin === 'openslo' ? 'imported from OpenSLO' : 'defined in Firebreak'} · version {slo.version}</dd>
        </dl>
        <p>
          {sli.kind === 'ratio' ? <a href={`/api/slos/${name}/rules`} download>Download Prometheus rules (Sloth-compatible)</a> : <span className="muted">Threshold SLIs are evaluated from their own query; there are no recording rules to export.</span>}
          {canEdit ? <> · <Link href={`/slos/${name}/edit`}>Edit</Link></> : null}
        </p>
      </section>
    </>
  )
}
