/**
 * Where the demo evaluator reads samples from. Two stores:
 * - GeneratedSeriesStore holds concrete samples (generateSeries' output): the very samples a test backfills into a
 *   real Prometheus, so both answer from the same data;
 * - ScenarioStore generates samples on demand from scenarios placed in wall-clock time, for the live demo: any time
 *   range, samples on a 60 s grid aligned to the epoch, counters integrated from a fixed origin so every query sees the
 *   same totals.
 */
import type { GeneratedSeries, Scenario, SeriesSpec } from '../scenarios/model'
import { METRIC_NAME, compareLabels, labelsKey, matchesAll, matchersKey, metricNameOf, type LabelMatcher, type Labels } from './labels'

/** A series' labels (with `__name__`) and its samples, [unix seconds, value], oldest first. */
export interface StoredSeries {
  labels: Labels
  points: [number, number][]
}

export interface SampleStore {
  /**
   * The series matching every matcher (the metric name is the `__name__` matcher) that have at least one sample in
   * [fromSeconds, toSeconds], both ends included, with those samples. Series come in Prometheus' label order.
   */
  select(matchers: readonly LabelMatcher[], fromSeconds: number, toSeconds: number): StoredSeries[]
  /** Optional shortcut for instant selectors: as select(), with only the latest sample of each series. */
  latest?(matchers: readonly LabelMatcher[], fromSeconds: number, toSeconds: number): StoredSeries[]
}

const MAX_CACHED_LOOKUPS = 2000

/** Label sets looked up by matchers; lookups are cached since a store's label sets never change. */
export class SeriesIndex<T extends { labels: Labels }> {
  private readonly all: T[]
  private readonly byName = new Map<string, T[]>()
  private readonly cache = new Map<string, T[]>()

  constructor(entries: T[]) {
    const seen = new Set<string>()
    for (const entry of entries) {
      const key = labelsKey(entry.labels)
      if (seen.has(key)) throw new Error(`two series have the same labels: ${key.replaceAll('\u0000', ' ')}`)
      seen.add(key)
    }
    this.all = [...entries].sort((a, b) => compareLabels(a.labels, b.labels))
    for (const entry of this.all) {
      const name = entry.labels[METRIC_NAME]
      this.byName.set(name, [...(this.byName.get(name) ?? []), entry])
    }
  }

  find(matchers: readonly LabelMatcher[]): T[] {
    const key = matchersKey(matchers)
    const cached = this.cache.get(key)
    if (cached) return cached
    const name = metricNameOf(matchers)
    const candidates = name === undefined ? this.all : (this.byName.get(name) ?? [])
    const found = candidates.filter((entry) => matchesAll(matchers, entry.labels))
    if (this.cache.size >= MAX_CACHED_LOOKUPS) this.cache.clear()
    this.cache.set(key, found)
    return found
  }
}

