import { describe, expect, it } from 'vitest'
import type { EvaluableSlo } from '@/lib/slo/evaluate'
import { MetricsSourceError, type InstantSample, type MetricsSource, type RangeSeries } from '@/lib/telemetry/metrics-source'
import { mapWithLimit } from './batch'
import { incidentBudgetImpact, sliceSeconds, windowSeconds } from './impact'

const availability: EvaluableSlo = {
  name: 'rag-chat-availability',
  displayName: 'rag-chat availability',
  service: 'rag-chat',
  objective: 0.999,
  periodDays: 30,
  alerting: 'sre-workbook',
  minEvents: 0,
  sli: {
    kind: 'ratio',
    badQuery: 'sum(rate(http_requests_total{pipeline="rag-chat",code=~"5.."}[{{.window}}]))',
    totalQuery: 'sum(rate(http_requests_total{pipeline="rag-chat"}[{{.window}}]))',
  },
}

const headroom: EvaluableSlo = {
  name: 'gpu-memory-headroom',
  displayName: 'GPU memory headroom',
  service: 'rag-chat',
  objective: 0.99,
  periodDays: 7,
  alerting: 'sre-workbook',
  minEvents: 0,
  sli: { kind: 'threshold', query: 'DCGM_FI_DEV_FB_USED / (DCGM_FI_DEV_FB_USED + DCGM_FI_DEV_FB_FREE)', op: 'lt', value: 0.95 },
}

/** A backend that answers from functions and remembers what it was asked. */
function fakeSource(answers: { instant?: (query: string, time: Date) => InstantSample[]; range?: (query: string, range: { start: Date; end: Date; stepSeconds: number }) => RangeSeries[] }) {
  const asked: { kind: 'instant' | 'range'; query: string; time?: Date; range?: { start: Date; end: Date; stepSeconds: number } }[] = []
  const source: MetricsSource = {
    name: 'Prometheus',
    async queryInstant(query, time) {
      asked.push({ kind: 'instant', query, time })
      return answers.instant?.(query, time) ?? []
    },
    async queryRange(query, range) {
      asked.push({ kind: 'range', query, range })
      return answers.range?.(query, range) ?? []
    },
    async series() {
      return []
    },
  }
  return { source, asked }
}

const start = new Date('2026-11-18T10:00:00Z')
const end = new Date('2026-11-18T12:00:00Z')

describe('budget consumed by a window', () => {
  it('reads a ratio SLI over exactly the window and scales its burn rate by the window share of the period', async () => {
    const { source, asked } = fakeSource({ instant: () => [{ labels: {}, value: [end.getTime() / 1000, 0.0144] }] })
    const [impact] = await incidentBudgetImpact(source, [availability], { start, end })
    // 14.4x burn for 2 h of a 720 h period: 4 % of the budget
    expect(impact).toEqual({ slo: 'rag-chat-availability', service: 'rag-chat', objective: 0.999, errorRatio: 0.0144, consumed: expect.closeTo(0.04, 9) })
    expect(asked).toHaveLength(1)
    expect(asked[0].time).toEqual(end)
    expect(asked[0].query).toContain('[7200s]')
    expect(asked[0].query).not.toContain('{{.window}}')
  })

  it('counts failing one-minute slices of a threshold SLI on a grid that ends at the window end', async () => {
    // 120 slices in two hours, 30 of them with the framebuffer at or over 95 %
    const { source, asked } = fakeSource({
      range: (_q, range) => {
        const points: [number, number][] = []
        for (let t = range.start.getTime() / 1000; t <= range.end.getTime() / 1000; t += range.stepSeconds) points.push([t, t > end.getTime() / 1000 - 1800 ? 0.97 : 0.9])
        return [{ labels: {}, points }]
      },
    })
    const [impact] = await incidentBudgetImpact(source, [headroom], { start, end })
    expect(impact.errorRatio).toBeCloseTo(30 / 120, 12)
    // 25 % bad against a 1 % budget is a 25x burn, for 2 h of a 168 h period
    expect(impact.consumed).toBeCloseTo((0.25 / 0.01) * (2 / 168), 9)
    expect(asked[0].range).toEqual({ start: new Date(start.getTime() + 60_000), end, stepSeconds: 60 })
    expect(asked[0].query).toBe(`max(${(headroom.sli as { query: string }).query})`)
  })

  it('gives one row per SLO in order, a failing backend as consumed null with its message, never a throw', async () => {
    const { source } = fakeSource({
      instant: () => {
        throw new MetricsSourceError('Prometheus is unreachable', 'backend')
      },
      range: () => [{ labels: {}, points: [[end.getTime() / 1000, 0.5]] }],
    })
    const rows = await incidentBudgetImpact(source, [availability, headroom], { start, end })
    expect(rows.map((r) => r.slo)).toEqual(['rag-chat-availability', 'gpu-memory-headroom'])
    expect(rows[0]).toMatchObject({ consumed: null, errorRatio: null, error: 'Prometheus is unreachable' })
    expect(rows[1]).toMatchObject({ consumed: 0, errorRatio: 0 })
    expect(rows[1].error).toBeUndefined()
  })

  it('says so when the SLI has no data in the window (no traffic gives NaN) or the window is empty', async () => {
    const { source } = fakeSource({ instant: () => [{ labels: {}, value: [0, NaN] }] })
    const [noData] = await incidentBudgetImpact(source, [availability], { start, end })
    expect(noData).toMatchObject({ consumed: null, errorRatio: null })
    expect(noData.error).toMatch(/No SLI data for rag-chat-availability/)
    const [empty] = await incidentBudgetImpact(source, [availability], { start: end, end: start })
    expect(empty.error).toMatch(/empty/)
  })

  it('reports an SLI query without the window placeholder on its row', async () => {
    const { source } = fakeSource({})
    const broken: EvaluableSlo = { ...availability, sli: { kind: 'ratio', badQuery: 'sum(rate(x[5m]))', totalQuery: 'sum(rate(y[5m]))' } }
    const [row] = await incidentBudgetImpact(source, [broken], { start, end })
    expect(row.consumed).toBeNull()
    expect(row.error).toMatch(/\{\{\.window\}\}/)
  })
})

describe('window helpers', () => {
  it('measures whole seconds and keeps threshold slices at a minute up to 11,000 points', () => {
    expect(windowSeconds({ start, end })).toBe(7200)
    expect(sliceSeconds(7200)).toBe(60)
    expect(sliceSeconds(30 * 86400)).toBe(240)
  })

  it('maps with a bounded number of calls in flight, keeping order', async () => {
    let inFlight = 0
    let most = 0
    const out = await mapWithLimit([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      inFlight++
      most = Math.max(most, inFlight)
      await new Promise((r) => setTimeout(r, 5 - (n % 3)))
      inFlight--
      return n * 2
    })
    expect(out).toEqual([2, 4, 6, 8, 10, 12, 14])
    expect(most).toBe(3)
  })
})
