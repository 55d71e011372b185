'use client'
import { useQuery } from '@tanstack/react-query'
import { callApi } from '@/components/api-client'
import { TelemetryNotice } from '@/components/slos/slo-bits'
import { utcMinute } from '@/lib/review/format'
import type { WeeklyReview } from '@/lib/review/types'
import { FollowUpSection } from './follow-up-section'
import { IncidentSection } from './incident-section'
import { PeriodControls } from './period-controls'
import styles from './review.module.css'
import { SloReviewCard } from './slo-review-card'

/** A running week keeps itself fresh during the meeting; a past one does not change, so it is read once. */
const RUNNING_REFRESH_MS = 60_000

export function ReviewView({ initial, canConfigure }: { initial: WeeklyReview; canConfigure: boolean }) {
  const search = initial.period.search
  const isRunning = initial.period.asOf < initial.period.end
  const query = useQuery({
    queryKey: ['review', search],
    queryFn: () => callApi<WeeklyReview>(`/api/review?${search}`),
    initialData: initial,
    refetchInterval: isRunning ? RUNNING_REFRESH_MS : false,
    staleTime: isRunning ? RUNNING_REFRESH_MS : Infinity,
  })
  const review = query.data
  const { period } = review
  return (
    <>
      <div className="page-head">
        <div>
          <h1 style={{ margin: 0 }} data-testid="review-title">Weekly SLO review: {period.label}</h1>
          <p className="muted small" style={{ margin: 0 }} data-testid="review-period">
            {utcMinute(period.start)} to {utcMinute(period.end)}
            {isRunning ? ` · running, numbers as of ${utcMinute(period.asOf)}` : ''} · compared with {utcMinute(period.previous.start)} to {utcMinute(period.previous.end)} · weeks start on {period.weekStart}
          </p>
        </div>
      </div>
      <PeriodControls review={review} canConfigure={canConfigure} />
      <section className={styles.section} aria-labelledby="review-slos" data-testid="review-slos">
        <h2 id="review-slos">SLOs</h2>
        <TelemetryNotice telemetry={review.telemetry} fetchError={query.isError ? query.error.message : null} lastUpdated={query.dataUpdatedAt} />
        {review.slos.length === 0 ? <p className="muted">No SLOs are defined yet: add them on the SLOs page to see compliance and budgets here.</p> : null}
        {review.slos.map((slo) => (
          <SloReviewCard key={slo.name} slo={slo} />
        ))}
      </section>
      <IncidentSection incidents={review.incidents} />
      <FollowUpSection review={review} />
      <p className="muted small">Generated {utcMinute(review.generatedAt)}. Budget definitions: consumed is the share of the SLO period’s error budget the period burned; remaining is what is left of the rolling SLO period ending at the period’s end.</p>
    </>
  )
}
