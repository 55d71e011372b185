/**
 * Gathering over the demo's PromQL evaluator (the same answers as Prometheus: see the parity test) and over
 * Prometheus adapters pointed at backends that refuse or hang. The real-Prometheus runs are in
 * classify.int.test.ts.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, describe, expect, it } from 'vitest'
import { DEFAULT_FLEET_CONFIG } from '@/lib/fleet/config'
import { DemoMetricsSource } from '@/lib/telemetry/demo/demo-source'
import { PrometheusSource } from '@/lib/telemetry/prometheus'
import { GPU_OOM, SLOW_MODEL_LOADING, TOKEN_BUDGET } from '@/lib/telemetry/scenarios/library'
import type { Scenario } from '@/lib/telemetry/scenarios/model'
import { DEFAULT_TRACE_CONFIG } from '@/lib/traces/config'
import { allowedAnswers } from './evaluate'
import { chartExpression, gatherStep, hostOf, incidentWindow, scopeFromAlerts, type GatherOptions, type IncidentForClassification } from './gather'

const startsAt = new Date('2026-11-22T00:00:00Z')
const minute = (m: number) => new Date(startsAt.getTime() + m * 60_000)
const now = minute(360)

function incidentOf(scenario: Scenario): IncidentForClassification {
  const first = Math.min(...scenario.alerts.map((a) => a.startsAtMinute))
  const ends = scenario.alerts.map((a) => a.endsAtMinute).filter((m): m is number => m !== undefined)
  return {
    number: 1,
    pipeline: 'rag-chat',
    models: ['llama-3-70b-instruct'],
    startedAt: minute(first),
    resolvedAt: ends.length === scenario.alerts.length ? minute(Math.max(...ends)) : null,
    alerts: scenario.alerts.map((a) => ({ labels: a.labels, status: 'firing' })),
  }
}

function options(metrics: GatherOptions['metrics']): GatherOptions {
  return { metrics, traces: [], fleet: DEFAULT_FLEET_CONFIG, traceConfig: DEFAULT_TRACE_CONFIG, now, timeoutMs: 20_000 }
}

async function walk(scenario: Scenario, metrics: GatherOptions['metrics']) {
  const incident = incidentOf(scenario)
  const es = await gatherStep('errorState', incident, options(metrics))
  const pw = await gatherStep('pathway', incident, { ...options(metrics), evaluate: { allowed: allowedAnswers('pathway', { errorState: es.proposal.answer }) } })
  const fc = await gatherStep('failureClass', incident, { ...options(metrics), evaluate: { allowed: allowedAnswers('failureClass', { errorState: es.proposal.answer, pathway: pw.proposal.answer }) } })
  return { es, pw, fc }
}

describe('gatherStep over the scenarios', () => {
  it('GPU OOM: runtime, infrastructure, gpu-oom, scoped to the pipeline’s nodes, with a chart of the peak signals', async () => {
    const source = DemoMetricsSource.forScenarios([{ scenario: GPU_OOM, startsAt }], { now: () => now, historyDays: 1 })
    const { es, pw, fc } = await walk(GPU_OOM, source)
    expect([es.proposal.answer, pw.proposal.answer, fc.proposal.answer]).toEqual(['runtime', 'infrastructure', 'gpu-oom'])
    expect(es.scope.nodes).toContain('gpu-node-2')
    expect(es.scope.pods.length).toBe(3)
    const peak = fc.evidence.find((e) => e.ruleId === 'fc-gpu-memory-peak')!
    expect(peak.status).toBe('holds')
    expect(peak.answers).toContain('gpu-oom')
    expect(peak.value).toBeGreaterThan(0.95)
    expect(peak.query).toContain('Hostname=~')
    // the length-terminated share stays at 1.5 %: observed, and it does not hold
    expect(fc.evidence.find((e) => e.ruleId === 'fc-length-terminated')!.status).toBe('doesNotHold')
    expect(fc.charts.some((c) => c.ruleId === 'fc-ttft-high' && c.points.length > 10)).toBe(true)
  })

  it('slow model loading is told from a runtime failure by silence before the first request', async () => {
    const source = DemoMetricsSource.forScenarios([{ scenario: SLOW_MODEL_LOADING, startsAt }], { now: () => now, historyDays: 1 })
    const { es, pw, fc } = await walk(SLOW_MODEL_LOADING, source)
    expect([es.proposal.answer, pw.proposal.answer, fc.proposal.answer]).toEqual(['loading', 'infrastructure', 'slow-model-loading'])
    const before = es.evidence.find((e) => e.ruleId === 'es-silent-before-first-request')!
    const after = es.evidence.find((e) => e.ruleId === 'es-silent-after-first-request')!
    expect(before.status).toBe('holds')
    expect(after.status).toBe('doesNotHold')
    // the loading replicas were restarted by their probes, but never served: not a crash under load
    expect(es.evidence.find((e) => e.ruleId === 'es-restarts-after-serving')!.status).toBe('doesNotHold')
  })

  it('says what is missing and still proposes from the alerts when no metrics backend is configured', async () => {
    const withMetrics = await gatherStep('failureClass', incidentOf(TOKEN_BUDGET), options(DemoMetricsSource.forScenarios([{ scenario: TOKEN_BUDGET, startsAt }], { now: () => now, historyDays: 1 })))
    const without = await gatherStep('failureClass', incidentOf(TOKEN_BUDGET), options(null))
    expect(without.backends.metrics.state).toBe('none')
    expect(without.notes).toContain('no metrics backend is configured (PROMETHEUS_URL)')
    expect(without.evidence.filter((e) => e.source === 'prometheus').every((e) => e.status === 'missing')).toBe(true)
    expect(withMetrics.proposal.answer).toBe('token-budget-exhaustion')
    expect(without.proposal.confidence).toBeLessThan(withMetrics.proposal.confidence)
  })

  it('names the signals with no series in scope instead of reading their absence as "nothing happened"', async () => {
    const source = DemoMetricsSource.forScenarios([{ scenario: TOKEN_BUDGET, startsAt }], { now: () => now, historyDays: 1 })
    const es = await gatherStep('errorState', incidentOf(TOKEN_BUDGET), options(source))
    expect(es.notes.some((n) => n.startsWith('no rabbitmq_queue_messages_ready'))).toBe(true)
    expect(es.evidence.find((e) => e.ruleId === 'es-queue-stalled')!.status).toBe('missing')
  })
})

describe('gatherStep when Prometheus fails', () => {
  const hanging = http.createServer(() => {
    /* never answers */
  })
  afterAll(() => {
    hanging.closeAllConnections()
    return new Promise<void>((resolve) => hanging.close(() => resolve()))
  })

  it('a refused connection: the backend is down, its evidence missing, the alerts still count', async () => {
    const dead = new PrometheusSource({ url: 'http://127.0.0.1:9', timeoutMs: 2_000 })
    const step = await gatherStep('failureClass', incidentOf(TOKEN_BUDGET), { ...options(dead), timeoutMs: 3_000 })
    expect(step.backends.metrics.state).toBe('down')
    expect(step.notes.some((n) => /is unavailable/.test(n))).toBe(true)
    expect(step.evidence.filter((e) => e.source === 'prometheus').every((e) => e.status === 'missing')).toBe(true)
    // with no evidence left the wizard does not guess: "don't know" leads to triage
    expect(step.proposal.answer).toBeNull()
    expect(step.proposal.dontKnow?.href).toBe('/runbooks/triage')
  })

  it('a backend that hangs: the step returns at its deadline with partial results', async () => {
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve))
    const port = (hanging.address() as AddressInfo).port
    const slow = new PrometheusSource({ url: `http://127.0.0.1:${port}`, timeoutMs: 30_000 })
    const started = Date.now()
    const step = await gatherStep('errorState', { ...incidentOf(TOKEN_BUDGET), alerts: [{ labels: { category: 'prompt-injection' }, status: 'firing' }] }, { ...options(slow), timeoutMs: 800 })
    expect(Date.now() - started).toBeLessThan(3_000)
    expect(step.backends.metrics.state).toBe('timeout')
    expect(step.notes.some((n) => /did not answer within 0\.8 s/.test(n))).toBe(true)
    // the alert evidence needs no backend
    expect(step.proposal.answer).toBe('security')
  })
})

