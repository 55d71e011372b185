/**
 * Evaluates an SLO against a MetricsSource: error ratio per window, SLI, error budget, burn rates and alert
 * conditions now, and the series its charts draw. The arithmetic lives in burn-rate.ts and sli.ts; this file decides
 * which queries to send.
 *
 * Long windows read Sloth's recorded series (slo:sli_error:ratio_rate<window>{sloth_id=...}) when the team loaded our
 * exported rules; otherwise raw PromQL over the window, which Prometheus may take a while to answer for 30 days.
 */
import type { MetricsSource, RangeSeries } from '@/lib/telemetry/metrics-source'
import { budgetRemaining, burnRate, evaluateBurnRates, hoursToExhaustion, rulesFor, windowHours, type AlertingPreset, type BurnRateStatus, type Window } from './burn-rate'
import type { SloDefinition } from './openslo'
import { errorRatioQuery, slothId, WINDOW_PLACEHOLDER } from './rules'
import { rollingBudgetRemaining, thresholdErrorRatio, type StepCounts } from './sli'

export interface EvaluableSlo extends SloDefinition {
  alerting: AlertingPreset
  minEvents: number
}

/** The windows Sloth records; any other window is always computed raw. */
const RECORDED_WINDOWS = new Set(['5m', '30m', '1h', '2h', '6h', '1d', '3d'])

export interface WindowValue {
  window: Window
  errorRatio: number | null
  burnRate: number | null
}

export interface SloStatus {
  at: string
  /** 1 - error ratio over the whole period */
  sli: number | null
  /** 1 - error ratio over the last 5 minutes */
  sliNow: number | null
  budgetRemaining: number | null
  hoursToExhaustion: number | null
  windows: WindowValue[]
  alerts: BurnRateStatus[]
  /** the worst condition that holds: a page, a ticket, none, or unknown when data is missing */
  condition: 'page' | 'ticket' | 'ok' | 'unknown'
  /** true when long windows came from recorded series */
  usesRecordedSeries: boolean
  /** what could not be computed, in words */
  missing: string[]
}

export function periodWindow(slo: Pick<SloDefinition, 'periodDays'>): Window {
  return `${Math.round(slo.periodDays)}d`
}

function secondsOf(window: Window): number {
  return windowHours(window) * 3600
}

function fill(query: string, window: Window): string {
  return query.replaceAll(WINDOW_PLACEHOLDER, window)
}

function firstValue(samples: { value: [number, number] }[]): number | null {
  const value = samples[0]?.value[1]
  return value === undefined || Number.isNaN(value) ? null : value
}

/** Whether the team loaded the exported recording rules for this SLO (its 5-minute ratio has series in the last hour). */
export async function hasRecordedSeries(source: MetricsSource, slo: SloDefinition, at: Date): Promise<boolean> {
  if (slo.sli.kind !== 'ratio') return false
  const found = await source.series([`slo:sli_error:ratio_rate5m{sloth_id="${slothId(slo)}"}`], { start: new Date(at.getTime() - 3_600_000), end: at })
  return found.length > 0
}

/** The query for one window's error ratio: the recorded series when there is one, raw PromQL otherwise. */
export function windowErrorRatioQuery(slo: SloDefinition, window: Window, recorded: boolean): string {
  if (recorded && RECORDED_WINDOWS.has(window)) return `max(slo:sli_error:ratio_rate${window}{sloth_id="${slothId(slo)}"})`
  if (recorded && window === periodWindow(slo)) return `max(slo:sli_error:ratio_rate${window}{sloth_id="${slothId(slo)}"})`
  return errorRatioQuery(slo, window)
}

