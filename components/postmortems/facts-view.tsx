import Link from 'next/link'
import { formatEvidence } from '@/lib/classify/format'
import { formatDuration } from '@/lib/incidents/durations'
import type { PostmortemFacts } from '@/lib/postmortems/facts'
import { utc } from '@/lib/postmortems/markdown'
import { formatBudget } from '@/lib/postmortems/prefill'
import './postmortems.css'

/** What Firebreak captured about the incident: never edited by hand, refreshed on request while not published. */
export function FactsView({ facts }: { facts: PostmortemFacts | null }) {
  if (!facts) return <p className="alert error">These facts are in a format this version cannot read. Refresh them.</p>
  const i = facts.incident
  const d = i.durations
  const impact = facts.sloImpact
  return (
    <div className="pm-facts" data-testid="postmortem-facts">
      <p className="muted small" style={{ margin: 0 }}>Captured {utc(facts.capturedAt)}</p>
      <dl className="kv">
        <dt>Incident</dt>
        <dd><Link href={`/incidents/${i.number}`}>INC-{i.number}</Link> {i.title}</dd>
        <dt>Severity</dt>
        <dd>{i.severity}</dd>
        <dt>Pipeline</dt>
        <dd>{i.pipeline ?? '—'}{i.models.length ? <span className="muted mono small"> {i.models.join(', ')}</span> : null}</dd>
        <dt>Commander</dt>
        <dd>{i.commander ?? '—'}</dd>
        <dt>Impact began</dt>
        <dd>{utc(i.startedAt)}</dd>
        <dt>Detected</dt>
        <dd>{utc(i.detectedAt)} <span className="muted small">after {formatDuration(d.toDetectMs)}</span></dd>
        <dt>Acknowledged</dt>
        <dd>{utc(i.acknowledgedAt)} <span className="muted small">after {formatDuration(d.toAcknowledgeMs)}</span></dd>
        <dt>Mitigated</dt>
        <dd>{utc(i.mitigatedAt)} <span className="muted small">after {formatDuration(d.toMitigateMs)}</span></dd>
        <dt>Resolved</dt>
        <dd>{utc(i.resolvedAt)} <span className="muted small">after {formatDuration(d.toResolveMs)}</span></dd>
      </dl>

      <h3>SLO impact</h3>
      <p className="muted small" style={{ margin: '0 0 0.3rem' }}>Error budget consumed between {utc(impact.window.start)} and {utc(impact.window.end)}{impact.source ? `, from ${impact.source}` : ''}.</p>
      {impact.status !== 'measured' ? <p className={impact.status === 'unavailable' ? 'pm-impact-missing' : 'muted small'} data-testid="impact-reason">{impact.reason}</p> : null}
      {impact.slos.length ? (
        <table className="compact">
          <thead><tr><th scope="col">SLO</th><th scope="col">Budget consumed</th><th scope="col">Error ratio</th></tr></thead>
          <tbody>
            {impact.slos.map((s) => (
              <tr key={s.slo}>
                <td><Link href={`/slos/${encodeURIComponent(s.slo)}`}>{s.slo}</Link> <span className="muted small">{(s.objective * 100).toFixed(2).replace(/\.?0+$/, '')} %</span></td>
                <td>{s.consumed === null ? <span className="muted" title={s.error}>not measured</span> : <strong>{formatBudget(s.consumed)}</strong>}</td>
                <td>{s.errorRatio === null ? '—' : `${(s.errorRatio * 100).toFixed(3)} %`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}

      <h3>Classification</h3>
      {facts.classification ? (
        <>
          <p style={{ margin: '0 0 0.3rem' }}>
            {facts.classification.failureClass ? <Link href={`/runbooks/${encodeURIComponent(facts.classification.failureClass)}`}>{facts.classification.failureClassTitle}</Link> : 'Failure class unknown'}
            <span className="muted small"> · {facts.classification.errorState ?? 'state unknown'} · {facts.classification.pathway ?? 'pathway unknown'} · by {facts.classification.decidedByName}, {utc(facts.classification.decidedAt)}</span>
          </p>
          {facts.classification.steps.some((s) => s.evidence.length) ? (
            <details>
              <summary className="small">Evidence as it was when classified</summary>
              <table className="compact pm-evidence">
                <thead><tr><th scope="col">Step</th><th scope="col">Evidence</th><th scope="col">Value</th></tr></thead>
                <tbody>
                  {facts.classification.steps.flatMap((s) =>
                    // what held and what could not be seen; the signals that were checked and did not hold are counted below
                    s.evidence.filter((e) => e.status !== 'doesNotHold').map((e, n) => (
                      <tr key={`${s.step}-${n}`}>
                        <td>{s.step}{s.overridden ? <span className="muted small"> (overridden)</span> : null}</td>
                        <td><span className={e.status}>{e.status === 'holds' ? '✓' : e.status === 'missing' ? '?' : '✗'}</span> {e.title}</td>
                        <td className="mono">{formatEvidence(e.value, e.unit)} {e.comparison} {formatEvidence(e.threshold, e.unit)}</td>
                      </tr>
                    )),
                  )}
                </tbody>
              </table>
              <p className="muted small">
                {facts.classification.steps.reduce((n, s) => n + s.evidence.filter((e) => e.status === 'doesNotHold').length, 0)} more signals were checked and did not hold.
              </p>
            </details>
          ) : null}
        </>
      ) : (
        <p className="muted small">The incident was not classified.</p>
      )}

      <h3>Runbooks worked</h3>
      {facts.runbooks.length === 0 ? <p className="muted small">No runbook checklist was worked.</p> : null}
      {facts.runbooks.map((r) => (
        <details key={r.id}>
          <summary><Link href={`/runbooks/${encodeURIComponent(r.id)}`}>{r.title}</Link>: {r.done} of {r.total} steps done</summary>
          <ul className="small">
            {r.steps.map((s, n) => <li key={n}>{s.checked ? '☑' : '☐'} {s.text} <span className="muted">({s.byName}, {utc(s.at)})</span></li>)}
          </ul>
        </details>
      ))}

      <h3>Alerts</h3>
      {facts.alerts.total === 0 ? <p className="muted small">No alerts: declared by hand.</p> : (
        <>
          <p className="small" style={{ margin: '0 0 0.3rem' }}>{facts.alerts.total} alert{facts.alerts.total === 1 ? '' : 's'}{facts.alerts.shown.length < facts.alerts.total ? `, the ${facts.alerts.shown.length} newest:` : ':'}</p>
          <ul className="small" style={{ margin: 0, paddingLeft: '1.1rem' }}>
            {facts.alerts.shown.map((a, n) => (
              <li key={n}><strong>{a.alertname}</strong> {a.severity ? <span className="chip">{a.severity}</span> : null} <span className="muted">{a.status}, {utc(a.startsAt)}</span>{a.summary ? <div>{a.summary}</div> : null}</li>
            ))}
          </ul>
        </>
      )}
    </div>
  )
}
