/**
 * The review's SLO numbers from a MetricsSource, for one period and the one before it (docs/weekly-review.md):
 * - compliance: 1 - error ratio over exactly the period;
 * - consumed: budgetConsumed() of that ratio, the share of the SLO period's budget the review period burned;
 * - budget remaining: over the rolling SLO period ending at the review period's end, as the SLO page computes it
 *   (lib/slo/evaluate.ts windowErrorRatioQuery: the recorded slo:sli_error:ratio_rate<period> when the team loaded the
 *   exported rules, raw PromQL otherwise);
 * - the SLO page's charts over the period, and what each incident on the SLO's service burned (impact.ts).
 *
 * Recorded series make the page fast: with them the period's ratio is Sloth's own definition, the mean of the recorded
 * 5-minute ratios over the period (equal to the raw ratio when traffic is steady); without them, raw queries.
 * One probe per SLO runs first, so an unreachable backend costs one timeout, not one per query.
 */
import { budgetConsumed, budgetRemaining } from '@/lib/slo/burn-rate'
import { hasRecordedSeries, periodWindow, sloCharts, windowErrorRatioQuery, type EvaluableSlo, type SloCharts } from '@/lib/slo/evaluate'
import { RuleExportError, slothId } from '@/lib/slo/rules'
import { MetricsSourceError, type MetricsSource } from '@/lib/telemetry/metrics-source'
import { mapWithLimit } from './batch'
import { incidentBudgetImpact, windowErrorRatio, windowSeconds } from './impact'
import { clipToWindow, type ReviewWindow } from './period'
import type { ReviewIncidentCost, Severity, SloReview } from './types'

export interface CostedIncident {
  number: number
  title: string
  severity: Severity
  pipeline: string | null
  startedAt: Date
  mitigatedAt: Date | null
  resolvedAt: Date | null
}

export interface SloReviewWindows {
  /** the review period, its end clipped to now while it runs */
  current: ReviewWindow
  previous: ReviewWindow
}

/** SLOs reviewed at once; each sends a handful of queries in parallel. */
const SLOS_AT_ONCE = 4
const INCIDENTS_AT_ONCE = 4

/** Error ratio over exactly the window: the mean of the recorded 5-minute ratios, or the raw SLI. */
async function periodErrorRatio(source: MetricsSource, slo: EvaluableSlo, window: ReviewWindow, recorded: boolean): Promise<number | null> {
  if (windowSeconds(window) <= 0) return null
  if (!recorded) return windowErrorRatio(source, slo, window)
  const samples = await source.queryInstant(`max(avg_over_time(slo:sli_error:ratio_rate5m{sloth_id="${slothId(slo)}"}[${windowSeconds(window)}s]))`, window.end)
  const value = samples[0]?.value[1]
  return value === undefined || !Number.isFinite(value) ? null : value
}

/** Error ratio over the SLO's rolling period ending at `at`: what the SLO page's budget is computed from. */
async function rollingPeriodErrorRatio(source: MetricsSource, slo: EvaluableSlo, at: Date, recorded: boolean): Promise<number | null> {
  if (slo.sli.kind === 'ratio') {
    const samples = await source.queryInstant(windowErrorRatioQuery(slo, periodWindow(slo), recorded), at)
    const value = samples[0]?.value[1]
    return value === undefined || !Number.isFinite(value) ? null : value
  }
  return windowErrorRatio(source, slo, { start: new Date(at.getTime() - slo.periodDays * 86_400_000), end: at })
}

class Failures {
  readonly messages: string[] = []
  backend: string | null = null

  /** Runs one read; a backend or definition problem becomes a message and null, anything else is a bug and throws. */
  async attempt<T>(read: () => Promise<T>): Promise<T | null> {
    try {
      return await read()
    } catch (error) {
      if (error instanceof MetricsSourceError) {
        if (error.kind === 'backend') this.backend ??= error.message
        if (!this.messages.includes(error.message)) this.messages.push(error.message)
        return null
      }
      if (error instanceof RuleExportError) {
        if (!this.messages.includes(error.message)) this.messages.push(error.message)
        return null
      }
      throw error
    }
  }
}

function consumedOver(ratio: number | null, slo: EvaluableSlo, window: ReviewWindow): number | null {
  return ratio === null ? null : budgetConsumed(ratio, slo.objective, windowSeconds(window) / 3600, slo.periodDays)
}

