import { describe, expect, it } from 'vitest'
import { GPU_OOM, ramp, SCENARIOS, TOKEN_BUDGET } from './library'
import { generateSeries, toOpenMetrics, type Scenario } from './model'

const end = new Date('2026-11-22T03:00:00Z')

describe('scenario generation', () => {
  it('integrates a counter from its per-second rate and samples gauges as given', () => {
    const scenario: Scenario = {
      id: 't', title: 't', description: 't', durationMinutes: 3, alerts: [],
      series: [
        { metric: 'requests_total', labels: {}, kind: 'counter', value: () => 2 },
        { metric: 'queue_depth', labels: {}, kind: 'gauge', value: (t) => t * 10 },
      ],
    }
    const [counter, gauge] = generateSeries(scenario, end)
    // 4 samples a minute apart: 0, 120, 240, 360 requests (2/s x 60 s each step)
    expect(counter.points.map(([, v]) => v)).toEqual([0, 120, 240, 360])
    expect(gauge.points.map(([, v]) => v)).toEqual([0, 10, 20, 30])
    expect(counter.points.at(-1)![0]).toBe(end.getTime() / 1000)
  })

  it('writes OpenMetrics that groups each family and ends with # EOF', () => {
    const text = toOpenMetrics(generateSeries(GPU_OOM, end).filter((s) => s.metric === 'vllm:kv_cache_usage_perc'))
    const lines = text.trim().split('\n')
    expect(lines.at(-1)).toBe('# EOF')
    expect(lines[0]).toMatch(/^vllm:kv_cache_usage_perc\{namespace="inference",pod="rag-chat-7d9f6c-0",model_name="llama-3-70b-instruct",instance="gpu-node-1:8000",pipeline="rag-chat"\} [\d.]+ \d+$/)
  })

  it('tells the stories the scenarios claim', () => {
    const at = (series: ReturnType<typeof generateSeries>, metric: string, labelValue: string, minute: number) =>
      series.find((s) => s.metric === metric && Object.values(s.labels).some((v) => v.includes(labelValue)))!.points[minute][1]
    const oom = generateSeries(GPU_OOM, end)
    expect(at(oom, 'vllm:kv_cache_usage_perc', 'gpu-node-2', 300)).toBe(1)
    expect(at(oom, 'vllm:kv_cache_usage_perc', 'gpu-node-1', 300)).toBeLessThan(0.61)
    const budget = generateSeries(TOKEN_BUDGET, end)
    const rate = (reason: string, minute: number) => {
      const s = budget.find((x) => x.metric === 'vllm:request_success_total' && x.labels.finished_reason === reason && x.labels.instance.startsWith('gpu-node-1'))!
      return s.points[minute][1] - s.points[minute - 1][1]
    }
    expect(rate('length', 350) / (rate('length', 350) + rate('stop', 350))).toBeCloseTo(0.11, 6)
    expect(rate('length', 100) / (rate('length', 100) + rate('stop', 100))).toBeCloseTo(0.015, 6)
    expect(ramp(5, 0, 10)).toBe(0.5)
    expect(new Set(SCENARIOS.map((s) => s.id)).size).toBe(SCENARIOS.length)
  })
})

describe('scenarios side by side for one Prometheus', () => {
  it('places them apart, the last ending at the end, and merges their series into one per label set in time order', async () => {
    const { mergeSeries, placeApart } = await import('./model')
    const end = new Date('2026-11-22T12:00:00Z')
    const placed = placeApart([{ id: 'a' }, { id: 'b' }], end, 3_600_000)
    expect(placed.map((p) => [p.scenario.id, p.end.toISOString()])).toEqual([['a', '2026-11-22T11:00:00.000Z'], ['b', '2026-11-22T12:00:00.000Z']])
    const merged = mergeSeries([
      { metric: 'x', labels: { b: '1', a: '2' }, points: [[300, 3]] },
      { metric: 'y', labels: {}, points: [[1, 1]] },
      { metric: 'x', labels: { a: '2', b: '1' }, points: [[100, 1], [200, 2]] },
    ])
    expect(merged).toHaveLength(2)
    expect(merged.find((s) => s.metric === 'x')!.points).toEqual([[100, 1], [200, 2], [300, 3]])
  })
})
