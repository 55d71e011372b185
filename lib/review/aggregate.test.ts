import { describe, expect, it } from 'vitest'
import { actionItemCounts, breakdown, failureClassLabel, incidentsStartedIn, openActionItems, pathwayLabel, postmortemsDue, wasOverdueAt, type ActionItemInput, type IncidentRow } from './aggregate'
import { describeDurations, median, percentile, ttxStats } from './stats'

const week = { start: new Date('2026-11-16T00:00:00Z'), end: new Date('2026-11-23T00:00:00Z') }
const previous = { start: new Date('2026-11-09T00:00:00Z'), end: week.start }
const now = new Date('2026-11-25T10:00:00Z')

function incident(number: number, fields: Partial<IncidentRow> = {}): IncidentRow {
  const startedAt = fields.startedAt ?? new Date('2026-11-18T10:00:00Z')
  return {
    number,
    title: `incident ${number}`,
    severity: 'SEV2',
    status: 'resolved',
    pipeline: 'rag-chat',
    startedAt,
    detectedAt: new Date(startedAt.getTime() + 2 * 60_000),
    acknowledgedAt: null,
    mitigatedAt: null,
    resolvedAt: null,
    errorState: null,
    pathway: null,
    failureClass: null,
    postmortem: null,
    ...fields,
  }
}

function item(number: number, fields: Partial<ActionItemInput> = {}): ActionItemInput {
  return {
    number,
    title: `item ${number}`,
    ownerName: null,
    dueDate: null,
    status: 'open',
    priority: 'p2',
    createdAt: new Date('2026-11-17T09:00:00Z'),
    closedAt: null,
    updatedAt: new Date('2026-11-17T09:00:00Z'),
    postmortemNumber: 1,
    incidentNumber: 1,
    ...fields,
  }
}

describe('incidents by failure class, pathway and error state', () => {
  it('counts both periods, most frequent first, unclassified last, with the taxonomy titles', () => {
    const current = [incident(1, { failureClass: 'gpu-oom', pathway: 'infrastructure' }), incident(2, { failureClass: 'gpu-oom', pathway: 'infrastructure' }), incident(3), incident(4, { failureClass: 'misrouting', pathway: 'integration' })]
    const before = [incident(5, { failureClass: 'token-budget-exhaustion', pathway: 'model' }), incident(6)]
    const rows = breakdown(current, before, (i) => i.failureClass, failureClassLabel)
    expect(rows.map((r) => [r.id, r.count, r.previousCount])).toEqual([
      ['gpu-oom', 2, 0],
      ['misrouting', 1, 0],
      ['token-budget-exhaustion', 0, 1],
      [null, 1, 1],
    ])
    expect(rows[0].label).toBe('GPU out-of-memory (KV cache, batch size, fragmentation)')
    expect(rows[3].label).toBe('unclassified')
    expect(breakdown(current, before, (i) => i.pathway, pathwayLabel).map((r) => r.label)).toEqual(['Infrastructure', 'Integration', 'Model', 'unclassified'])
  })

  it('takes the incidents that started in the period', () => {
    const rows = [incident(1, { startedAt: new Date('2026-11-15T23:59:00Z') }), incident(2, { startedAt: week.start }), incident(3, { startedAt: week.end })]
    expect(incidentsStartedIn(rows, week).map((i) => i.number)).toEqual([2])
  })
})

describe('postmortems due', () => {
  it('lists SEV1 and SEV2 incidents resolved in the period without a published postmortem', () => {
    const resolved = new Date('2026-11-19T12:00:00Z')
    const rows = [
      incident(1, { severity: 'SEV1', resolvedAt: resolved }),
      incident(2, { severity: 'SEV2', resolvedAt: new Date('2026-11-18T12:00:00Z'), postmortem: { number: 7, status: 'draft' } }),
      incident(3, { severity: 'SEV2', resolvedAt: resolved, postmortem: { number: 8, status: 'published' } }),
      incident(4, { severity: 'SEV3', resolvedAt: resolved }),
      incident(5, { severity: 'SEV1', resolvedAt: new Date('2026-11-24T00:00:00Z') }),
      incident(6, { severity: 'SEV1', resolvedAt: null, status: 'mitigated' }),
    ]
    expect(postmortemsDue(rows, week)).toEqual([
      { incidentNumber: 2, title: 'incident 2', severity: 'SEV2', resolvedAt: '2026-11-18T12:00:00.000Z', postmortem: { number: 7, status: 'draft' } },
      { incidentNumber: 1, title: 'incident 1', severity: 'SEV1', resolvedAt: '2026-11-19T12:00:00.000Z', postmortem: null },
    ])
  })
})

