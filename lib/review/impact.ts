/**
 * How much of each SLO's error budget a time window (an incident, a review period) burned.
 *
 * Definition (docs/weekly-review.md): consumed = burn rate over exactly the window x window length / SLO period
 * length, i.e. budgetConsumed() of lib/slo/burn-rate.ts. 0.12 means the window spent 12 % of a whole period's
 * budget. The window's error ratio comes from the same SLI definitions the SLO pages evaluate:
 * - a ratio SLI: its error-ratio query (lib/slo/rules.ts errorRatioQuery) with the range set to the window's length
 *   in seconds, as one instant query at the window's end, so bad and total events are counted over the same window;
 * - a threshold SLI: time slices (OpenSLO Timeslices, lib/slo/sli.ts) on a grid ending at the window's end, one slice
 *   per minute (coarser only past Prometheus' 11,000 points), the error ratio being the share of failing slices.
 * Raw series are read even when recorded ones exist: Sloth records fixed windows only, and incident windows are short.
 *
 * One SLO's failure (backend down, bad query, no data) is reported on its row as consumed: null with the reason; this
 * function never throws for a backend failure.
 */
import { budgetConsumed } from '@/lib/slo/burn-rate'
import type { EvaluableSlo } from '@/lib/slo/evaluate'
import { errorRatioQuery } from '@/lib/slo/rules'
import { thresholdErrorRatio } from '@/lib/slo/sli'
import type { MetricsSource } from '@/lib/telemetry/metrics-source'
import { mapWithLimit } from './batch'

export interface BudgetImpact {
  slo: string
  service: string
  objective: number
  consumed: number | null
  errorRatio: number | null
  error?: string
}

export interface TimeWindow {
  start: Date
  end: Date
}

/** Concurrent queries per call: enough to load a review quickly, few enough not to flood a backend. */
const MAX_CONCURRENT = 6

/** Whole seconds of a window (Prometheus ranges are written as [<seconds>s]). */
export function windowSeconds(window: TimeWindow): number {
  return Math.floor((window.end.getTime() - window.start.getTime()) / 1000)
}

/** A slice length for a threshold SLI over a window: one minute, coarser only to stay under 11,000 points. */
export function sliceSeconds(seconds: number): number {
  return Math.max(60, Math.ceil(seconds / 11_000 / 60) * 60)
}

/** Error ratio of one SLO over exactly the window; null when the SLI has no data there. Throws on backend errors. */
export async function windowErrorRatio(source: MetricsSource, slo: EvaluableSlo, window: TimeWindow): Promise<number | null> {
  const seconds = windowSeconds(window)
  if (slo.sli.kind === 'ratio') {
    const samples = await source.queryInstant(errorRatioQuery(slo, `${seconds}s`), window.end)
    const value = samples[0]?.value[1]
    return value === undefined || !Number.isFinite(value) ? null : value
  }
  const step = sliceSeconds(seconds)
  const endSeconds = Math.floor(window.end.getTime() / 1000)
  const fromSeconds = endSeconds - seconds
  // the grid ends at the window's end; its first slice is the first one after the window's start
  const firstSlice = endSeconds - Math.floor((seconds - 1) / step) * step
  const [series] = await source.queryRange(`max(${slo.sli.query})`, { start: new Date(firstSlice * 1000), end: new Date(endSeconds * 1000), stepSeconds: step })
  return thresholdErrorRatio(series?.points ?? [], slo.sli.op, slo.sli.value, fromSeconds, endSeconds)
}

export async function incidentBudgetImpact(source: MetricsSource, slos: EvaluableSlo[], window: { start: Date; end: Date }): Promise<BudgetImpact[]> {
  const seconds = windowSeconds(window)
  return mapWithLimit(slos, MAX_CONCURRENT, async (slo): Promise<BudgetImpact> => {
    const row = { slo: slo.name, service: slo.service, objective: slo.objective }
    if (seconds <= 0) return { ...row, consumed: null, errorRatio: null, error: 'The window is empty: it ends before it starts.' }
    try {
      const errorRatio = await windowErrorRatio(source, slo, window)
      if (errorRatio === null) return { ...row, consumed: null, errorRatio: null, error: `No SLI data for ${slo.name} between ${window.start.toISOString()} and ${window.end.toISOString()}.` }
      return { ...row, errorRatio, consumed: budgetConsumed(errorRatio, slo.objective, seconds / 3600, slo.periodDays) }
    } catch (error) {
      return { ...row, consumed: null, errorRatio: null, error: error instanceof Error ? error.message : String(error) }
    }
  })
}