export async function evaluateSlo(source: MetricsSource, slo: EvaluableSlo, at: Date): Promise<SloStatus> {
  const rules = rulesFor(slo.alerting, slo.periodDays)
  const period = periodWindow(slo)
  const windows = [...new Set<Window>(['5m', ...rules.flatMap((r) => [r.short, r.long]), period])].sort((a, b) => secondsOf(a) - secondsOf(b))
  const missing: string[] = []
  const ratios = new Map<Window, number | null>()
  const events = new Map<Window, number>()
  let recorded = false

  if (slo.sli.kind === 'ratio') {
    const sli = slo.sli
    recorded = await hasRecordedSeries(source, slo, at)
    await Promise.all(
      windows.map(async (w) => {
        ratios.set(w, firstValue(await source.queryInstant(windowErrorRatioQuery(slo, w, recorded), at)))
      }),
    )
    if (slo.minEvents > 0) {
      await Promise.all(
        [...new Set(rules.map((r) => r.short))].map(async (w) => {
          const rate = firstValue(await source.queryInstant(`sum(${fill(sli.totalQuery, w)})`, at))
          events.set(w, rate === null ? 0 : Math.round(rate * secondsOf(w)))
        }),
      )
    }
  } else {
    // time slices: one range query over the period, every window read from its tail
    const sli = slo.sli
    const stepSeconds = Math.max(60, Math.ceil(secondsOf(period) / 11_000 / 60) * 60)
    const [series] = await source.queryRange(`max(${sli.query})`, { start: new Date(at.getTime() - secondsOf(period) * 1000), end: at, stepSeconds })
    const points = series?.points ?? []
    const now = at.getTime() / 1000
    for (const w of windows) ratios.set(w, thresholdErrorRatio(points, sli.op, sli.value, now - Math.max(secondsOf(w), stepSeconds), now))
  }

  for (const w of windows) if (ratios.get(w) === null) missing.push(`no data for the ${w} window`)
  const periodRatio = ratios.get(period) ?? null
  const remaining = periodRatio === null ? null : budgetRemaining(periodRatio, slo.objective)
  const nowRatio = ratios.get('5m') ?? null
  const alerts = evaluateBurnRates(Object.fromEntries(ratios), slo.objective, {
    rules,
    ...(slo.minEvents > 0 ? { shortWindowEvents: Object.fromEntries(events), minEvents: slo.minEvents } : {}),
  })
  const firing = alerts.filter((a) => a.isFiring)
  const allKnown = alerts.every((a) => a.longBurnRate !== null && a.shortBurnRate !== null)
  return {
    at: at.toISOString(),
    sli: periodRatio === null ? null : 1 - periodRatio,
    sliNow: nowRatio === null ? null : 1 - nowRatio,
    budgetRemaining: remaining,
    hoursToExhaustion: remaining === null || nowRatio === null ? null : finiteOrNull(hoursToExhaustion(remaining, burnRate(nowRatio, slo.objective), slo.periodDays)),
    windows: windows.map((w) => {
      const ratio = ratios.get(w) ?? null
      return { window: w, errorRatio: ratio, burnRate: ratio === null ? null : burnRate(ratio, slo.objective) }
    }),
    alerts,
    condition: firing.some((a) => a.rule.severity === 'page') ? 'page' : firing.length > 0 ? 'ticket' : allKnown ? 'ok' : 'unknown',
    usesRecordedSeries: recorded,
    missing,
  }
}

function finiteOrNull(n: number): number | null {
  return Number.isFinite(n) ? n : null
}

export interface SloCharts {
  start: string
  end: string
  stepSeconds: number
  /** [unix seconds, value] */
  sli: [number, number][]
  budgetRemaining: [number, number | null][]
  burnRate: [number, number][]
  /** the window the burn-rate line is computed over */
  burnRateWindow: Window
  thresholds: { severity: 'page' | 'ticket'; factor: number; long: Window; short: Window }[]
}

/** A step that keeps a query under Prometheus' 11,000 points, on whole minutes. */
function stepFor(seconds: number, targetPoints: number): number {
  return Math.max(60, Math.ceil(seconds / Math.min(targetPoints, 11_000) / 60) * 60)
}

function points(series: RangeSeries[]): [number, number][] {
  return (series[0]?.points ?? []).filter(([, v]) => !Number.isNaN(v))
}

/**
 * The three charts over [end - rangeSeconds, end]: the SLI against its objective, the error budget remaining over
 * the SLO period ending at each point, and the burn rate with the alert thresholds.
 */
