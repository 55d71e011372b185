'use client'
import Link from 'next/link'
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { BudgetBar } from '@/components/slos/slo-bits'
import { SloCharts } from '@/components/slos/slo-charts'
import { percentText, utcMinute } from '@/lib/review/format'
import type { SloReview } from '@/lib/review/types'
import { PointsDelta } from './deltas'
import styles from './review.module.css'

const SEVERITY_COLOURS: Record<string, string> = { SEV1: '#b91c1c', SEV2: '#ea580c', SEV3: '#ca8a04', SEV4: '#64748b' }

/** What each incident burned, as bars: the thing people look at first in the meeting. */
function IncidentBurnChart({ slo }: { slo: SloReview }) {
  const rows = slo.incidents.filter((i) => i.consumed !== null).map((i) => ({ label: `INC-${i.number}`, consumed: (i.consumed ?? 0) * 100, severity: i.severity }))
  if (rows.length === 0) return null
  return (
    <figure className="chart" data-testid={`incident-burn-chart-${slo.name}`}>
      <figcaption>Share of the {slo.periodDays}-day error budget each incident burned in this period</figcaption>
      <div style={{ width: '100%', height: Math.max(90, 36 * rows.length + 40) }}>
        <ResponsiveContainer>
          <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 24, bottom: 4, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" horizontal={false} />
            <XAxis type="number" tickFormatter={(v: number) => `${v} %`} fontSize={11} />
            <YAxis type="category" dataKey="label" width={70} fontSize={11} />
            <Tooltip formatter={(v) => [`${Number(v).toFixed(2)} % of the budget`, 'burned']} />
            <Bar dataKey="consumed" isAnimationActive={false}>
              {rows.map((r) => (
                <Cell key={r.label} fill={SEVERITY_COLOURS[r.severity] ?? '#64748b'} />
              ))}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  )
}

export function SloReviewCard({ slo }: { slo: SloReview }) {
  const met = slo.compliance === null ? null : slo.compliance >= slo.objective
  const explained = slo.incidents.reduce((sum, i) => sum + (i.consumed ?? 0), 0)
  return (
    <article className={styles.sloCard} data-testid={`review-slo-${slo.name}`} aria-labelledby={`slo-${slo.name}`}>
      <div className={styles.sloHead}>
        <h3 id={`slo-${slo.name}`}>
          <Link href={`/slos/${slo.name}`}>{slo.displayName}</Link>
        </h3>
        <span className="muted small">
          {slo.service} · objective {percentText(slo.objective, 3)} over {slo.periodDays} days · {slo.usesRecordedSeries ? 'from recorded series' : 'raw queries'}
        </span>
      </div>
      {slo.error ? (
        <p className="alert error" role="alert" data-testid={`review-slo-error-${slo.name}`}>
          {slo.error}
        </p>
      ) : null}
      <div className="slo-figures">
        <div className="figure">
          <div className="muted small">Compliance in the period</div>
          <div className="big mono" data-testid={`review-compliance-${slo.name}`}>
            {percentText(slo.compliance, 3)}
          </div>
          <div className="small">
            {met === null ? <span className="muted">unknown</span> : <span className={met ? styles.met : styles.missed}>{met ? 'objective met' : 'objective missed'}</span>}{' '}
            <PointsDelta current={slo.compliance} previous={slo.previousCompliance} higherIsBetter digits={3} />
          </div>
        </div>
        <div className="figure">
          <div className="muted small">Budget consumed in the period</div>
          <div className="big mono" data-testid={`review-consumed-${slo.name}`}>
            {percentText(slo.consumed, 1)}
          </div>
          <div className="small">
            <PointsDelta current={slo.consumed} previous={slo.previousConsumed} higherIsBetter={false} />
          </div>
        </div>
        <div className="figure">
          <div className="muted small">Budget remaining at the end</div>
          <div className="big" data-testid={`review-remaining-${slo.name}`}>
            <BudgetBar remaining={slo.budgetRemaining} />
          </div>
          <div className="small">
            <PointsDelta current={slo.budgetRemaining} previous={slo.previousBudgetRemaining} higherIsBetter />
          </div>
        </div>
        <div className="figure">
          <div className="muted small">Burned by incidents</div>
          <div className="big mono">{slo.incidents.length === 0 ? '—' : percentText(explained, 1)}</div>
          <div className="muted small">
            {slo.incidents.length} incident{slo.incidents.length === 1 ? '' : 's'} on {slo.service}
            {slo.consumed !== null && slo.consumed > 0 && slo.incidents.length > 0 ? ` · ${percentText(Math.min(1, explained / slo.consumed), 0)} of the period's burn` : ''}
          </div>
        </div>
      </div>
      {slo.charts ? (
        <SloCharts charts={slo.charts} objective={slo.objective} incidents={slo.incidents.map((i) => ({ number: i.number, title: i.title, startedAt: i.start, resolvedAt: i.end }))} />
      ) : null}
      {slo.incidents.length > 0 ? (
        <div className={styles.twoCharts}>
          <IncidentBurnChart slo={slo} />
          <table className="compact" data-testid={`review-incident-costs-${slo.name}`}>
            <caption className="muted small" style={{ textAlign: 'left' }}>Incidents on {slo.service} and what they burned</caption>
            <thead>
              <tr>
                <th scope="col">Incident</th>
                <th scope="col">In the period</th>
                <th scope="col">Budget burned</th>
              </tr>
            </thead>
            <tbody>
              {slo.incidents.map((i) => (
                <tr key={i.number} data-testid={`review-incident-cost-${slo.name}-${i.number}`}>
                  <td>
                    <Link href={`/incidents/${i.number}`}>
                      <span className="mono">INC-{i.number}</span> {i.title}
                    </Link>{' '}
                    <span className={`sev ${i.severity.toLowerCase()}`}>{i.severity}</span>
                  </td>
                  <td className="small">
                    {utcMinute(i.start)} to {utcMinute(i.end)}
                  </td>
                  <td className="mono">{i.consumed === null ? <span title={i.error}>— ({i.error ?? 'unknown'})</span> : percentText(i.consumed, 2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </article>
  )
}
