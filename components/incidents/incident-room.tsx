'use client'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { callApi } from '@/components/api-client'
import { Time } from '@/components/ui/time'
import { formatDuration, incidentDurations } from '@/lib/incidents/durations'
import { IncidentPostmortem } from '@/components/postmortems/incident-postmortem'
import { AlertsPanel } from './alerts-panel'
import { ClassificationPanel } from './classification-panel'
import { SeverityBadge, StatusBadge } from './badges'
import { LiveDuration } from './live-duration'
import { IncidentCases } from './incident-cases'
import { RunbookLinks } from './runbook-links'
import { Timeline } from './timeline'
import type { IncidentDetail, IncidentSummary, PersonRef } from './types'

const STATUSES: IncidentSummary['status'][] = ['triggered', 'acknowledged', 'investigating', 'mitigated', 'resolved']
const SEVERITIES: IncidentSummary['severity'][] = ['SEV1', 'SEV2', 'SEV3', 'SEV4']

type Patch = Partial<{ status: string; severity: string; commanderId: string | null; scribeId: string | null }>

export function IncidentRoom(props: { number: number; initial: IncidentDetail; canWrite: boolean; canWritePostmortem: boolean; me: PersonRef; people: PersonRef[]; runbooks: { id: string; title: string }[] }) {
  const queryClient = useQueryClient()
  const key = ['incident', props.number]
  const detail = useQuery({
    queryKey: key,
    queryFn: () => callApi<IncidentDetail>(`/api/incidents/${props.number}`),
    initialData: props.initial,
    refetchInterval: 3_000,
  })
  const [error, setError] = useState<string | null>(null)
  const update = useMutation({
    mutationFn: (patch: Patch) => callApi(`/api/incidents/${props.number}`, { method: 'PATCH', body: JSON.stringify(patch) }),
    onSuccess: () => {
      setError(null)
      return queryClient.invalidateQueries({ queryKey: key })
    },
    onError: (e) => setError(e.message),
  })
  const { incident, alertGroups, timeline } = detail.data
  const times = {
    startedAt: new Date(incident.startedAt),
    detectedAt: new Date(incident.detectedAt),
    acknowledgedAt: incident.acknowledgedAt ? new Date(incident.acknowledgedAt) : null,
    mitigatedAt: incident.mitigatedAt ? new Date(incident.mitigatedAt) : null,
    resolvedAt: incident.resolvedAt ? new Date(incident.resolvedAt) : null,
  }
  const durations = incidentDurations(times, new Date(incident.resolvedAt ?? incident.updatedAt))
  const isCommander = incident.commander?.id === props.me.id

  return (
    <div className="room">
      <header className="room-head panel">
        <div className="room-title">
          <span className="mono muted">INC-{incident.number}</span>
          <h1>{incident.title}</h1>
          <div className="room-badges">
            <SeverityBadge severity={incident.severity} /> <StatusBadge status={incident.status} />
            {incident.pipeline ? <span className="chip">pipeline {incident.pipeline}</span> : null}
            {incident.models.map((m) => (
              <span key={m} className="chip mono">{m}</span>
            ))}
            <span className="muted">open for <LiveDuration from={incident.startedAt} to={incident.resolvedAt} /></span>
          </div>
        </div>
        {error ? <div className="alert error" role="alert">{error}</div> : null}
        {detail.isError ? <div className="alert error" role="alert">Lost contact with the server ({detail.error.message}); retrying. What you see is the last update.</div> : null}
        <dl className="kv room-facts">
          <dt>Commander</dt>
          <dd data-testid="commander">{incident.commander?.name ?? <span className="muted">nobody</span>}</dd>
          <dt>Scribe</dt>
          <dd data-testid="scribe">{incident.scribe?.name ?? <span className="muted">nobody</span>}</dd>
          <dt>Started</dt>
          <dd><Time iso={incident.startedAt} /></dd>
          <dt>Detected</dt>
          <dd><Time iso={incident.detectedAt} /> <span className="muted">(+{formatDuration(durations.toDetectMs)})</span></dd>
          <dt>Acknowledged</dt>
          <dd>{incident.acknowledgedAt ? <><Time iso={incident.acknowledgedAt} /> <span className="muted">(+{formatDuration(durations.toAcknowledgeMs)} after detection)</span></> : <span className="muted">not yet</span>}</dd>
          <dt>Mitigated</dt>
          <dd>{incident.mitigatedAt ? <><Time iso={incident.mitigatedAt} /> <span className="muted">({formatDuration(durations.toMitigateMs)} after start)</span></> : <span className="muted">not yet</span>}</dd>
          <dt>Resolved</dt>
          <dd>{incident.resolvedAt ? <><Time iso={incident.resolvedAt} /> <span className="muted">({formatDuration(durations.toResolveMs)} after start)</span></> : <span className="muted">not yet</span>}</dd>
          {incident.groupKey ? (<><dt>Alert group</dt><dd className="mono small">{incident.groupKey}</dd></>) : null}
        </dl>
        {props.canWrite ? (
          <div className="room-actions" aria-label="Incident actions">
            {incident.status === 'triggered' ? (
              <button className="primary" type="button" disabled={update.isPending} onClick={() => update.mutate({ status: 'acknowledged', ...(incident.commander ? {} : { commanderId: 'me' }) })}>
                Acknowledge
              </button>
            ) : null}
            {!isCommander ? (
              <button type="button" disabled={update.isPending} onClick={() => update.mutate({ commanderId: 'me' })}>
                Take command
              </button>
            ) : null}
            {incident.scribe?.id !== props.me.id ? (
              <button type="button" disabled={update.isPending} onClick={() => update.mutate({ scribeId: 'me' })}>
                Be scribe
              </button>
            ) : null}
            <label className="inline">
              Status
              <select aria-label="Status" value={incident.status} disabled={update.isPending} onChange={(e) => update.mutate({ status: e.target.value })}>
                {STATUSES.map((s) => (
                  <option key={s} value={s}>{s}</option>
                ))}
              </select>
            </label>
            <label className="inline">
              Severity
              <select aria-label="Severity" value={incident.severity} disabled={update.isPending} onChange={(e) => update.mutate({ severity: e.target.value })}>
                {SEVERITIES.map((s) => (
                  <option key={s} value={s}>{s}</option>
                ))}
              </select>
            </label>
            <label className="inline">
              Commander
              <select aria-label="Commander" value={incident.commander?.id ?? ''} disabled={update.isPending} onChange={(e) => update.mutate({ commanderId: e.target.value || null })}>
                <option value="">nobody</option>
                {props.people.map((p) => (
                  <option key={p.id} value={p.id}>{p.name}</option>
                ))}
              </select>
            </label>
          </div>
        ) : (
          <p className="muted small">You can read this incident; your role cannot change it.</p>
        )}
      </header>
      <ClassificationPanel incident={incident} canWrite={props.canWrite} />
      <IncidentPostmortem incidentNumber={props.number} incidentStatus={incident.status} canWrite={props.canWritePostmortem} />
      <RunbookLinks number={props.number} runbooks={props.runbooks} initial={incident.failureClass ?? 'triage'} />
      <IncidentCases number={props.number} />
      <div className="room-body">
        <Timeline number={props.number} entries={timeline} canWrite={props.canWrite} />
        <AlertsPanel number={props.number} groups={alertGroups} truncatedAlerts={incident.truncatedAlerts} />
      </div>
    </div>
  )
}
