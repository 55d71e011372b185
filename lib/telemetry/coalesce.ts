/**
 * Shared reads during an incident: identical backend queries from many viewers are coalesced (one in flight) and
 * cached for the refresh interval, so twenty responders cost the backend what one does. Failures are not cached:
 * the next refresh asks again, which is how a panel notices the backend is back.
 */
import type { InstantSample, MetricsSource, RangeSeries } from './metrics-source'

interface Entry {
  expiresAt: number
  value: Promise<unknown>
}

export class CoalescingMetricsSource implements MetricsSource {
  private readonly entries = new Map<string, Entry>()

  constructor(
    private readonly inner: MetricsSource,
    private readonly ttlMs = 15_000,
    private readonly maxEntries = 1_000,
    private readonly now: () => number = Date.now,
  ) {}

  get name(): string {
    return this.inner.name
  }

  get isDemo(): boolean {
    return this.inner.isDemo ?? false
  }

  queryRange(query: string, range: { start: Date; end: Date; stepSeconds: number }): Promise<RangeSeries[]> {
    return this.shared(`range|${range.start.getTime()}|${range.end.getTime()}|${range.stepSeconds}|${query}`, () => this.inner.queryRange(query, range))
  }

  queryInstant(query: string, time: Date): Promise<InstantSample[]> {
    return this.shared(`instant|${time.getTime()}|${query}`, () => this.inner.queryInstant(query, time))
  }

  series(matchers: string[], range: { start: Date; end: Date }): Promise<Record<string, string>[]> {
    return this.shared(`series|${range.start.getTime()}|${range.end.getTime()}|${JSON.stringify(matchers)}`, () => this.inner.series(matchers, range))
  }

  private shared<T>(key: string, load: () => Promise<T>): Promise<T> {
    const now = this.now()
    const cached = this.entries.get(key)
    if (cached && cached.expiresAt > now) return cached.value as Promise<T>
    const value = load()
    this.entries.set(key, { expiresAt: now + this.ttlMs, value })
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key)
    })
    this.evict(now)
    return value
  }

  private evict(now: number) {
    if (this.entries.size <= this.maxEntries) return
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now || this.entries.size > this.maxEntries) this.entries.delete(key)
      if (this.entries.size <= this.maxEntries) break
    }
  }
}

/**
 * Live panels ask for "until now"; rounding the end down to the refresh interval lets every viewer's request share
 * one cache entry (at most one interval older than now, which a 15 s refresh shows anyway).
 */
export function alignToInterval(date: Date, intervalMs: number): Date {
  return new Date(Math.floor(date.getTime() / intervalMs) * intervalMs)
}