describe('action items', () => {
  it('counts opened and closed in each period and what was overdue at its end', () => {
    const items = [
      item(1), // opened this week, open, no due date
      item(2, { createdAt: new Date('2026-11-10T00:00:00Z'), status: 'done', closedAt: new Date('2026-11-18T00:00:00Z'), dueDate: new Date('2026-11-14T00:00:00Z') }),
      item(3, { createdAt: new Date('2026-11-10T00:00:00Z'), dueDate: new Date('2026-11-20T00:00:00Z') }), // overdue at the week's end
      item(4, { createdAt: new Date('2026-11-11T00:00:00Z'), status: 'wont_do', closedAt: new Date('2026-11-12T00:00:00Z') }),
      item(5, { createdAt: new Date('2026-11-10T00:00:00Z'), status: 'done', closedAt: null, updatedAt: new Date('2026-11-20T00:00:00Z') }), // closed before closedAt was kept
    ]
    expect(actionItemCounts(items, week)).toEqual({ opened: 1, closed: 2, overdueAtEnd: 1 })
    // the week before: 4 opened, one closed; item 2 was due on the 14th and still open on the 16th
    expect(actionItemCounts(items, previous)).toEqual({ opened: 4, closed: 1, overdueAtEnd: 1 })
  })

  it('is overdue from the day after its due date, and not once closed', () => {
    const due = item(1, { dueDate: new Date('2026-11-20T00:00:00Z') })
    expect(wasOverdueAt(due, new Date('2026-11-20T23:00:00Z'))).toBe(false)
    expect(wasOverdueAt(due, new Date('2026-11-21T00:00:00Z'))).toBe(true)
    expect(wasOverdueAt({ ...due, status: 'done', closedAt: new Date('2026-11-20T12:00:00Z') }, new Date('2026-11-22T00:00:00Z'))).toBe(false)
  })

  it('lists open items now, overdue first, then by due date', () => {
    const rows = openActionItems(
      [
        item(1, { dueDate: new Date('2026-12-01T00:00:00Z') }),
        item(2, { dueDate: new Date('2026-11-20T00:00:00Z'), status: 'in_progress' }),
        item(3),
        item(4, { status: 'done', closedAt: now }),
        item(5, { dueDate: new Date('2026-11-24T00:00:00Z'), priority: 'p0' }),
      ],
      now,
    )
    expect(rows.map((r) => [r.number, r.isOverdue, r.dueDate])).toEqual([
      [2, true, '2026-11-20'],
      [5, true, '2026-11-24'],
      [1, false, '2026-12-01'],
      [3, false, null],
    ])
  })
})

describe('time to detect, acknowledge, mitigate and resolve', () => {
  it('uses nearest-rank percentiles and the middle value', () => {
    expect(percentile([5, 1, 4, 2, 3, 6, 7, 8, 9, 10], 90)).toBe(9)
    expect(percentile([3], 90)).toBe(3)
    expect(percentile([], 90)).toBeNull()
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(describeDurations([60_000, 120_000, 600_000])).toEqual({ count: 3, medianMs: 120_000, p90Ms: 600_000, meanMs: 260_000 })
  })

  it('counts each incident only for the steps it reached', () => {
    const start = new Date('2026-11-18T10:00:00Z')
    const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000)
    const stats = ttxStats(
      [
        { startedAt: start, detectedAt: at(2), acknowledgedAt: at(7), mitigatedAt: at(30), resolvedAt: at(90) },
        { startedAt: start, detectedAt: at(4), acknowledgedAt: at(5), mitigatedAt: null, resolvedAt: null },
      ],
      now,
    )
    expect(stats.detect).toEqual({ count: 2, medianMs: 3 * 60_000, p90Ms: 4 * 60_000, meanMs: 3 * 60_000 })
    expect(stats.acknowledge.medianMs).toBe(3 * 60_000) // 5 and 1 minutes after detection
    expect(stats.mitigate).toEqual({ count: 1, medianMs: 30 * 60_000, p90Ms: 30 * 60_000, meanMs: 30 * 60_000 })
    expect(stats.resolve.count).toBe(1)
  })
})
