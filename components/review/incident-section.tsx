'use client'
import Link from 'next/link'
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { formatDuration, utcMinute } from '@/lib/review/format'
import { TTX_KEYS, TTX_LABELS } from '@/lib/review/stats'
import type { BreakdownRow, WeeklyReview } from '@/lib/review/types'
import { CountDelta } from './deltas'
import styles from './review.module.css'

function BreakdownChart({ title, rows, testId }: { title: string; rows: BreakdownRow[]; testId: string }) {
  const data = rows.map((r) => ({ label: r.label.length > 42 ? `${r.label.slice(0, 40)}…` : r.label, full: r.label, 'this period': r.count, 'previous period': r.previousCount }))
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      {rows.length === 0 ? (
        <p className="muted small">No incidents in either period.</p>
      ) : (
        <div style={{ width: '100%', height: Math.max(110, 34 * rows.length + 60) }}>
          <ResponsiveContainer>
            <BarChart data={data} layout="vertical" margin={{ top: 4, right: 24, bottom: 4, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" horizontal={false} />
              <XAxis type="number" allowDecimals={false} fontSize={11} />
              <YAxis type="category" dataKey="label" width={220} fontSize={11} />
              <Tooltip />
              <Legend wrapperStyle={{ fontSize: 11 }} />
              <Bar dataKey="this period" fill="#2563eb" isAnimationActive={false} />
              <Bar dataKey="previous period" fill="#cbd5e1" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
      {rows.length > 0 ? (
        <table className="compact small">
          <thead>
            <tr><th scope="col">{title.replace(/^By /, '')}</th><th scope="col">This period</th><th scope="col">Previous</th></tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id ?? 'unclassified'}>
                <td>{r.id === null ? <em>unclassified</em> : r.label}</td>
                <td className="mono">{r.count}</td>
                <td className="mono">{r.previousCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </figure>
  )
}

export function IncidentSection({ incidents }: { incidents: WeeklyReview['incidents'] }) {
  return (
    <section className={styles.section} aria-labelledby="review-incidents">
      <h2 id="review-incidents">Incidents</h2>
      <p>
        <strong data-testid="review-incident-count">{incidents.count}</strong> incident{incidents.count === 1 ? '' : 's'} started in the period{' '}
        <CountDelta current={incidents.count} previous={incidents.previousCount} higherIsBetter={false} />
      </p>
      {incidents.list.length > 0 ? (
        <table className="compact" data-testid="review-incident-list">
          <thead>
            <tr>
              <th scope="col">Incident</th>
              <th scope="col">Severity</th>
              <th scope="col">Status</th>
              <th scope="col">Pipeline</th>
              <th scope="col">Failure class</th>
              <th scope="col">Started</th>
              <th scope="col">Postmortem</th>
            </tr>
          </thead>
          <tbody>
            {incidents.list.map((i) => (
              <tr key={i.number} data-testid={`review-incident-${i.number}`}>
                <td>
                  <Link href={`/incidents/${i.number}`}>
                    <span className="mono">INC-{i.number}</span> {i.title}
                  </Link>
                </td>
                <td><span className={`sev ${i.severity.toLowerCase()}`}>{i.severity}</span></td>
                <td><span className={`status status-${i.status}`}>{i.status}</span></td>
                <td>{i.pipeline ?? <span className="muted">—</span>}</td>
                <td>{i.failureClassTitle ?? <em className="muted">unclassified</em>}</td>
                <td className="small">{utcMinute(i.startedAt)}</td>
                <td>{i.postmortem ? <Link href={`/postmortems/${i.postmortem.number}`}>PM-{i.postmortem.number} ({i.postmortem.status.replace('_', ' ')})</Link> : <span className="muted">—</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">No incidents started in this period.</p>
      )}
      <div className={styles.twoCharts} style={{ marginTop: '1rem' }}>
        <BreakdownChart title="By failure class" rows={incidents.byFailureClass} testId="review-by-class" />
        <BreakdownChart title="By pathway" rows={incidents.byPathway} testId="review-by-pathway" />
      </div>
      <h3>Response times</h3>
      <table className="compact" data-testid="review-ttx">
        <thead>
          <tr>
            <th scope="col"></th>
            <th scope="col">Incidents</th>
            <th scope="col">Median</th>
            <th scope="col">p90</th>
            <th scope="col">Mean</th>
            <th scope="col">Previous median</th>
          </tr>
        </thead>
        <tbody>
          {TTX_KEYS.map((k) => (
            <tr key={k}>
              <th scope="row">{TTX_LABELS[k]}</th>
              <td className="mono">{incidents.ttx[k].count}</td>
              <td className="mono">{formatDuration(incidents.ttx[k].medianMs)}</td>
              <td className="mono">{formatDuration(incidents.ttx[k].p90Ms)}</td>
              <td className="mono">{formatDuration(incidents.ttx[k].meanMs)}</td>
              <td className="mono muted">{formatDuration(incidents.previousTtx[k].medianMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">Detect: from start to detection. Acknowledge: from detection. Mitigate and resolve: from start. p90 is the nearest-rank value.</p>
    </section>
  )
}
