/**
 * Benchmark data from the scenario library: several stories on their own placements (one fleet, several pipelines),
 * stretched to days of history so a query has something to read. A story keeps its own 6 hours; before it the
 * placement is healthy, after it either healthy again (mitigated) or held in its last state.
 */
import fs from 'node:fs'
import { baseline, gpuOom, slowModelLoading, tokenBudgetExhaustion, type Placement } from '@/lib/telemetry/scenarios/library'
import { generateSeries, toOpenMetrics, type GeneratedSeries, type Scenario, type SeriesSpec } from '@/lib/telemetry/scenarios/model'

const nodes = (from: number) => [from, from + 1, from + 2].map((n) => `gpu-node-${n}`)

/** Four pipelines of three nodes each; rag-chat is the library's own placement. */
export const PLACEMENTS = {
  ragChat: { pipeline: 'rag-chat', model: 'llama-3-70b-instruct', namespace: 'inference', nodes: nodes(1), gpusPerNode: 2, requestsPerSecond: 12 },
  codeAssist: { pipeline: 'code-assist', model: 'qwen2.5-coder-32b-instruct', namespace: 'inference', nodes: nodes(4), gpusPerNode: 2, requestsPerSecond: 20 },
  summarize: { pipeline: 'summarize', model: 'mistral-7b-instruct', namespace: 'inference', nodes: nodes(7), gpusPerNode: 2, requestsPerSecond: 30 },
  support: { pipeline: 'support-bot', model: 'llama-3-8b-instruct', namespace: 'inference', nodes: nodes(10), gpusPerNode: 2, requestsPerSecond: 8 },
} satisfies Record<string, Placement>

export interface PlacedStory {
  scenario: Scenario
  /** minute of the long scenario at which the story's last minute falls */
  endsAtMinute: number
  /** after the story: back to healthy (mitigated), or its last state held */
  after: 'healthy' | 'hold'
}

/**
 * One long scenario from several stories: the series of each, with time shifted so the story ends at `endsAtMinute`.
 * The library's behaviours are healthy for negative minutes (every ramp and deploy lies ahead), which is what
 * "before the story" and, with after = 'healthy', "after it" use.
 */
export function stretch(id: string, durationMinutes: number, stories: PlacedStory[], keep: (spec: SeriesSpec) => boolean = () => true): Scenario {
  const series = stories.flatMap(({ scenario, endsAtMinute, after }) => {
    const offset = endsAtMinute - scenario.durationMinutes
    const local = (t: number) => {
      const s = t - offset
      if (s <= scenario.durationMinutes) return s
      return after === 'hold' ? scenario.durationMinutes : -1
    }
    return scenario.series.filter(keep).map(
      (spec): SeriesSpec => ({
        ...spec,
        value: (t) => spec.value(local(t)),
        ...(spec.present ? { present: (t: number) => spec.present!(local(t)) } : {}),
      }),
    )
  })
  return { id, title: id, description: `${stories.map((s) => s.scenario.id).join(', ')} over ${durationMinutes} minutes`, durationMinutes, series, alerts: [] }
}

/** The fleet the panels read: days of history, the GPU OOM story on rag-chat unfolding right now. */
export function panelFleet(days: number): Scenario {
  const minutes = days * 1440
  return stretch('panel-fleet', minutes, [
    { scenario: gpuOom(PLACEMENTS.ragChat), endsAtMinute: minutes, after: 'hold' },
    { scenario: slowModelLoading(PLACEMENTS.codeAssist), endsAtMinute: minutes - 1440, after: 'hold' },
    { scenario: tokenBudgetExhaustion(PLACEMENTS.summarize), endsAtMinute: minutes - 2000, after: 'hold' },
    { scenario: baseline(PLACEMENTS.support), endsAtMinute: minutes, after: 'hold' },
  ])
}

/** The gateway's request counters for 30 days: two incidents that were mitigated when their story ended. */
export function gatewayMonth(): Scenario {
  const minutes = 30 * 1440
  return stretch(
    'gateway-30d',
    minutes,
    [
      { scenario: gpuOom(PLACEMENTS.ragChat), endsAtMinute: 9 * 1440, after: 'healthy' },
      { scenario: slowModelLoading(PLACEMENTS.codeAssist), endsAtMinute: 22 * 1440, after: 'healthy' },
      { scenario: tokenBudgetExhaustion(PLACEMENTS.summarize), endsAtMinute: 27 * 1440, after: 'healthy' },
      { scenario: baseline(PLACEMENTS.support), endsAtMinute: minutes, after: 'healthy' },
    ],
    (spec) => spec.metric === 'http_requests_total',
  )
}

/** OpenMetrics for promtool, written family by family so days of samples never sit in one string. */
export function writeOpenMetrics(file: string, series: GeneratedSeries[]): number {
  const fd = fs.openSync(file, 'w')
  let samples = 0
  try {
    const byMetric = new Map<string, GeneratedSeries[]>()
    for (const s of series) byMetric.set(s.metric, [...(byMetric.get(s.metric) ?? []), s])
    for (const family of byMetric.values()) {
      const text = toOpenMetrics(family)
      fs.writeSync(fd, text.slice(0, text.length - '# EOF\n'.length))
      samples += family.reduce((n, s) => n + s.points.length, 0)
    }
    fs.writeSync(fd, '# EOF\n')
  } finally {
    fs.closeSync(fd)
  }
  return samples
}

export function generate(scenario: Scenario, end: Date, stepSeconds: number): GeneratedSeries[] {
  return generateSeries(scenario, end, stepSeconds)
}
