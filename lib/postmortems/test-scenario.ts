/**
 * A named scenario for the postmortem's pure tests: INC-42 on rag-chat, answers cut off by max_tokens (token-budget
 * exhaustion, seed 003), detected by the length-terminated-share alert, worked with its runbook, resolved after 55 min.
 * The shapes are the database rows' (Alertmanager labels and annotations, checklist ticks, a recorded classification).
 */
import type { RecordedStep } from '@/lib/classify/record'
import type { FactsSource } from './facts'

const t = (minutes: number) => new Date(Date.parse('2026-11-20T09:00:00.000Z') + minutes * 60_000)

export const TOKEN_BUDGET_CLASSIFICATION_STEPS: RecordedStep[] = [
  {
    step: 'failureClass',
    answer: 'token-budget-exhaustion',
    proposed: 'token-budget-exhaustion',
    confidence: 0.8,
    overridden: false,
    evidence: [
      { ruleId: 'length-share', title: 'Length-terminated share of generations', source: 'prometheus', status: 'holds', value: 0.12, threshold: 0.05, comparison: '>', effects: ['supports token-budget-exhaustion (weight 1)'], query: 'sum(rate(vllm:request_success_total{finished_reason="length"}[5m])) / sum(rate(vllm:request_success_total[5m]))' },
      { ruleId: 'gpu-fb', title: 'GPU framebuffer used at peak', source: 'prometheus', status: 'doesNotHold', value: 0.71, threshold: 0.95, comparison: '>', effects: ['rules out gpu-oom (weight 0.8)'] },
    ],
    missing: [],
  },
]

export function tokenBudgetIncident(overrides: Partial<FactsSource> = {}): FactsSource {
  return {
    capturedAt: t(120),
    incident: {
      number: 42,
      title: 'rag-chat answers cut off mid-sentence',
      severity: 'SEV2',
      status: 'resolved',
      pipeline: 'rag-chat',
      models: ['llama-3.1-70b-instruct'],
      commanderName: 'Rae Responder',
      startedAt: t(0),
      detectedAt: t(4),
      acknowledgedAt: t(6),
      mitigatedAt: t(40),
      resolvedAt: t(55),
    },
    classification: { revision: 2, errorState: 'degraded-output', pathway: 'model', failureClass: 'token-budget-exhaustion', decidedByName: 'Rae Responder', decidedAt: t(12), steps: TOKEN_BUDGET_CLASSIFICATION_STEPS },
    ticks: [
      { runbookId: 'token-budget-exhaustion', itemKey: 'a1', itemText: 'Check the length-terminated share per model', checked: true, byName: 'Rae Responder', at: t(14) },
      { runbookId: 'token-budget-exhaustion', itemKey: 'a2', itemText: 'Raise `max_tokens` for the affected route', checked: true, byName: 'Rae Responder', at: t(30) },
      { runbookId: 'token-budget-exhaustion', itemKey: 'gone', itemText: 'A step since edited out of the runbook', checked: true, byName: 'Rae Responder', at: t(31) },
      { runbookId: 'token-budget-exhaustion', itemKey: 'a3', itemText: 'Confirm the share is back under 5 %', checked: false, byName: 'Rae Responder', at: t(50) },
    ],
    runbooks: [{ id: 'token-budget-exhaustion', title: 'Token-budget exhaustion (finish_reason = length)', checklistKeys: ['a1', 'a2', 'a3', 'a4', 'a5'] }],
    alerts: [
      {
        alertname: 'LengthTerminatedShareHigh',
        status: 'resolved',
        labels: { alertname: 'LengthTerminatedShareHigh', severity: 'page', pipeline: 'rag-chat' },
        annotations: { summary: '12 % of generations stop at max_tokens' },
        startsAt: t(0),
        endsAt: t(55),
      },
    ],
    alertTotal: 1,
    alertFiring: 0,
    sloImpact: {
      status: 'measured',
      reason: null,
      source: 'Prometheus',
      window: { start: t(0).toISOString(), end: t(55).toISOString() },
      slos: [{ slo: 'rag-chat-answer-complete', service: 'rag-chat', objective: 0.995, consumed: 0.183, errorRatio: 0.0333 }],
    },
    ...overrides,
  }
}

export const TOKEN_BUDGET_TIMELINE = [
  { id: 11n, at: t(4), kind: 'opened', actorName: null, body: 'Opened from Alertmanager: LengthTerminatedShareHigh' },
  { id: 12n, at: t(6), kind: 'status', actorName: 'Rae Responder', body: 'Status triggered → acknowledged' },
  { id: 13n, at: t(20), kind: 'note', actorName: 'Rae Responder', body: 'Refund answers are the longest; they hit max_tokens first' },
  { id: 14n, at: t(55), kind: 'status', actorName: 'Rae Responder', body: 'Status mitigated → resolved' },
]