describe('pure parts', () => {
  it('the window runs from a lead-in before the start to the resolution, or now', () => {
    const w = incidentWindow({ startedAt: minute(100), resolvedAt: minute(160) }, now, 15)
    expect([w.start, w.end]).toEqual([minute(85), minute(160)])
    expect(incidentWindow({ startedAt: minute(100), resolvedAt: null }, now, 0).end).toEqual(now)
  })

  it('reads nodes and pods from alert labels and hosts from scrape targets', () => {
    expect(scopeFromAlerts([{ labels: { node: 'n1', pod: 'p1' }, status: 'firing' }, { labels: { Hostname: 'n2' }, status: 'firing' }])).toEqual({ nodes: ['n1', 'n2'], pods: ['p1'] })
    expect(hostOf('gpu-node-2:8000')).toBe('gpu-node-2')
    expect(hostOf('[::1]:8000')).toBe('::1')
  })

  it('charts the inner expression of a peak query only', () => {
    expect(chartExpression('max(max_over_time((sum(x) / sum(y))[5400s:60s]))')).toBe('sum(x) / sum(y)')
    expect(chartExpression('max(max_over_time(x[5400s]))')).toBeNull()
  })
})

describe('which traces the wizard examines', () => {
  it('failed requests first, then a share of each quarter of the window, so a resolved incident is not judged on its recovery', async () => {
    const { traceSearches } = await import('./gather')
    const searches = traceSearches({ start: minute(0), end: minute(80) }, 20, 'rag-chat')
    expect(searches[0]).toMatchObject({ status: 'error', limit: 4, attributes: { pipeline: 'rag-chat' } })
    expect(searches.slice(1).map((s) => [s.start, s.end, s.limit])).toEqual([
      [minute(0), minute(20), 4],
      [minute(20), minute(40), 4],
      [minute(40), minute(60), 4],
      [minute(60), minute(80), 4],
    ])
    expect(searches.reduce((n, s) => n + s.limit, 0)).toBe(20)
  })
})

