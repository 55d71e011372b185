'use client'
import { useQuery } from '@tanstack/react-query'
import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { useId, useState } from 'react'
import { ApiError, callApi } from '@/components/api-client'
import { isReadyForPostmortem } from '@/lib/postmortems/lifecycle'
import { postmortemRef, type PostmortemSummary, type PostmortemView } from '@/lib/postmortems/views'
import { PostmortemStatusBadge } from './badges'

/**
 * For the incident room: the incident's postmortem (status, open and overdue action items), or "Start postmortem"
 * once the incident is mitigated or resolved. Pass the live incident status so the button appears when it changes.
 */
export function IncidentPostmortem({ incidentNumber, incidentStatus, canWrite }: { incidentNumber: number; incidentStatus: string; canWrite: boolean }) {
  const id = useId()
  const router = useRouter()
  const [error, setError] = useState<string | null>(null)
  const [isStarting, setStarting] = useState(false)
  const query = useQuery({
    queryKey: ['postmortems', 'incident', incidentNumber],
    queryFn: () => callApi<{ postmortems: PostmortemSummary[] }>(`/api/postmortems?incident=${incidentNumber}`).then((r) => r.postmortems[0] ?? null),
  })
  const pm = query.data

  async function start() {
    setStarting(true)
    setError(null)
    try {
      const { postmortem } = await callApi<{ postmortem: PostmortemView }>('/api/postmortems', { method: 'POST', body: JSON.stringify({ incidentNumber }) })
      router.push(`/postmortems/${postmortem.number}`)
    } catch (e) {
      const existing = e instanceof ApiError && e.code === 'conflict' ? (e.details as { number?: number } | undefined)?.number : undefined
      if (existing) router.push(`/postmortems/${existing}`)
      else {
        setError(e instanceof Error ? e.message : 'The postmortem could not be started.')
        setStarting(false)
      }
    }
  }

  return (
    <section className="panel" aria-labelledby={`${id}-heading`} data-testid="incident-postmortem">
      <h2 id={`${id}-heading`} style={{ marginTop: 0 }}>Postmortem</h2>
      {query.isPending ? <p className="muted small" role="status">Loading…</p> : null}
      {query.isError ? <div className="alert error" role="alert">Could not load the postmortem: {query.error.message}</div> : null}
      {pm ? (
        <p style={{ margin: 0 }}>
          <Link className="incident-link" href={`/postmortems/${pm.number}`}>{postmortemRef(pm.number)} {pm.title}</Link> <PostmortemStatusBadge status={pm.status} />
          <span className="muted small"> · {pm.actionItems.open} open action item{pm.actionItems.open === 1 ? '' : 's'}</span>
          {pm.actionItems.overdue ? <span className="ai-overdue">{pm.actionItems.overdue} overdue</span> : null}
        </p>
      ) : null}
      {query.isSuccess && !pm ? (
        isReadyForPostmortem(incidentStatus) ? (
          canWrite ? (
            <>
              <p className="muted small" style={{ marginTop: 0 }}>Starts mostly written: the timeline, classification, runbook progress, alerts, cases and SLO impact are filled in.</p>
              <button type="button" className="primary" onClick={() => void start()} disabled={isStarting}>{isStarting ? 'Starting… (measuring the SLO impact)' : 'Start postmortem'}</button>
            </>
          ) : <p className="muted small" style={{ margin: 0 }}>No postmortem yet.</p>
        ) : <p className="muted small" style={{ margin: 0 }}>A postmortem starts once the incident is mitigated or resolved.</p>
      ) : null}
      {error ? <div className="alert error" role="alert">{error}</div> : null}
    </section>
  )
}
