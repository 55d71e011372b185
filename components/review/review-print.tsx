import Link from 'next/link'
import { countDelta, formatDuration, percentText, pointsDelta, utcMinute } from '@/lib/review/format'
import { sparkline } from '@/lib/review/sparkline'
import { TTX_KEYS, TTX_LABELS } from '@/lib/review/stats'
import type { BreakdownRow, SloReview, WeeklyReview } from '@/lib/review/types'
import { PrintButton } from './print-button'

/** Static rules only: the console's navigation and this page's controls do not belong on paper. */
const PRINT_CSS = `
@media print {
  nav.nav, [data-print-hide] { display: none !important; }
  .shell { display: block !important; }
  .main { padding: 0 !important; max-width: none !important; }
  a { color: inherit; text-decoration: none; }
  table { page-break-inside: auto; } tr { page-break-inside: avoid; }
  section { page-break-inside: avoid; }
}
.review-print table { width: 100%; border-collapse: collapse; margin: 0.4rem 0 1rem; font-size: 0.85rem; }
.review-print th, .review-print td { text-align: left; border-bottom: 1px solid #d1d5db; padding: 0.25rem 0.4rem; vertical-align: top; }
`

function BudgetLine({ slo }: { slo: SloReview }) {
  if (!slo.charts || slo.charts.budgetRemaining.length === 0) return <span className="muted">—</span>
  const values = slo.charts.budgetRemaining.map(([, v]) => v).filter((v): v is number => v !== null)
  const line = sparkline(slo.charts.budgetRemaining, { width: 160, height: 36 }, { min: Math.min(0, ...values), max: 1 })
  return (
    <svg width={160} height={36} viewBox="0 0 160 36" role="img" aria-label={`error budget remaining over the period, ending at ${percentText(slo.budgetRemaining, 1)}`}>
      {line.referenceY !== null ? <line x1={0} x2={160} y1={line.referenceY} y2={line.referenceY} stroke="#b91c1c" strokeWidth={0.5} /> : null}
      <path d={line.path} fill="none" stroke="#15803d" strokeWidth={1.5} />
    </svg>
  )
}