export async function sloCharts(source: MetricsSource, slo: EvaluableSlo, end: Date, rangeSeconds: number): Promise<SloCharts> {
  const start = new Date(end.getTime() - rangeSeconds * 1000)
  const stepSeconds = stepFor(rangeSeconds, 300)
  const rules = rulesFor(slo.alerting, slo.periodDays)
  const burnWindow: Window = rules[0].long
  const periodSeconds = secondsOf(periodWindow(slo))
  const range = { start, end, stepSeconds }
  let sli: [number, number][]
  let burn: [number, number][]
  let budget: [number, number | null][]

  if (slo.sli.kind === 'ratio') {
    const sliDef = slo.sli
    const recorded = await hasRecordedSeries(source, slo, end)
    const sliWindow: Window = stepSeconds <= 300 ? '5m' : stepSeconds <= 1800 ? '30m' : '1h'
    // the budget: per-step counts over [start - period, end], then a rolling sum (one query, not one per point)
    const countStep = stepFor(rangeSeconds + periodSeconds, 11_000)
    const countWindow = `${countStep / 60}m`
    const countRange = { start: new Date(start.getTime() - periodSeconds * 1000), end, stepSeconds: countStep }
    const badRate = sliDef.badQuery !== undefined ? `sum(${fill(sliDef.badQuery, countWindow)})` : `sum(${fill(sliDef.totalQuery, countWindow)}) - sum(${fill(sliDef.goodQuery!, countWindow)})`
    const [sliSeries, burnSeries, badSeries, totalSeries] = await Promise.all([
      source.queryRange(`1 - (${windowErrorRatioQuery(slo, sliWindow, recorded)})`, range),
      source.queryRange(`(${windowErrorRatioQuery(slo, burnWindow, recorded)}) / ${1 - slo.objective}`, range),
      source.queryRange(badRate, countRange),
      source.queryRange(`sum(${fill(sliDef.totalQuery, countWindow)})`, countRange),
    ])
    sli = points(sliSeries)
    burn = points(burnSeries)
    const badAt = new Map(points(badSeries))
    const steps: StepCounts[] = points(totalSeries).map(([t, total]) => ({ t, bad: Math.max(0, (badAt.get(t) ?? 0) * countStep), total: total * countStep }))
    budget = rollingBudgetRemaining(steps, Math.round(periodSeconds / countStep), slo.objective).filter(([t]) => t >= start.getTime() / 1000)
  } else {
    const sliDef = slo.sli
    const countStep = stepFor(rangeSeconds + periodSeconds, 11_000)
    const [series] = await source.queryRange(`max(${sliDef.query})`, { start: new Date(start.getTime() - periodSeconds * 1000), end, stepSeconds: countStep })
    const all = (series?.points ?? []).filter(([, v]) => !Number.isNaN(v))
    const inRange = all.filter(([t]) => t >= start.getTime() / 1000)
    sli = inRange
    const steps: StepCounts[] = all.map(([t, v]) => ({ t, bad: thresholdErrorRatio([[t, v]], sliDef.op, sliDef.value) ?? 0, total: 1 }))
    budget = rollingBudgetRemaining(steps, Math.round(periodSeconds / countStep), slo.objective).filter(([t]) => t >= start.getTime() / 1000)
    const burnSteps = Math.max(1, Math.round(secondsOf(burnWindow) / countStep))
    burn = rollingBudgetRemaining(steps, burnSteps, slo.objective)
      .filter(([t]) => t >= start.getTime() / 1000)
      .map(([t, r]) => [t, r === null ? NaN : 1 - r] as [number, number])
      .filter(([, v]) => !Number.isNaN(v))
  }
  return {
    start: start.toISOString(),
    end: end.toISOString(),
    stepSeconds,
    sli,
    budgetRemaining: budget,
    burnRate: burn,
    burnRateWindow: burnWindow,
    thresholds: rules.map((r) => ({ severity: r.severity, factor: r.factor, long: r.long, short: r.short })),
  }
}