describe('shares at low traffic', () => {
  /** 30 minutes of one vLLM server's completions at `rps`, a fifth of them stopped by max_tokens. */
  async function lengthShareAt(rps: number) {
    const { GeneratedSeriesStore } = await import('@/lib/telemetry/demo/store')
    const labels = { pipeline: 'rag-chat', model_name: 'llama-3-70b-instruct', namespace: 'inference', pod: 'rag-chat-1', instance: 'gpu-node-1:8000' }
    const counter = (perSecond: number) => Array.from({ length: 31 }, (_, m): [number, number] => [minute(m).getTime() / 1000, perSecond * 60 * m])
    const store = new GeneratedSeriesStore([
      { metric: 'vllm:request_success_total', labels: { ...labels, finished_reason: 'stop' }, points: counter(rps * 0.8) },
      { metric: 'vllm:request_success_total', labels: { ...labels, finished_reason: 'length' }, points: counter(rps * 0.2) },
    ])
    const step = await gatherStep('errorState', { number: 1, pipeline: 'rag-chat', models: [], startedAt: minute(15), resolvedAt: minute(30), alerts: [] }, { ...options(new DemoMetricsSource(store)), now: minute(30) })
    return step.evidence.find((e) => e.ruleId === 'es-length-terminated')!
  }

  it('a share over a handful of requests does not count: 20 % of 30 requests per 5 minutes is not evidence, 20 % of 300 is', async () => {
    const quiet = await lengthShareAt(0.1)
    const busy = await lengthShareAt(1)
    expect(busy.status).toBe('holds')
    expect(busy.value).toBeCloseTo(0.2, 5)
    expect(quiet.status).not.toBe('holds')
  })
})
