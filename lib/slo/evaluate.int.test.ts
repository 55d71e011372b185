/**
 * The numbers the SLO page shows, from a real Prometheus holding a backfilled scenario, equal the values computed
 * here independently from the generated samples (sums of counter increases; slices over a threshold).
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBackfilledPrometheus, type RunningServer } from '@/e2e/support/observability'
import { PrometheusSource } from '@/lib/telemetry/prometheus'
import { GPU_OOM } from '@/lib/telemetry/scenarios/library'
import { generateSeries, type GeneratedSeries } from '@/lib/telemetry/scenarios/model'
import { budgetRemaining, burnRate, windowHours } from './burn-rate'
import { evaluateSlo, sloCharts, type EvaluableSlo } from './evaluate'
import { importOpenSlo } from './openslo'

const examples = importOpenSlo(fs.readFileSync(path.resolve(import.meta.dirname, '../../examples/openslo/llm-inference.yaml'), 'utf8'))
const example = (name: string): EvaluableSlo => ({ ...examples.find((s) => s.name === name)!, alerting: 'sre-workbook', minEvents: 0 })

/** Increase of a counter over (at - window, at], from the samples themselves: last minus the first inside the window. */
function increase(series: GeneratedSeries, atSeconds: number, windowSeconds: number): number {
  const inside = series.points.filter(([t]) => t > atSeconds - windowSeconds && t <= atSeconds)
  return inside.length < 2 ? 0 : inside.at(-1)![1] - inside[0][1]
}

function ratioFromSamples(all: GeneratedSeries[], isBad: (s: GeneratedSeries) => boolean, isTotal: (s: GeneratedSeries) => boolean, atSeconds: number, window: string): number {
  const seconds = windowHours(window) * 3600
  const bad = all.filter(isBad).reduce((sum, s) => sum + increase(s, atSeconds, seconds), 0)
  const total = all.filter(isTotal).reduce((sum, s) => sum + increase(s, atSeconds, seconds), 0)
  return bad / total
}

describe('SLO evaluation against a real Prometheus', () => {
  // the scenario ends on a whole hour an hour ago; evaluate 20 minutes before its end, deep in the OOM
  const end = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000)
  const at = new Date(end.getTime() - 20 * 60_000)
  const atSeconds = at.getTime() / 1000
  const series = generateSeries(GPU_OOM, end)
  let prometheus: RunningServer
  let source: PrometheusSource

  beforeAll(async () => {
    prometheus = await startBackfilledPrometheus({ series })
    source = new PrometheusSource({ url: prometheus.url })
  }, 60_000)
  afterAll(() => prometheus?.stop())

  const gateway = (code?: string) => (s: GeneratedSeries) => s.metric === 'http_requests_total' && s.labels.pipeline === 'rag-chat' && (code === undefined || s.labels.code === code)

  it('computes the availability SLI, budget and burn rates the samples imply', async () => {
    const slo = example('rag-chat-availability')
    const status = await evaluateSlo(source, slo, at)
    for (const w of ['5m', '1h', '6h', '3d', '30d']) {
      const expected = ratioFromSamples(series, gateway('503'), gateway(), atSeconds, w)
      const got = status.windows.find((x) => x.window === w)!
      expect(got.errorRatio, `error ratio over ${w}`).toBeCloseTo(expected, 6)
      expect(got.burnRate!, `burn rate over ${w}`).toBeCloseTo(burnRate(expected, slo.objective), 3)
    }
    const period = ratioFromSamples(series, gateway('503'), gateway(), atSeconds, '30d')
    expect(status.sli).toBeCloseTo(1 - period, 6)
    expect(status.budgetRemaining!).toBeCloseTo(budgetRemaining(period, slo.objective), 3)
    // a quarter of gpu-node-2's third of the traffic fails: far beyond 14.4x a 0.1 % budget over 1h and 5m
    expect(status.condition).toBe('page')
    expect(status.alerts.find((a) => a.rule.factor === 14.4)!.isFiring).toBe(true)
    expect(status.usesRecordedSeries).toBe(false)
  })

  it('computes a good-events SLI (TTFT under 2 s from the histogram bucket) the same way', async () => {
    const slo = example('rag-chat-ttft')
    const status = await evaluateSlo(source, slo, at)
    const isGood = (s: GeneratedSeries) => s.metric === 'vllm:time_to_first_token_seconds_bucket' && s.labels.le === '2' && s.labels.pipeline === 'rag-chat'
    const isTotal = (s: GeneratedSeries) => s.metric === 'vllm:time_to_first_token_seconds_count' && s.labels.pipeline === 'rag-chat'
    const good = series.filter(isGood).reduce((sum, s) => sum + increase(s, atSeconds, 3600), 0)
    const total = series.filter(isTotal).reduce((sum, s) => sum + increase(s, atSeconds, 3600), 0)
    expect(status.windows.find((w) => w.window === '1h')!.errorRatio).toBeCloseTo(1 - good / total, 6)
  })

  it('budgets a threshold SLI by the share of slices over the threshold', async () => {
    const slo = { ...example('gpu-memory-headroom'), periodDays: 1 }
    const status = await evaluateSlo(source, slo, at)
    // one slice per minute: the fullest GPU's framebuffer share at each sample
    const used = series.filter((s) => s.metric === 'DCGM_FI_DEV_FB_USED')
    const free = series.filter((s) => s.metric === 'DCGM_FI_DEV_FB_FREE')
    const shareAt = (t: number) => Math.max(...used.map((u, i) => { const uv = u.points.find(([pt]) => pt === t)![1]; return uv / (uv + free[i].points.find(([pt]) => pt === t)![1]) }))
    const slices = used[0].points.map(([t]) => t).filter((t) => t > atSeconds - 6 * 3600 && t <= atSeconds)
    const bad = slices.filter((t) => !(shareAt(t) < 0.95)).length
    expect(status.windows.find((w) => w.window === '6h')!.errorRatio).toBeCloseTo(bad / slices.length, 9)
    expect(bad).toBeGreaterThan(0)
  })

  it('draws budget and burn charts that end on the status values', async () => {
    const slo = example('rag-chat-availability')
    const charts = await sloCharts(source, slo, at, 6 * 3600)
    expect(charts.sli.length).toBeGreaterThan(50)
    const status = await evaluateSlo(source, slo, at)
    const lastBurn = charts.burnRate.at(-1)!
    expect(lastBurn[0]).toBe(atSeconds)
    expect(lastBurn[1]).toBeCloseTo(status.windows.find((w) => w.window === '1h')!.burnRate!, 3)
    // the rolling budget from 5-minute steps agrees with the direct 30-day ratio to within one step's rounding
    const lastBudget = charts.budgetRemaining.at(-1)!
    expect(lastBudget[1]!).toBeCloseTo(status.budgetRemaining!, 1)
    expect(charts.budgetRemaining[0][1]!).toBeGreaterThan(lastBudget[1]!)
  })
})
