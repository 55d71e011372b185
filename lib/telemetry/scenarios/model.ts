/**
 * Incident scenarios: one definition, two outputs. A scenario describes how each series evolves over time; from it
 * come (a) samples for the demo and (b) OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`, so tests
 * run the very same story through a real Prometheus.
 */
export interface SeriesSpec {
  metric: string
  labels: Record<string, string>
  /** gauge: value(t) is the sample; counter: value(t) is the per-second rate, integrated into a monotonic total */
  kind: 'gauge' | 'counter'
  /** t is minutes since the scenario started */
  value(t: number): number
  /** false while the target emits nothing (a container loading or dead): no sample, so the series goes stale */
  present?(t: number): boolean
}

/** An alert the scenario's Prometheus rules would fire, for the demo's incidents and the tests' webhooks. */
export interface ScenarioAlert {
  labels: Record<string, string>
  annotations: Record<string, string>
  /** minutes since the scenario started */
  startsAtMinute: number
  endsAtMinute?: number
}

export interface Scenario {
  id: string
  title: string
  description: string
  durationMinutes: number
  /** the minute the trouble starts (the baseline has none) */
  onsetMinute?: number
  /** what a responder should conclude: the failure class id from the taxonomy, for tests and the wizard */
  failureClass?: string
  series: SeriesSpec[]
  alerts: ScenarioAlert[]
}

export interface GeneratedSeries {
  metric: string
  labels: Record<string, string>
  /** [unix seconds, value] */
  points: [number, number][]
}

/** Samples every `stepSeconds` from end - duration to end; counters start at 0 and add rate x step each sample. */
export function generateSeries(scenario: Scenario, end: Date, stepSeconds = 60): GeneratedSeries[] {
  const endSeconds = Math.floor(end.getTime() / 1000 / stepSeconds) * stepSeconds
  const startSeconds = endSeconds - scenario.durationMinutes * 60
  return scenario.series
    .map((spec) => {
      const points: [number, number][] = []
      let total = 0
      for (let t = startSeconds; t <= endSeconds; t += stepSeconds) {
        const minutes = (t - startSeconds) / 60
        if (spec.kind === 'counter' && t > startSeconds) total += Math.max(0, spec.value(minutes)) * stepSeconds
        if (spec.present && !spec.present(minutes)) continue
        points.push([t, spec.kind === 'counter' ? round(total) : round(spec.value(minutes))])
      }
      return { metric: spec.metric, labels: spec.labels, points }
    })
    .filter((s) => s.points.length > 0)
}

/** The wall-clock start of a scenario generated to end at `end` (what generateSeries uses). */
export function scenarioStart(scenario: Scenario, end: Date, stepSeconds = 60): Date {
  const endSeconds = Math.floor(end.getTime() / 1000 / stepSeconds) * stepSeconds
  return new Date((endSeconds - scenario.durationMinutes * 60) * 1000)
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}

/** OpenMetrics text, grouped by metric family as the format requires, ending with # EOF. */
export function toOpenMetrics(series: GeneratedSeries[]): string {
  const byMetric = new Map<string, GeneratedSeries[]>()
  for (const s of series) byMetric.set(s.metric, [...(byMetric.get(s.metric) ?? []), s])
  const lines: string[] = []
  for (const [metric, family] of byMetric) {
    for (const s of family) {
      const labels = Object.entries(s.labels)
        .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
        .join(',')
      for (const [t, v] of s.points) lines.push(`${metric}{${labels}} ${v} ${t}`)
    }
  }
  lines.push('# EOF')
  return lines.join('\n') + '\n'
}

/**
 * Several scenarios' series for one Prometheus: one series per label set however many scenarios wrote to it (they
 * must not overlap in time), points in time order, as promtool's backfill needs.
 */
export function mergeSeries(series: GeneratedSeries[]): GeneratedSeries[] {
  const byKey = new Map<string, GeneratedSeries>()
  for (const s of series) {
    const key = `${s.metric}${JSON.stringify(Object.entries(s.labels).sort())}`
    const seen = byKey.get(key)
    if (seen) seen.points.push(...s.points)
    else byKey.set(key, { ...s, points: [...s.points] })
  }
  for (const s of byKey.values()) s.points.sort((a, b) => a[0] - b[0])
  return [...byKey.values()]
}

/** Scenarios side by side in time, each ending `spacingMs` after the one before, the last at `end`. */
export function placeApart<T extends { id: string }>(scenarios: T[], end: Date, spacingMs: number): { scenario: T; end: Date }[] {
  return scenarios.map((scenario, i) => ({ scenario, end: new Date(end.getTime() - (scenarios.length - 1 - i) * spacingMs) }))
}