/** The index of the first point at or after `seconds` (inclusive) or after it (exclusive); points sorted by time. */
function bound(points: [number, number][], seconds: number, inclusive: boolean): number {
  let lo = 0
  let hi = points.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (inclusive ? points[mid][0] < seconds : points[mid][0] <= seconds) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Concrete samples, e.g. generateSeries' output for a test that also backfills them into Prometheus. */
export class GeneratedSeriesStore implements SampleStore {
  private readonly index: SeriesIndex<StoredSeries>

  constructor(series: GeneratedSeries[]) {
    this.index = new SeriesIndex(
      series.map((s) => ({ labels: { ...s.labels, [METRIC_NAME]: s.metric }, points: [...s.points].sort((a, b) => a[0] - b[0]) })),
    )
  }

  select(matchers: readonly LabelMatcher[], fromSeconds: number, toSeconds: number): StoredSeries[] {
    return this.pick(matchers, fromSeconds, toSeconds, false)
  }

  latest(matchers: readonly LabelMatcher[], fromSeconds: number, toSeconds: number): StoredSeries[] {
    return this.pick(matchers, fromSeconds, toSeconds, true)
  }

  private pick(matchers: readonly LabelMatcher[], fromSeconds: number, toSeconds: number, latestOnly: boolean): StoredSeries[] {
    const out: StoredSeries[] = []
    for (const series of this.index.find(matchers)) {
      const from = bound(series.points, fromSeconds, true)
      const to = bound(series.points, toSeconds, false)
      if (to > from) out.push({ labels: series.labels, points: series.points.slice(latestOnly ? to - 1 : from, to) })
    }
    return out
  }
}

export interface ScenarioPlacement {
  scenario: Scenario
  /** the wall-clock time of the scenario's minute 0 */
  startsAt: Date
}

export interface ScenarioStoreOptions {
  /** the present: no sample is generated after it (default: the clock) */
  now?: () => Date
  /** how far before each scenario's start its series begin, and counters start from 0 (default 40 days) */
  historyDays?: number
}

const STEP_SECONDS = 60
/** counter totals are kept every this many samples, so a total is at most this many rate evaluations away */
const CHECKPOINT_EVERY = 15

interface ScenarioSeries {
  labels: Labels
  spec: SeriesSpec
  startsAtSeconds: number
  /** grid index (unix seconds / 60) of the first sample; a counter is 0 there */
  originIndex: number
  /** counters: the total at originIndex + i x CHECKPOINT_EVERY */
  checkpoints: number[]
  /** counters: the last total computed, to continue from it when the next window is close */
  last: { index: number; total: number }
}

/** Rounded like generateSeries rounds, so the demo shows the same numbers a backfilled Prometheus would. */
function round(value: number): number {
  return Math.round(value * 1e6) / 1e6
}

/**
 * Samples generated on demand from scenarios placed side by side in wall-clock time (one demo fleet). Gauges are
 * value(t) at each grid time; counters integrate max(0, value(t)) x 60 s per sample from a fixed origin (historyDays
 * before the scenario starts), with running totals cached, so totals agree between queries and rate() gives value(t).
 * A series has no sample while present(t) is false (it goes stale after 5 minutes, like a silent container).
 */
export class ScenarioStore implements SampleStore {
  private readonly index: SeriesIndex<ScenarioSeries>
  private readonly counters: ScenarioSeries[]
  private readonly now: () => Date

  constructor(placements: ScenarioPlacement[], options: ScenarioStoreOptions = {}) {
    this.now = options.now ?? (() => new Date())
    const historySeconds = (options.historyDays ?? 40) * 86_400
    const series = placements.flatMap(({ scenario, startsAt }) => {
      const startsAtSeconds = startsAt.getTime() / 1000
      const originIndex = Math.ceil((startsAtSeconds - historySeconds) / STEP_SECONDS)
      return scenario.series.map(
        (spec): ScenarioSeries => ({ labels: { ...spec.labels, [METRIC_NAME]: spec.metric }, spec, startsAtSeconds, originIndex, checkpoints: [0], last: { index: originIndex, total: 0 } }),
      )
    })
    this.index = new SeriesIndex(series)
    this.counters = series.filter((s) => s.spec.kind === 'counter')
  }

  select(matchers: readonly LabelMatcher[], fromSeconds: number, toSeconds: number): StoredSeries[] {
    return this.generate(matchers, fromSeconds, toSeconds, false)
  }

  latest(matchers: readonly LabelMatcher[], fromSeconds: number, toSeconds: number): StoredSeries[] {
    return this.generate(matchers, fromSeconds, toSeconds, true)
  }

  /**
   * Integrates every counter up to now, a few series per turn of the event loop, so that the first query of a demo
   * does not pay for 40 days of history. Optional: queries integrate what they need anyway.
   */
  async warmUp(): Promise<void> {
    const nowIndex = this.nowIndex()
    for (const series of this.counters) {
      if (nowIndex >= series.originIndex) this.totalAt(series, nowIndex)
      await new Promise((resolve) => setImmediate(resolve))
    }
  }

  private nowIndex(): number {
    return Math.floor(this.now().getTime() / 1000 / STEP_SECONDS)
  }

  private generate(matchers: readonly LabelMatcher[], fromSeconds: number, toSeconds: number, latestOnly: boolean): StoredSeries[] {
    const nowIndex = this.nowIndex()
    const out: StoredSeries[] = []
    for (const series of this.index.find(matchers)) {
      const first = Math.max(series.originIndex, Math.ceil(fromSeconds / STEP_SECONDS))
      const last = Math.min(nowIndex, Math.floor(toSeconds / STEP_SECONDS))
      if (first > last) continue
      const points = latestOnly ? this.latestPoint(series, first, last) : this.points(series, first, last)
      if (points.length > 0) out.push({ labels: series.labels, points })
    }
    return out
  }

  private minute(series: ScenarioSeries, index: number): number {
    return (index * STEP_SECONDS - series.startsAtSeconds) / 60
  }

  private present(series: ScenarioSeries, index: number): boolean {
    return series.spec.present ? series.spec.present(this.minute(series, index)) : true
  }

  private valueAt(series: ScenarioSeries, index: number): number {
    return series.spec.kind === 'counter' ? round(this.totalAt(series, index)) : round(series.spec.value(this.minute(series, index)))
  }

  private latestPoint(series: ScenarioSeries, first: number, last: number): [number, number][] {
    for (let k = last; k >= first; k--) if (this.present(series, k)) return [[k * STEP_SECONDS, this.valueAt(series, k)]]
    return []
  }

  private points(series: ScenarioSeries, first: number, last: number): [number, number][] {
    const points: [number, number][] = []
    if (series.spec.kind === 'gauge') {
      for (let k = first; k <= last; k++) if (this.present(series, k)) points.push([k * STEP_SECONDS, this.valueAt(series, k)])
      return points
    }
    let total = this.totalAt(series, first)
    for (let k = first; k <= last; k++) {
      if (k > first) total = this.addIncrements(series, total, k - 1, k)
      if (this.present(series, k)) points.push([k * STEP_SECONDS, round(total)])
    }
    series.last = { index: last, total }
    return points
  }

  /** total (the counter at grid index from) plus what the counter adds in the samples after it, up to index to. */
  private addIncrements(series: ScenarioSeries, total: number, from: number, to: number): number {
    const rate = series.spec.value
    const base = series.startsAtSeconds
    for (let j = from + 1; j <= to; j++) {
      const r = rate((j * STEP_SECONDS - base) / 60)
      if (r > 0) total += r * STEP_SECONDS
    }
    return total
  }

  /**
   * The counter's total at grid index k (k >= originIndex): from the last total computed when it is in the same
   * checkpoint interval, else from the checkpoint before k. Both add the same increments in the same order, so a total
   * does not depend on which queries came before.
   */
  private totalAt(series: ScenarioSeries, k: number): number {
    const block = Math.floor((k - series.originIndex) / CHECKPOINT_EVERY)
    const blockStart = series.originIndex + block * CHECKPOINT_EVERY
    const { checkpoints, last } = series
    if (last.index >= blockStart && last.index <= k) return this.addIncrements(series, last.total, last.index, k)
    while (checkpoints.length <= block) {
      const start = series.originIndex + (checkpoints.length - 1) * CHECKPOINT_EVERY
      checkpoints.push(this.addIncrements(series, checkpoints[checkpoints.length - 1], start, start + CHECKPOINT_EVERY))
    }
    const total = this.addIncrements(series, checkpoints[block], blockStart, k)
    series.last = { index: k, total }
    return total
  }
}