async function incidentCosts(source: MetricsSource, slo: EvaluableSlo, incidents: CostedIncident[], window: ReviewWindow): Promise<ReviewIncidentCost[]> {
  const overlapping = incidents.flatMap((incident) => {
    const clipped = incident.pipeline === slo.service ? clipToWindow(incident, window) : null
    return clipped ? [{ incident, clipped }] : []
  })
  return mapWithLimit(overlapping, INCIDENTS_AT_ONCE, async ({ incident, clipped }) => {
    const [impact] = await incidentBudgetImpact(source, [slo], clipped)
    return {
      number: incident.number,
      title: incident.title,
      severity: incident.severity,
      start: clipped.start.toISOString(),
      end: clipped.end.toISOString(),
      consumed: impact.consumed,
      errorRatio: impact.errorRatio,
      ...(impact.error ? { error: impact.error } : {}),
    }
  })
}

/** An SLO's row without numbers, saying why (no backend, backend down, a bad definition). */
export function emptyReview(slo: EvaluableSlo, error: string): SloReview {
  return {
    name: slo.name,
    displayName: slo.displayName,
    service: slo.service,
    objective: slo.objective,
    periodDays: slo.periodDays,
    sliKind: slo.sli.kind,
    compliance: null,
    previousCompliance: null,
    consumed: null,
    previousConsumed: null,
    budgetRemaining: null,
    previousBudgetRemaining: null,
    charts: null,
    incidents: [],
    usesRecordedSeries: false,
    error,
  }
}

export async function reviewSlo(source: MetricsSource, slo: EvaluableSlo, incidents: CostedIncident[], windows: SloReviewWindows): Promise<{ review: SloReview; backendError: string | null }> {
  const failures = new Failures()
  const { current, previous } = windows
  const recorded = await failures.attempt(() => hasRecordedSeries(source, slo, current.end))
  if (recorded === null) return { review: emptyReview(slo, failures.messages.join('; ')), backendError: failures.backend }

  const [ratio, previousRatio, remainingRatio, previousRemainingRatio, charts, costs] = await Promise.all([
    failures.attempt(() => periodErrorRatio(source, slo, current, recorded)),
    failures.attempt(() => periodErrorRatio(source, slo, previous, recorded)),
    failures.attempt(() => rollingPeriodErrorRatio(source, slo, current.end, recorded)),
    failures.attempt(() => rollingPeriodErrorRatio(source, slo, previous.end, recorded)),
    windowSeconds(current) > 0 ? failures.attempt<SloCharts>(() => sloCharts(source, slo, current.end, windowSeconds(current))) : Promise.resolve(null),
    incidentCosts(source, slo, incidents, current),
  ])
  const missing = [...failures.messages]
  if (failures.messages.length === 0 && ratio === null && windowSeconds(current) > 0) missing.push('no SLI data in this period')
  return {
    review: {
      ...emptyReview(slo, ''),
      compliance: ratio === null ? null : 1 - ratio,
      previousCompliance: previousRatio === null ? null : 1 - previousRatio,
      consumed: consumedOver(ratio, slo, current),
      previousConsumed: consumedOver(previousRatio, slo, previous),
      budgetRemaining: remainingRatio === null ? null : budgetRemaining(remainingRatio, slo.objective),
      previousBudgetRemaining: previousRemainingRatio === null ? null : budgetRemaining(previousRemainingRatio, slo.objective),
      charts,
      incidents: costs.sort((a, b) => (b.consumed ?? -1) - (a.consumed ?? -1) || a.number - b.number),
      usesRecordedSeries: recorded,
      error: missing.length ? missing.join('; ') : null,
    },
    backendError: failures.backend,
  }
}

/** Every SLO's review, a few at a time; the first backend failure is returned so the caller can record the outage. */
export async function reviewSlos(source: MetricsSource, slos: EvaluableSlo[], incidents: CostedIncident[], windows: SloReviewWindows): Promise<{ slos: SloReview[]; backendError: string | null }> {
  let down: string | null = null
  // once the backend has failed, the SLOs not yet started say so instead of each waiting for its own timeout
  const results = await mapWithLimit(slos, SLOS_AT_ONCE, async (slo) => {
    if (down !== null) return { review: emptyReview(slo, down), backendError: down }
    const result = await reviewSlo(source, slo, incidents, windows)
    down ??= result.backendError
    return result
  })
  return { slos: results.map((r) => r.review), backendError: down }
}
