import { describe, expect, it } from 'vitest'
import { alignToInterval, CoalescingMetricsSource } from './coalesce'
import { MetricsSourceError, type InstantSample, type MetricsSource, type RangeSeries } from './metrics-source'

/** Counts what reaches the backend; answers after a tick, like a network call. */
class CountingSource implements MetricsSource {
  readonly name = 'Prometheus'
  calls = 0
  failNext = false
  async queryRange(query: string): Promise<RangeSeries[]> {
    this.calls++
    await new Promise((r) => setTimeout(r, 5))
    if (this.failNext) {
      this.failNext = false
      throw new MetricsSourceError('Prometheus is unreachable', 'backend')
    }
    return [{ labels: { query }, points: [[1, this.calls]] }]
  }
  async queryInstant(query: string): Promise<InstantSample[]> {
    this.calls++
    return [{ labels: { query }, value: [1, this.calls] }]
  }
  async series(): Promise<Record<string, string>[]> {
    this.calls++
    return []
  }
}

const range = { start: new Date('2026-11-22T02:00:00Z'), end: new Date('2026-11-22T03:00:00Z'), stepSeconds: 12 }

describe('coalescing backend reads', () => {
  it('sends one query upstream for 50 viewers asking at once', async () => {
    const inner = new CountingSource()
    const shared = new CoalescingMetricsSource(inner)
    const answers = await Promise.all(Array.from({ length: 50 }, () => shared.queryRange('sum(vllm:num_requests_waiting)', range)))
    expect(inner.calls).toBe(1)
    expect(new Set(answers.map((a) => a[0].points[0][1]))).toEqual(new Set([1]))
  })

  it('asks again after the refresh interval, and keeps different queries apart', async () => {
    let now = 0
    const inner = new CountingSource()
    const shared = new CoalescingMetricsSource(inner, 15_000, 100, () => now)
    await shared.queryRange('a', range)
    await shared.queryRange('b', range)
    await shared.queryRange('a', range)
    expect(inner.calls).toBe(2)
    now = 15_001
    await shared.queryRange('a', range)
    expect(inner.calls).toBe(3)
  })

  it('does not cache a failure, so the next refresh can see the backend recover', async () => {
    const inner = new CountingSource()
    const shared = new CoalescingMetricsSource(inner)
    inner.failNext = true
    await expect(shared.queryRange('a', range)).rejects.toThrow('unreachable')
    await expect(shared.queryRange('a', range)).resolves.toHaveLength(1)
    expect(inner.calls).toBe(2)
  })

  it('shares instant queries too, but never across different instants or kinds', async () => {
    const inner = new CountingSource()
    const shared = new CoalescingMetricsSource(inner)
    const at = new Date('2026-11-22T03:00:00Z')
    await Promise.all(Array.from({ length: 20 }, () => shared.queryInstant('up', at)))
    expect(inner.calls).toBe(1)
    await shared.queryInstant('up', new Date('2026-11-22T03:00:15Z'))
    await shared.queryRange('up', range)
    expect(inner.calls).toBe(3)
  })

  it('stays within its size bound', async () => {
    const inner = new CountingSource()
    const shared = new CoalescingMetricsSource(inner, 15_000, 10)
    for (let i = 0; i < 30; i++) await shared.queryRange(`q${i}`, range)
    await shared.queryRange('q29', range)
    expect(inner.calls).toBe(30)
    await shared.queryRange('q0', range)
    expect(inner.calls).toBe(31)
  })

  it('aligns a live end to the refresh interval so viewers share an entry', () => {
    expect(alignToInterval(new Date('2026-11-22T03:00:14.900Z'), 15_000).toISOString()).toBe('2026-11-22T03:00:00.000Z')
    expect(alignToInterval(new Date('2026-11-22T03:00:15.000Z'), 15_000).toISOString()).toBe('2026-11-22T03:00:15.000Z')
  })
})
