'use client'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { callApi } from '@/components/api-client'
import { Time } from '@/components/ui/time'
import type { AlertGroupSummary } from './types'

interface AlertRow {
  id: string
  fingerprint: string
  status: string
  alertname: string
  startsAt: string
  endsAt: string | null
  labels: Record<string, string>
  annotations: Record<string, string>
  generatorURL: string | null
}

const PAGE_SIZE = 25
const HIDDEN_LABELS = new Set(['alertname'])

function safeHref(url: string | undefined | null): string | undefined {
  return url && /^https?:\/\//i.test(url) ? url : undefined
}

function AlertGroupList({ number, group }: { number: number; group: AlertGroupSummary }) {
  const [page, setPage] = useState(1)
  const total = group.firing + group.resolved
  const alerts = useQuery({
    queryKey: ['incident-alerts', number, group.alertname, page],
    queryFn: () =>
      callApi<{ alerts: AlertRow[]; total: number }>(
        `/api/incidents/${number}/alerts?${new URLSearchParams({ alertname: group.alertname, page: String(page), pageSize: String(PAGE_SIZE) })}`,
      ),
    placeholderData: keepPreviousData,
  })
  const pages = Math.max(1, Math.ceil((alerts.data?.total ?? total) / PAGE_SIZE))
  if (alerts.isPending) return <p className="muted" role="status">Loading alerts…</p>
  if (alerts.isError) return <div className="alert error" role="alert">Could not load alerts: {alerts.error.message}</div>
  return (
    <>
      <ul className="alert-list">
        {alerts.data.alerts.map((alert) => (
          <li key={alert.id} className={`alert-item ${alert.status}`}>
            <div>
              <span className={`badge ${alert.status === 'firing' ? 'bad' : 'ok'}`}>{alert.status}</span>{' '}
              <strong>{alert.annotations.summary ?? alert.alertname}</strong>
            </div>
            {alert.annotations.description ? <div>{alert.annotations.description}</div> : null}
            <div className="labels">
              {Object.entries(alert.labels)
                .filter(([k]) => !HIDDEN_LABELS.has(k))
                .map(([k, v]) => (
                  <span key={k} className="chip mono">{k}={v}</span>
                ))}
            </div>
            <div className="muted small">
              since <Time iso={alert.startsAt} />
              {alert.endsAt ? <> · ended <Time iso={alert.endsAt} /></> : null}
              {safeHref(alert.annotations.runbook_url) ? <> · <a href={safeHref(alert.annotations.runbook_url)} rel="noopener noreferrer" target="_blank">runbook</a></> : null}
              {safeHref(alert.generatorURL) ? <> · <a href={safeHref(alert.generatorURL)} rel="noopener noreferrer" target="_blank">source query</a></> : null}
            </div>
          </li>
        ))}
      </ul>
      {pages > 1 ? (
        <div className="pager">
          <button type="button" disabled={page <= 1} onClick={() => setPage((p) => p - 1)}>Previous</button>
          <span className="muted">page {page} of {pages}</span>
          <button type="button" disabled={page >= pages} onClick={() => setPage((p) => p + 1)}>Next</button>
        </div>
      ) : null}
    </>
  )
}

export function AlertsPanel({ number, groups, truncatedAlerts }: { number: number; groups: AlertGroupSummary[]; truncatedAlerts: number }) {
  const [open, setOpen] = useState<string | null>(groups.length === 1 ? groups[0].alertname : null)
  const firing = groups.reduce((n, g) => n + g.firing, 0)
  const resolved = groups.reduce((n, g) => n + g.resolved, 0)
  return (
    <section className="panel alerts-panel" aria-labelledby="alerts-heading">
      <h2 id="alerts-heading" style={{ marginTop: 0 }}>
        Alerts <span className="muted small">{firing} firing · {resolved} resolved</span>
      </h2>
      {truncatedAlerts > 0 ? (
        <div className="alert error" role="status">
          Alertmanager left out {truncatedAlerts} alerts from a delivery (max_alerts); see Alertmanager for the full set.
        </div>
      ) : null}
      {groups.length === 0 ? <p className="muted">No alerts: this incident was declared by hand.</p> : null}
      <ul className="alert-groups">
        {groups.map((group) => (
          <li key={group.alertname}>
            <button type="button" className="group-toggle" aria-expanded={open === group.alertname} onClick={() => setOpen(open === group.alertname ? null : group.alertname)}>
              <span className="mono">{group.alertname}</span>
              <span>
                {group.firing > 0 ? <span className="badge bad">{group.firing} firing</span> : null}{' '}
                {group.resolved > 0 ? <span className="badge ok">{group.resolved} resolved</span> : null}
              </span>
            </button>
            {open === group.alertname ? <AlertGroupList number={number} group={group} /> : null}
          </li>
        ))}
      </ul>
    </section>
  )
}
