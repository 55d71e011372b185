import { describe, expect, it } from 'vitest'
import { countDelta, percentText, pointsDelta } from './format'
import { escapeMarkdown, reviewMarkdown } from './markdown'
import { ttxStats } from './stats'
import type { WeeklyReview } from './types'

const none = ttxStats([], new Date())

function review(overrides: Partial<WeeklyReview> = {}): WeeklyReview {
  return {
    period: { start: '2026-11-16T00:00:00.000Z', end: '2026-11-23T00:00:00.000Z', asOf: '2026-11-23T00:00:00.000Z', label: 'week of 16 Nov 2026', week: '2026-11-16', weekStart: 'monday', search: 'week=2026-11-16', previous: { start: '2026-11-09T00:00:00.000Z', end: '2026-11-16T00:00:00.000Z' } },
    navigation: { previous: '2026-11-09', next: '2026-11-23', current: '2026-11-23' },
    generatedAt: '2026-11-25T10:00:00.000Z',
    telemetry: { source: 'Prometheus', isDemo: false, problem: null },
    slos: [
      {
        name: 'rag-chat-availability',
        displayName: 'rag-chat answers without a gateway error',
        service: 'rag-chat',
        objective: 0.999,
        periodDays: 30,
        sliKind: 'ratio',
        compliance: 0.9985,
        previousCompliance: 0.9995,
        consumed: 0.35,
        previousConsumed: 0.12,
        budgetRemaining: 0.4,
        previousBudgetRemaining: 0.7,
        charts: null,
        incidents: [{ number: 42, title: 'GPU OOM on <gpu-node-2>', severity: 'SEV1', start: '2026-11-18T10:00:00.000Z', end: '2026-11-18T11:10:00.000Z', consumed: 0.3, errorRatio: 0.02 }],
        usesRecordedSeries: true,
        error: null,
      },
    ],
    incidents: {
      list: [{ number: 42, title: 'GPU OOM on <gpu-node-2>', severity: 'SEV1', status: 'resolved', pipeline: 'rag-chat', startedAt: '2026-11-18T10:00:00.000Z', resolvedAt: '2026-11-18T11:10:00.000Z', errorState: 'runtime', pathway: 'infrastructure', failureClass: 'gpu-oom', failureClassTitle: 'GPU out-of-memory (KV cache, batch size, fragmentation)', postmortem: { number: 3, status: 'draft' } }],
      count: 1,
      previousCount: 3,
      byFailureClass: [{ id: 'gpu-oom', label: 'GPU out-of-memory', count: 1, previousCount: 0 }],
      byPathway: [{ id: 'infrastructure', label: 'Infrastructure', count: 1, previousCount: 0 }],
      byErrorState: [{ id: null, label: 'unclassified', count: 0, previousCount: 3 }],
      ttx: none,
      previousTtx: none,
    },
    actionItems: {
      opened: 2,
      previousOpened: 0,
      closed: 1,
      previousClosed: 1,
      overdueAtEnd: 0,
      previousOverdueAtEnd: 1,
      open: [{ number: 9, title: 'Cap max_num_seqs | add [KV] alert', ownerName: 'Ada', dueDate: '2026-11-20', status: 'in_progress', priority: 'p1', isOverdue: true, postmortemNumber: 3, incidentNumber: 42 }],
      overdueNow: 1,
    },
    postmortemsDue: [{ incidentNumber: 42, title: 'GPU OOM on <gpu-node-2>', severity: 'SEV1', resolvedAt: '2026-11-18T11:10:00.000Z', postmortem: { number: 3, status: 'draft' } }],
    ...overrides,
  }
}

describe('the review as markdown', () => {
  const text = reviewMarkdown(review(), 'https://firebreak.example')

  it('has every section, with absolute links to the review, SLOs, incidents and postmortems', () => {
    for (const heading of ['# Weekly SLO review: week of 16 Nov 2026', '## SLOs', '### Budget burned by incidents', '## Incidents', '### By failure class', '### By pathway', '### By error state', '### Response times', '## Action items', '## Postmortems due']) {
      expect(text).toContain(heading)
    }
    expect(text).toContain('https://firebreak.example/review?week=2026-11-16')
    expect(text).toContain('(https://firebreak.example/slos/rag-chat-availability)')
    expect(text).toContain('[INC-42](https://firebreak.example/incidents/42)')
    expect(text).toContain('[PM-3](https://firebreak.example/postmortems/3) is draft')
  })

  it('shows compliance against the objective, budget consumed and remaining with the previous period, and what the incident burned', () => {
    expect(text).toContain('| 99.85 % (missed) | −0.100 pp | 35 % (previous 12 %) | 40 % (previous 70 %) |')
    expect(text).toMatch(/INC-42\].*\| SEV1 \| 2026-11-18 10:00 UTC to 2026-11-18 11:10 UTC \| 30 % \|/)
    expect(text).toContain('AI-9 Cap max\\_num\\_seqs \\| add \\[KV\\] alert **(overdue)**')
    // the incident list names the failure class as people read it, not its id
    expect(text).toContain('| rag\\-chat | GPU out\\-of\\-memory \\(KV cache, batch size, fragmentation\\) | [PM-3]')
  })

  it('escapes what people typed so it stays text', () => {
    expect(text).toContain('GPU OOM on \\<gpu\\-node\\-2\\>')
    expect(text).not.toContain('<gpu-node-2>')
    expect(escapeMarkdown('<script>alert(1)</script>\n# x')).toBe('\\<script\\>alert\\(1\\)\\</script\\> \\# x')
  })

  it('says which backend is down since when instead of numbers', () => {
    const down = reviewMarkdown(review({ telemetry: { source: 'Prometheus', isDemo: false, problem: { message: 'Prometheus is unreachable', down: { backend: 'Prometheus', downSince: '2026-11-25T09:58:00.000Z', error: 'Prometheus is unreachable' } } } }))
    expect(down).toContain('> **SLO numbers unavailable:** Prometheus has not answered since 2026-11-25 09:58 UTC: Prometheus is unreachable')
    expect(down).toContain('Live page: /review?week=2026-11-16')
  })
})

describe('numbers as the review writes them', () => {
  it('signs deltas and drops trailing zeros', () => {
    expect(percentText(0.999)).toBe('99.9 %')
    expect(percentText(null)).toBe('—')
    expect(pointsDelta(0.4, 0.7)).toBe('−30.0 pp')
    expect(pointsDelta(0.35, 0.12)).toBe('+23.0 pp')
    expect(pointsDelta(0.5, 0.5)).toBe('±0 pp')
    expect(pointsDelta(null, 0.5)).toBe('—')
    expect(countDelta(3, 1)).toBe('+2')
    expect(countDelta(1, 3)).toBe('−2')
  })
})
