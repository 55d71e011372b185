/**
 * The step's deadline bounds what a slow Prometheus is asked: nothing new starts after it, the step returns on time
 * with what it has, and a few slow queries are missing evidence, not an outage.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_FLEET_CONFIG } from '@/lib/fleet/config'
import { PrometheusSource } from '@/lib/telemetry/prometheus'
import { DEFAULT_TRACE_CONFIG } from '@/lib/traces/config'
import { gatherStep, type IncidentForClassification } from './gather'

const incident: IncidentForClassification = {
  number: 1,
  pipeline: 'rag-chat',
  models: ['llama-3-70b-instruct'],
  startedAt: new Date('2026-11-22T02:00:00Z'),
  resolvedAt: null,
  alerts: [{ labels: { alertname: 'PromptInjectionFilterHits', category: 'prompt-injection' }, status: 'firing' }],
}

describe('the gathering deadline against a Prometheus that never answers', () => {
  let requests = 0
  const server = http.createServer(() => {
    requests++ // and never answer
  })
  let url = ''
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => {
    server.closeAllConnections()
    return new Promise<void>((resolve) => server.close(() => resolve()))
  })

  it('returns at the deadline, starts nothing after it, and still answers from the alerts', async () => {
    const slow = new PrometheusSource({ url, timeoutMs: 30_000 })
    const started = Date.now()
    const step = await gatherStep('errorState', incident, { metrics: slow, traces: [], fleet: DEFAULT_FLEET_CONFIG, traceConfig: DEFAULT_TRACE_CONFIG, now: new Date('2026-11-22T03:00:00Z'), timeoutMs: 600, concurrency: 4 })
    expect(Date.now() - started).toBeLessThan(2_000)
    const sentByTheDeadline = requests
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(requests).toBe(sentByTheDeadline)
    // scope discovery asks two series lookups at once, and nothing else starts once it has used up the time
    expect(sentByTheDeadline).toBeLessThanOrEqual(4)
    expect(step.backends.metrics.state).toBe('timeout')
    expect(step.proposal.answer).toBe('security')
  })
})