function Breakdown({ title, rows }: { title: string; rows: BreakdownRow[] }) {
  if (rows.length === 0) return null
  return (
    <table>
      <thead>
        <tr><th scope="col">{title}</th><th scope="col">Incidents</th><th scope="col">Previous period</th></tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id ?? 'unclassified'}>
            <td>{r.label}</td>
            <td>{r.count}</td>
            <td>{r.previousCount} ({countDelta(r.count, r.previousCount)})</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

export function ReviewPrint({ review }: { review: WeeklyReview }) {
  const { period, incidents, actionItems } = review
  const down = review.telemetry.problem
  return (
    <article className="review-print" data-testid="review-print-view">
      <style>{PRINT_CSS}</style>
      <p data-print-hide>
        <Link href={`/review?${period.search}`}>← Back to the review</Link> · <PrintButton />
      </p>
      <h1>Weekly SLO review: {period.label}</h1>
      <p className="small">
        {utcMinute(period.start)} to {utcMinute(period.end)}
        {period.asOf < period.end ? ` (as of ${utcMinute(period.asOf)})` : ''}; compared with {utcMinute(period.previous.start)} to {utcMinute(period.previous.end)}.
      </p>
      {down ? (
        <p className="alert error" role="alert">
          SLO numbers unavailable: {down.down ? `${down.down.backend} has not answered since ${utcMinute(down.down.downSince)}: ` : ''}
          {down.message}
        </p>
      ) : null}

      <section>
        <h2>SLOs</h2>
        {review.slos.length === 0 ? <p>No SLOs are defined.</p> : null}
        {review.slos.length > 0 ? (
          <table>
            <thead>
              <tr>
                <th scope="col">SLO</th>
                <th scope="col">Objective</th>
                <th scope="col">Compliance</th>
                <th scope="col">Consumed</th>
                <th scope="col">Remaining</th>
                <th scope="col">Budget over the period</th>
              </tr>
            </thead>
            <tbody>
              {review.slos.map((s) => (
                <tr key={s.name}>
                  <td>
                    {s.displayName}
                    <div className="small muted">{s.service}{s.error ? ` · ${s.error}` : ''}</div>
                  </td>
                  <td>{percentText(s.objective, 3)}</td>
                  <td>
                    {percentText(s.compliance, 3)} {s.compliance === null ? '' : s.compliance >= s.objective ? '(met)' : '(missed)'}
                    <div className="small muted">{pointsDelta(s.compliance, s.previousCompliance, 3)}</div>
                  </td>
                  <td>
                    {percentText(s.consumed, 1)}
                    <div className="small muted">{pointsDelta(s.consumed, s.previousConsumed)}</div>
                  </td>
                  <td>
                    {percentText(s.budgetRemaining, 1)}
                    <div className="small muted">{pointsDelta(s.budgetRemaining, s.previousBudgetRemaining)}</div>
                  </td>
                  <td><BudgetLine slo={s} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {review.slos.some((s) => s.incidents.length > 0) ? (
          <>
            <h3>Budget burned by incidents</h3>
            <table>
              <thead>
                <tr><th scope="col">SLO</th><th scope="col">Incident</th><th scope="col">In the period</th><th scope="col">Budget burned</th></tr>
              </thead>
              <tbody>
                {review.slos.flatMap((s) =>
                  s.incidents.map((i) => (
                    <tr key={`${s.name}-${i.number}`}>
                      <td>{s.displayName}</td>
                      <td>INC-{i.number} {i.title} ({i.severity})</td>
                      <td>{utcMinute(i.start)} to {utcMinute(i.end)}</td>
                      <td>{i.consumed === null ? `— (${i.error ?? 'unknown'})` : percentText(i.consumed, 2)}</td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          </>
        ) : null}
      </section>

      <section>
        <h2>Incidents</h2>
        <p>{incidents.count} started in the period (previous: {incidents.previousCount}).</p>
        {incidents.list.length > 0 ? (
          <table>
            <thead>
              <tr><th scope="col">Incident</th><th scope="col">Severity</th><th scope="col">Status</th><th scope="col">Failure class</th><th scope="col">Postmortem</th></tr>
            </thead>
            <tbody>
              {incidents.list.map((i) => (
                <tr key={i.number}>
                  <td>INC-{i.number} {i.title}</td>
                  <td>{i.severity}</td>
                  <td>{i.status}</td>
                  <td>{i.failureClassTitle ?? 'unclassified'}</td>
                  <td>{i.postmortem ? `PM-${i.postmortem.number} (${i.postmortem.status.replace('_', ' ')})` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        <Breakdown title="Failure class" rows={incidents.byFailureClass} />
        <Breakdown title="Pathway" rows={incidents.byPathway} />
        <table>
          <thead>
            <tr><th scope="col"></th><th scope="col">Incidents</th><th scope="col">Median</th><th scope="col">p90</th><th scope="col">Mean</th><th scope="col">Previous median</th></tr>
          </thead>
          <tbody>
            {TTX_KEYS.map((k) => (
              <tr key={k}>
                <th scope="row">{TTX_LABELS[k]}</th>
                <td>{incidents.ttx[k].count}</td>
                <td>{formatDuration(incidents.ttx[k].medianMs)}</td>
                <td>{formatDuration(incidents.ttx[k].p90Ms)}</td>
                <td>{formatDuration(incidents.ttx[k].meanMs)}</td>
                <td>{formatDuration(incidents.previousTtx[k].medianMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section>
        <h2>Action items</h2>
        <p>
          Opened {actionItems.opened} (previous {actionItems.previousOpened}), closed {actionItems.closed} (previous {actionItems.previousClosed}), overdue at the period’s end {actionItems.overdueAtEnd} (previous {actionItems.previousOverdueAtEnd}); overdue today {actionItems.overdueNow}.
        </p>
        {actionItems.open.length > 0 ? (
          <table>
            <thead>
              <tr><th scope="col">Action item</th><th scope="col">Owner</th><th scope="col">Due</th><th scope="col">Status</th><th scope="col">From</th></tr>
            </thead>
            <tbody>
              {actionItems.open.map((i) => (
                <tr key={i.number}>
                  <td>AI-{i.number} {i.title}{i.isOverdue ? ' (overdue)' : ''}</td>
                  <td>{i.ownerName ?? '—'}</td>
                  <td>{i.dueDate ?? '—'}</td>
                  <td>{i.status.replace('_', ' ')} · {i.priority.toUpperCase()}</td>
                  <td>PM-{i.postmortemNumber} · INC-{i.incidentNumber}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        <h2>Postmortems due</h2>
        {review.postmortemsDue.length === 0 ? (
          <p>None.</p>
        ) : (
          <ul>
            {review.postmortemsDue.map((d) => (
              <li key={d.incidentNumber}>
                INC-{d.incidentNumber} {d.title} ({d.severity}, resolved {utcMinute(d.resolvedAt)}): {d.postmortem ? `PM-${d.postmortem.number} is ${d.postmortem.status.replace('_', ' ')}` : 'no postmortem yet'}
              </li>
            ))}
          </ul>
        )}
      </section>
      <p className="small muted">Generated by Firebreak at {utcMinute(review.generatedAt)}.</p>
    </article>
  )
}
