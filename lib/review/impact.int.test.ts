/**
 * The error budget an incident consumed, read through Firebreak's Prometheus adapter from a real Prometheus holding a
 * backfilled GPU-OOM scenario, equals the value computed here independently from the generated samples: counter
 * increases over the incident window for the availability SLO, failing one-minute slices for the headroom SLO.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBackfilledPrometheus, type RunningServer } from '@/e2e/support/observability'
import type { EvaluableSlo } from '@/lib/slo/evaluate'
import { importOpenSlo } from '@/lib/slo/openslo'
import { PrometheusSource } from '@/lib/telemetry/prometheus'
import { GPU_OOM } from '@/lib/telemetry/scenarios/library'
import { generateSeries, scenarioStart, type GeneratedSeries } from '@/lib/telemetry/scenarios/model'
import { incidentBudgetImpact } from './impact'

const examples = importOpenSlo(fs.readFileSync(path.resolve(import.meta.dirname, '../../examples/openslo/llm-inference.yaml'), 'utf8'))
const example = (name: string): EvaluableSlo => ({ ...examples.find((s) => s.name === name)!, alerting: 'sre-workbook', minEvents: 0 })

/** What a counter added during (from, to]: its value at `to` minus its value at `from`, both generated samples. */
function addedDuring(series: GeneratedSeries, from: number, to: number): number {
  const at = (t: number) => series.points.find(([pt]) => pt === t)?.[1]
  const first = at(from)
  const last = at(to)
  if (first === undefined || last === undefined) throw new Error(`${series.metric} has no sample at ${from} or ${to}`)
  return last - first
}

describe('budget consumed by an incident, from a real Prometheus', () => {
  // the scenario ends on a whole hour an hour ago (in the past, so the backfilled blocks do not overlap the head)
  const end = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000)
  const series = generateSeries(GPU_OOM, end)
  const begin = scenarioStart(GPU_OOM, end).getTime()
  // the incident: from 10 minutes after onset (errors start rising at +20) to 80 minutes after, resolved
  const incident = { start: new Date(begin + (GPU_OOM.onsetMinute! + 10) * 60_000), end: new Date(begin + (GPU_OOM.onsetMinute! + 80) * 60_000) }
  const from = incident.start.getTime() / 1000
  const to = incident.end.getTime() / 1000
  const hours = (to - from) / 3600
  let prometheus: RunningServer
  let source: PrometheusSource

  beforeAll(async () => {
    prometheus = await startBackfilledPrometheus({ series })
    source = new PrometheusSource({ url: prometheus.url })
  }, 60_000)
  afterAll(() => prometheus?.stop())

  it('an availability SLO: the 503 share of requests over the incident, as a share of the 30-day budget', async () => {
    const slo = example('rag-chat-availability')
    const gateway = series.filter((s) => s.metric === 'http_requests_total' && s.labels.job === 'llm-gateway' && s.labels.pipeline === 'rag-chat')
    const bad = gateway.filter((s) => /^5/.test(s.labels.code)).reduce((sum, s) => sum + addedDuring(s, from, to), 0)
    const total = gateway.reduce((sum, s) => sum + addedDuring(s, from, to), 0)
    const errorRatio = bad / total
    // share of the budget: (errors / budget) x (incident hours / period hours), written out rather than via burn-rate.ts
    const expected = (errorRatio / (1 - 0.999)) * (hours / (30 * 24))

    const [impact] = await incidentBudgetImpact(source, [slo], incident)
    expect(impact.error).toBeUndefined()
    expect(impact.errorRatio!).toBeCloseTo(errorRatio, 9)
    expect(impact.consumed!).toBeCloseTo(expected, 6)
    // a quarter of one node's third of the traffic failing for most of the incident: several percent of a month's budget
    expect(impact.consumed!).toBeGreaterThan(0.05)
  })

  it('a threshold SLO: the share of one-minute slices with the fullest GPU at or above 95 % framebuffer', async () => {
    const slo = example('gpu-memory-headroom')
    const used = series.filter((s) => s.metric === 'DCGM_FI_DEV_FB_USED')
    const free = series.filter((s) => s.metric === 'DCGM_FI_DEV_FB_FREE')
    const valueAt = (s: GeneratedSeries, t: number) => s.points.find(([pt]) => pt === t)![1]
    const fullestAt = (t: number) => Math.max(...used.map((u, i) => valueAt(u, t) / (valueAt(u, t) + valueAt(free[i], t))))
    const slices = used[0].points.map(([t]) => t).filter((t) => t > from && t <= to)
    const failing = slices.filter((t) => !(fullestAt(t) < 0.95)).length
    const expected = (failing / slices.length / (1 - slo.objective)) * (hours / (slo.periodDays * 24))

    const [impact] = await incidentBudgetImpact(source, [slo], incident)
    expect(slices).toHaveLength(70)
    expect(failing).toBeGreaterThan(0)
    expect(impact.errorRatio!).toBeCloseTo(failing / slices.length, 9)
    expect(impact.consumed!).toBeCloseTo(expected, 9)
  })

  it('before the onset nothing but the baseline error rate is burned', async () => {
    const quiet = { start: new Date(begin + 60 * 60_000), end: new Date(begin + 120 * 60_000) }
    const [impact] = await incidentBudgetImpact(source, [example('rag-chat-availability')], quiet)
    // every node's healthy 0.05 % errors: half the budget rate, for one hour of 720
    expect(impact.consumed!).toBeCloseTo((0.0005 / 0.001) * (1 / 720), 7)
  })

  it('a Prometheus that stopped answering gives consumed null with the reason, not an exception', async () => {
    const gone = new PrometheusSource({ url: 'http://127.0.0.1:9', timeoutMs: 2000 })
    const rows = await incidentBudgetImpact(gone, [example('rag-chat-availability'), example('gpu-memory-headroom')], incident)
    expect(rows).toHaveLength(2)
    for (const row of rows) expect(row).toMatchObject({ consumed: null, errorRatio: null, error: 'Prometheus is unreachable' })
  })
})
