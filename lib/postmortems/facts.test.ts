import { describe, expect, it } from 'vitest'
import { impactWindow } from '@/lib/review/period'
import { buildFacts, MAX_FACT_ALERTS, readFacts, summarizeImpact } from './facts'
import { tokenBudgetIncident } from './test-scenario'

describe('the facts snapshot', () => {
  it('states the incident with its durations, the classification with its evidence and the alerts', () => {
    const facts = buildFacts(tokenBudgetIncident())
    expect(facts.incident).toMatchObject({ number: 42, pipeline: 'rag-chat', commander: 'Rae Responder', resolvedAt: '2026-11-20T09:55:00.000Z' })
    expect(facts.incident.durations).toMatchObject({ toDetectMs: 4 * 60_000, toAcknowledgeMs: 2 * 60_000, toMitigateMs: 40 * 60_000, toResolveMs: 55 * 60_000 })
    expect(facts.classification).toMatchObject({ failureClass: 'token-budget-exhaustion', failureClassTitle: 'Token-budget exhaustion (finish_reason = length)', revision: 2 })
    expect(facts.classification?.steps[0].evidence.map((e) => e.status)).toEqual(['holds', 'doesNotHold'])
    expect(facts.alerts).toEqual({ total: 1, firing: 0, shown: [{ alertname: 'LengthTerminatedShareHigh', status: 'resolved', severity: 'page', summary: '12 % of generations stop at max_tokens', startsAt: '2026-11-20T09:00:00.000Z', endsAt: '2026-11-20T09:55:00.000Z' }] })
  })

  it('counts checklist progress against the published runbook: a step edited out since does not count toward it', () => {
    const [runbook] = buildFacts(tokenBudgetIncident()).runbooks
    expect(runbook).toMatchObject({ id: 'token-budget-exhaustion', done: 2, total: 5 })
    expect(runbook.steps.map((s) => s.checked)).toEqual([true, true, true, false])
  })

  it('falls back to the ticks when the runbook is gone, and keeps at most the newest alerts', () => {
    const alerts = Array.from({ length: MAX_FACT_ALERTS + 5 }, (_, i) => ({ ...tokenBudgetIncident().alerts[0], alertname: `A${i}` }))
    const facts = buildFacts(tokenBudgetIncident({ runbooks: [], alerts, alertTotal: alerts.length }))
    expect(facts.runbooks[0]).toMatchObject({ title: 'token-budget-exhaustion', done: 3, total: 4 })
    expect(facts.alerts.shown).toHaveLength(MAX_FACT_ALERTS)
    expect(facts.alerts.total).toBe(MAX_FACT_ALERTS + 5)
  })

  it('reads back only what it wrote', () => {
    const facts = buildFacts(tokenBudgetIncident())
    expect(readFacts(JSON.parse(JSON.stringify(facts)))).toEqual(facts)
    expect(readFacts({ incident: {} })).toBeNull()
    expect(readFacts(null)).toBeNull()
  })
})

describe('the SLO impact', () => {
  const window = { start: new Date('2026-11-20T09:00:00Z'), end: new Date('2026-11-20T09:55:00Z') }

  it('charges the window from the start of impact to resolution, or mitigation, or now', () => {
    const now = new Date('2026-11-20T12:00:00Z')
    expect(impactWindow({ startedAt: window.start, mitigatedAt: new Date('2026-11-20T09:40:00Z'), resolvedAt: window.end }, now).end).toEqual(window.end)
    expect(impactWindow({ startedAt: window.start, mitigatedAt: new Date('2026-11-20T09:40:00Z'), resolvedAt: null }, now).end).toEqual(new Date('2026-11-20T09:40:00Z'))
    expect(impactWindow({ startedAt: window.start, mitigatedAt: null, resolvedAt: null }, now).end).toEqual(now)
  })

  it('is measured when one SLO has a figure, unavailable with the backend reason when none has', () => {
    const down = { slo: 'a', service: 'rag-chat', objective: 0.99, consumed: null, errorRatio: null, error: 'Prometheus is unreachable: connect ECONNREFUSED 127.0.0.1:9' }
    expect(summarizeImpact({ source: 'Prometheus', window, slos: [down] })).toMatchObject({ status: 'unavailable', reason: down.error, slos: [down] })
    expect(summarizeImpact({ source: 'Prometheus', window, slos: [down, { ...down, slo: 'b', consumed: 0.2, errorRatio: 0.01, error: undefined }] }).status).toBe('measured')
    expect(summarizeImpact({ source: null, window, slos: [], reason: 'No metrics backend is configured' })).toMatchObject({ status: 'unavailable', reason: 'No metrics backend is configured' })
    expect(summarizeImpact({ source: 'Prometheus', window, slos: [] }).status).toBe('no-slos')
  })
})
