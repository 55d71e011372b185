/**
 * The demo's PromQL evaluator on small hand-made stores, with expectations computed by hand. Where the value depends
 * on a Prometheus detail (extrapolation order, heap tie-breaking), the expectation was also confirmed against the
 * Debian Prometheus 2.42 binary; prometheus-parity.int.test.ts does that for the scenarios.
 */
import { describe, expect, it } from 'vitest'
import { MetricsSourceError } from '../metrics-source'
import type { GeneratedSeries } from '../scenarios/model'
import { evaluateInstant, evaluateRange, selectSeries } from './evaluator'
import { bucketQuantile, expandTemplate } from './functions'
import { GeneratedSeriesStore } from './store'

const T0 = 1_800_000_000 // a whole minute, in seconds
const at = (seconds: number) => new Date((T0 + seconds) * 1000)

/** metric{labels} with values at T0 + 0, 60, 120, ... (undefined leaves a gap) */
function series(metric: string, labels: Record<string, string>, values: (number | undefined)[], stepSeconds = 60, startSeconds = 0): GeneratedSeries {
  const points = values.flatMap((v, i): [number, number][] => (v === undefined ? [] : [[T0 + startSeconds + i * stepSeconds, v]]))
  return { metric, labels, points }
}

function store(...s: GeneratedSeries[]) {
  return new GeneratedSeriesStore(s)
}

/** The instant vector as {labels-as-text: value}, or the scalar. */
function instant(query: string, st: GeneratedSeriesStore, seconds: number): Record<string, number> | number {
  const result = evaluateInstant(query, st, at(seconds))
  if (result.resultType === 'scalar') return result.value
  return Object.fromEntries(result.samples.map((s) => [JSON.stringify(s.labels), s.value]))
}

function single(query: string, st: GeneratedSeriesStore, seconds: number): number {
  const result = evaluateInstant(query, st, at(seconds))
  if (result.resultType === 'scalar') return result.value
  expect(result.samples).toHaveLength(1)
  return result.samples[0].value
}

function error(run: () => unknown): MetricsSourceError {
  try {
    run()
  } catch (e) {
    expect(e).toBeInstanceOf(MetricsSourceError)
    return e as MetricsSourceError
  }
  throw new Error('expected an error')
}

const empty = store()

describe('literals and operator precedence', () => {
  it('follows the parser: ^ binds tighter than unary minus and is right-associative, * before +', () => {
    expect(single('1 + 2 * 3', empty, 0)).toBe(7)
    expect(single('2 ^ 3 ^ 2', empty, 0)).toBe(512)
    expect(single('-2 ^ 2', empty, 0)).toBe(-4) // lezer reads (-2) ^ 2; Prometheus 2.42 answers -4
    expect(single('2 ^ -2 ^ 2', empty, 0)).toBe(0.0625)
    expect(single('10 - 4 - 3', empty, 0)).toBe(3)
    expect(single('7 % 4 * 2', empty, 0)).toBe(6)
    expect(single('0x10 + 1e1 + 010', empty, 0)).toBe(34) // hex, exponent, octal (Go's ParseInt base 0)
    expect(single('2 > bool 1', empty, 0)).toBe(1)
    expect(Number.isNaN(single('NaN', empty, 0))).toBe(true)
    expect(single('-Inf', empty, 0)).toBe(-Infinity)
  })

  it('binds offset to the operand on its left, not the whole binary expression', () => {
    const s = store(series('x', {}, [1, 2, 3, 4, 5, 6, 7]))
    // x at 360 is 7, x offset 5m at 360 is x at 60 = 2
    expect(instant('x - x offset 5m', s, 360)).toEqual({ '{}': 5 })
    expect(instant('-x offset 5m', s, 360)).toEqual({ '{}': -2 })
  })
})

describe('selectors', () => {
  const s = store(
    series('up', { job: 'api', instance: 'a:1' }, [1]),
    series('up', { job: 'api-canary', instance: 'b:1' }, [1]),
    series('up', { job: 'db' }, [0]),
    series('down', { job: 'api' }, [1]),
  )

  it('supports =, !=, anchored =~ and !~, and treats a missing label as empty', () => {
    const jobs = (q: string) => Object.keys(instant(q, s, 0) as Record<string, number>).map((k) => JSON.parse(k).job).sort()
    expect(jobs('up{job="api"}')).toEqual(['api'])
    expect(jobs('up{job!="api"}')).toEqual(['api-canary', 'db'])
    expect(jobs('up{job=~"api"}')).toEqual(['api']) // anchored: not api-canary
    expect(jobs('up{job=~"api.*"}')).toEqual(['api', 'api-canary'])
    expect(jobs('up{job!~"api.*"}')).toEqual(['db'])
    expect(jobs('up{instance=""}')).toEqual(['db'])
    expect(jobs('{__name__=~"up|down", job="api"}')).toEqual(['api', 'api'])
    expect(jobs('up{job=~"(?i)API"}')).toEqual(['api'])
  })

  it('keeps the metric name on raw selector results', () => {
    expect(instant('down', s, 0)).toEqual({ [JSON.stringify({ job: 'api', __name__: 'down' })]: 1 })
  })

  it('looks back 5 minutes for the latest sample, the edge included, and sees nothing after', () => {
    const gauge = store(series('g', {}, [1, 2, undefined, undefined]))
    expect(instant('g', gauge, 90)).toEqual({ '{"__name__":"g"}': 2 })
    expect(instant('g', gauge, 60 + 300)).toEqual({ '{"__name__":"g"}': 2 })
    expect(instant('g', gauge, 60 + 301)).toEqual({})
    expect(instant('timestamp(g)', gauge, 200)).toEqual({ '{}': T0 + 60 })
    expect(instant('time() - timestamp(g)', gauge, 200)).toEqual({ '{}': 140 })
    expect(instant('g offset 1m', gauge, 90)).toEqual({ '{"__name__":"g"}': 1 })
  })

  it('finds series with samples in a range, as the series API does', () => {
    const gappy = store(series('g', { pod: 'old' }, [1, 1]), series('g', { pod: 'new' }, [undefined, undefined, undefined, 1]))
    expect(selectSeries(gappy, ['g'], { start: at(0), end: at(60) })).toEqual([{ __name__: 'g', pod: 'old' }])
    expect(selectSeries(gappy, ['g'], { start: at(61), end: at(179) })).toEqual([])
    expect(() => selectSeries(gappy, ['sum(g)'], { start: at(0), end: at(60) })).toThrow(/not a series selector/)
  })
})

describe('rate, increase, delta: Prometheus 2 extrapolation', () => {
  // x = i² at minute i (confirmed against Prometheus 2.42: 0.25 at minute 10, 0.2667 at 10.5, increase 68)
  const squares = store(series('x', {}, Array.from({ length: 11 }, (_, i) => i * i)))

  it('takes the difference over the window when samples cover it exactly', () => {
    expect(single('rate(x[5m])', squares, 600)).toBeCloseTo(75 / 300, 12) // samples 25..100 at minutes 5..10
  })

  it('extrapolates to the window edges when the samples are within 1.1 intervals of them', () => {
    // window [330, 630]: samples 36..100 at 360..600, 30 s from each edge: 64 x 300/240
    expect(single('rate(x[5m])', squares, 630)).toBeCloseTo(80 / 300, 12)
    expect(single('increase(x[4m])', squares, 630)).toBeCloseTo(68, 12)
  })

  it('extrapolates only half an interval when the series starts or ends inside the window', () => {
    const late = store(series('y', {}, [10, 20, 30], 60, 240)) // samples at 240, 300, 360; window [60, 360]
    // 180 s from the window's start is over the 66 s threshold: extrapolate half an interval (30 s), not 180 s
    expect(single('delta(y[5m])', late, 360)).toBeCloseTo(20 * (150 / 120), 12)
  })

  it('does not extrapolate a counter below zero, applying the zero point before the threshold as Prometheus 2 does', () => {
    // 4, 10, 16, 22 at 120..300, window [0, 300]: zero point 40 s before the first sample, within the threshold
    const counter = store(series('c', {}, [4, 10, 16, 22], 60, 120))
    expect(single('increase(c[5m])', counter, 300)).toBeCloseTo(22, 12) // Prometheus 3 would say 21
    expect(single('rate(c[5m])', counter, 300)).toBeCloseTo(22 / 300, 12)
  })

  it('adds back counter resets, but not for delta()', () => {
    const reset = store(series('r', {}, [5, 10, 2, 7]))
    expect(single('increase(r[3m])', reset, 180)).toBeCloseTo(12, 12)
    expect(single('delta(r[3m])', reset, 180)).toBeCloseTo(2, 12)
    expect(single('resets(r[3m])', reset, 180)).toBe(1)
    expect(single('irate(r[3m])', reset, 180)).toBeCloseTo(5 / 60, 12)
    expect(single('idelta(r[3m])', reset, 180)).toBeCloseTo(5, 12)
  })

  it('needs two samples in the window', () => {
    const one = store(series('c', {}, [1]))
    expect(instant('rate(c[5m])', one, 0)).toEqual({})
  })

  it('drops the metric name', () => {
    expect(instant('rate({__name__="x"}[5m])', squares, 600)).toEqual({ '{}': 0.25 })
  })
})

describe('the *_over_time functions', () => {
  const s = store(series('g', { a: '1' }, [3, 1, 4, 1, 5]))

  it('aggregate the window, inclusive of both ends', () => {
    expect(single('avg_over_time(g[4m])', s, 240)).toBeCloseTo(14 / 5, 12)
    expect(single('sum_over_time(g[4m])', s, 240)).toBe(14)
    expect(single('count_over_time(g[4m])', s, 240)).toBe(5)
    expect(single('count_over_time(g[4m])', s, 250)).toBe(4)
    expect(single('min_over_time(g[4m])', s, 240)).toBe(1)
    expect(single('max_over_time(g[4m])', s, 240)).toBe(5)
    expect(single('quantile_over_time(0.5, g[4m])', s, 240)).toBe(3)
    expect(single('quantile_over_time(0.9, g[4m])', s, 240)).toBeCloseTo(4 + 0.6, 12)
    expect(single('stdvar_over_time(g[4m])', s, 240)).toBeCloseTo(2.56, 12)
    expect(single('changes(g[4m])', s, 240)).toBe(4)
    expect(single('present_over_time(g[4m])', s, 240)).toBe(1)
    expect(single('deriv(g[1m])', s, 240)).toBeCloseTo(4 / 60, 12)
  })

  it('keep the metric name only for last_over_time', () => {
    expect(instant('last_over_time(g[4m])', s, 240)).toEqual({ '{"a":"1","__name__":"g"}': 5 })
    expect(instant('max_over_time(g[4m])', s, 240)).toEqual({ '{"a":"1"}': 5 })
  })

  it('run over subqueries aligned to multiples of the step', () => {
    // g[4m:2m] at 250 evaluates g at 120 and 240 (the multiples of 120 s after 10 s): 4 and 5
    expect(single('max_over_time(g[4m:2m])', s, 250)).toBe(5)
    expect(single('count_over_time(g[4m:2m])', s, 250)).toBe(2)
    expect(single('sum_over_time(g[4m:2m])', s, 250)).toBe(9)
  })
})

describe('histogram_quantile on classic buckets', () => {
  const buckets = (counts: Record<string, number>, extra: Record<string, string> = {}) =>
    Object.entries(counts).map(([le, count]) => series('h_bucket', { ...extra, le }, [count]))
  const h = store(...buckets({ '0.1': 10, '0.5': 30, '1': 40, '+Inf': 40 }, { job: 'a' }))

  it('interpolates linearly inside the bucket that holds the rank', () => {
    expect(single('histogram_quantile(0.5, h_bucket)', h, 0)).toBeCloseTo(0.3, 12)
    expect(single('histogram_quantile(0.99, h_bucket)', h, 0)).toBeCloseTo(0.98, 12)
    expect(single('histogram_quantile(1, h_bucket)', h, 0)).toBeCloseTo(1, 12)
    expect(single('histogram_quantile(0.05, h_bucket)', h, 0)).toBeCloseTo(0.02, 12) // the first bucket starts at 0
  })

  it('returns the last finite bound when the rank falls in +Inf, and needs a +Inf bucket', () => {
    expect(bucketQuantile(0.9, [{ upperBound: 0.1, count: 10 }, { upperBound: 0.5, count: 30 }, { upperBound: Infinity, count: 40 }])).toBe(0.5)
    expect(bucketQuantile(0.5, [{ upperBound: 0.1, count: 10 }, { upperBound: 0.5, count: 30 }])).toBeNaN()
    expect(bucketQuantile(0.5, [{ upperBound: 1, count: 0 }, { upperBound: Infinity, count: 0 }])).toBeNaN()
    expect(bucketQuantile(-1, [])).toBe(-Infinity)
    expect(bucketQuantile(2, [])).toBe(Infinity)
  })

  it('makes bucket counts monotonic and merges duplicate bounds', () => {
    // 1: 10, 2: 8 (fixed to 10), +Inf: 20 -> rank 10 reached in the first bucket
    expect(bucketQuantile(0.5, [{ upperBound: 2, count: 8 }, { upperBound: 1, count: 10 }, { upperBound: Infinity, count: 20 }])).toBe(1)
    expect(bucketQuantile(0.5, [{ upperBound: 1, count: 5 }, { upperBound: 1, count: 5 }, { upperBound: Infinity, count: 20 }])).toBe(1)
  })

  it('groups by every label but le, drops le and the name, and skips samples without a numeric le', () => {
    const two = store(...buckets({ '1': 5, '+Inf': 10 }, { job: 'a' }), ...buckets({ '1': 10, '+Inf': 10 }, { job: 'b' }), series('h_bucket', { job: 'c' }, [3]))
    expect(instant('histogram_quantile(0.5, h_bucket)', two, 0)).toEqual({ '{"job":"a"}': 1, '{"job":"b"}': 0.5 })
    // summed: le=1 15, +Inf 20 (job c lands in a group without le, skipped): rank 10 of the first bucket's 15
    expect(instant('histogram_quantile(0.5, sum by (le) (h_bucket))', two, 0)).toEqual({ '{}': 10 / 15 })
  })
})

describe('aggregations', () => {
  const s = store(
    series('m', { node: 'a', gpu: '0' }, [1]),
    series('m', { node: 'a', gpu: '1' }, [3]),
    series('m', { node: 'b', gpu: '0' }, [5]),
    series('m', { node: 'b', gpu: '1' }, [NaN]),
  )

  it('group by or without labels and drop the metric name', () => {
    expect(instant('sum by (node) (m{gpu="0"} or m{node="a"})', s, 0)).toEqual({ '{"node":"a"}': 4, '{"node":"b"}': 5 })
    expect(instant('count without (gpu) (m)', s, 0)).toEqual({ '{"node":"a"}': 2, '{"node":"b"}': 2 })
    expect(instant('max by (node) (m)', s, 0)).toEqual({ '{"node":"a"}': 3, '{"node":"b"}': 5 })
    expect(instant('avg(m{gpu="0"})', s, 0)).toEqual({ '{}': 3 })
    expect(instant('quantile(0.5, m{node="a"} or m{gpu="0"})', s, 0)).toEqual({ '{}': 3 })
    expect(instant('stddev(m{gpu="0"})', s, 0)).toEqual({ '{}': 2 })
    expect(instant('group by (gpu) (m)', s, 0)).toEqual({ '{"gpu":"0"}': 1, '{"gpu":"1"}': 1 })
  })

  it('topk and bottomk keep the series labels, and break ties as Go’s heap does', () => {
    expect(instant('topk(2, m)', s, 0)).toEqual({ '{"node":"b","gpu":"0","__name__":"m"}': 5, '{"node":"a","gpu":"1","__name__":"m"}': 3 })
    expect(instant('topk(0, m)', s, 0)).toEqual({})
    // [5, 5, 5, 9] in label order: the heap replaces its top, which is b by then (confirmed against Prometheus 2.42)
    const ties = store(...['a', 'b', 'c'].map((i) => series('t', { i }, [5])), series('t', { i: 'd' }, [9]))
    expect(Object.keys(instant('topk(2, t)', ties, 0) as object).map((k) => JSON.parse(k).i)).toEqual(['d', 'b'])
    const low = store(...['a', 'b', 'c'].map((i) => series('u', { i }, [5])), series('u', { i: 'd' }, [1]))
    expect(Object.keys(instant('bottomk(2, u)', low, 0) as object).map((k) => JSON.parse(k).i)).toEqual(['d', 'b'])
  })
})

describe('binary operators and vector matching', () => {
  const used = [series('used', { node: 'a', gpu: '0' }, [60]), series('used', { node: 'a', gpu: '1' }, [20]), series('used', { node: 'b', gpu: '0' }, [80])]
  const total = [series('total', { node: 'a' }, [100]), series('total', { node: 'b' }, [200])]
  const s = store(...used, ...total, series('free', { node: 'a', gpu: '0' }, [40]))

  it('matches one-to-one on all labels but the name, dropping the name for arithmetic', () => {
    expect(instant('used / (used + free)', s, 0)).toEqual({ '{"node":"a","gpu":"0"}': 0.6 })
  })

  it('keeps only the on() labels in a one-to-one result', () => {
    expect(instant('sum by (node, gpu) (used{gpu="0"}) / on (node) total', s, 0)).toEqual({ '{"node":"a"}': 0.6, '{"node":"b"}': 0.4 })
  })

  it('matches many-to-one with group_left, copying the listed labels from the one side', () => {
    const withZone = store(...used, series('total', { node: 'a', zone: 'z1' }, [100]), series('total', { node: 'b', zone: 'z2' }, [200]))
    expect(instant('used / on (node) group_left (zone) total', withZone, 0)).toEqual({
      '{"node":"a","gpu":"0","zone":"z1"}': 0.6,
      '{"node":"a","gpu":"1","zone":"z1"}': 0.2,
      '{"node":"b","gpu":"0","zone":"z2"}': 0.4,
    })
    expect(instant('total - on (node) group_right used', s, 0)).toEqual({ '{"node":"a","gpu":"0"}': 40, '{"node":"a","gpu":"1"}': 80, '{"node":"b","gpu":"0"}': 120 })
  })

  it('refuses many-to-many and ambiguous one-to-one matches with Prometheus’ messages', () => {
    const manyToMany = error(() => instant('total / on (node) used', s, 0))
    expect(manyToMany.kind).toBe('query')
    expect(manyToMany.message).toMatch(/^found duplicate series for the match group \{node="a"\} on the right hand-side of the operation: .*many-to-many matching not allowed/)
    expect(error(() => instant('used / on (node) total', s, 0)).message).toBe('multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)')
    const twoNames = store(series('used', { node: 'a' }, [1, 2]), series('free', { node: 'a' }, [1, 2]))
    expect(error(() => instant('rate({__name__=~"used|free"}[5m])', twoNames, 60)).message).toBe('vector cannot contain metrics with the same labelset')
  })

  it('filters with comparisons, keeping the name, or answers 0/1 with bool, dropping it', () => {
    expect(instant('used > 50', s, 0)).toEqual({ '{"node":"a","gpu":"0","__name__":"used"}': 60, '{"node":"b","gpu":"0","__name__":"used"}': 80 })
    expect(instant('50 < used', s, 0)).toEqual({ '{"node":"a","gpu":"0","__name__":"used"}': 60, '{"node":"b","gpu":"0","__name__":"used"}': 80 })
    expect(instant('used{node="a"} > bool 50', s, 0)).toEqual({ '{"node":"a","gpu":"0"}': 1, '{"node":"a","gpu":"1"}': 0 })
    expect(instant('used == bool on (node, gpu) free + 20', s, 0)).toEqual({ '{"node":"a","gpu":"0"}': 1 })
  })

  it('applies and, or, unless on label sets without the name', () => {
    const keys = (q: string) => Object.keys(instant(q, s, 0) as object).sort()
    expect(keys('used and free')).toEqual(['{"node":"a","gpu":"0","__name__":"used"}'])
    expect(keys('used unless free')).toEqual(['{"node":"a","gpu":"1","__name__":"used"}', '{"node":"b","gpu":"0","__name__":"used"}'])
    expect(keys('used unless on (node) free')).toEqual(['{"node":"b","gpu":"0","__name__":"used"}'])
    expect(keys('free or used')).toEqual(['{"node":"a","gpu":"0","__name__":"free"}', '{"node":"a","gpu":"1","__name__":"used"}', '{"node":"b","gpu":"0","__name__":"used"}'])
  })
})

describe('instant-vector functions', () => {
  const s = store(series('v', { instance: 'gpu-node-1:8000' }, [-2.26]))

  it('label_replace follows Go’s template rules', () => {
    expect(instant('label_replace(v, "node", "$1", "instance", "(.*):\\\\d+")', s, 0)).toEqual({ '{"instance":"gpu-node-1:8000","__name__":"v","node":"gpu-node-1"}': -2.26 })
    expect(instant('label_replace(v, "node", "x", "instance", "nomatch")', s, 0)).toEqual({ '{"instance":"gpu-node-1:8000","__name__":"v"}': -2.26 })
    expect(instant('label_replace(v, "instance", "", "instance", ".*")', s, 0)).toEqual({ '{"__name__":"v"}': -2.26 })
    const match = /^(?<host>[^:]+):(\d+)$/.exec('h:80')!
    expect(expandTemplate('$host-${2}-$1x-$$', match)).toBe('h-80--$')
    expect(error(() => instant('label_replace(v, "1bad", "x", "instance", ".*")', s, 0)).message).toMatch(/invalid destination label name/)
  })

  it('label_join, abs, clamp, round, sgn and sort', () => {
    const two = store(series('w', { a: 'x', b: 'y' }, [2.5]), series('w', { a: 'z' }, [-7.25]))
    expect(instant('label_join(w, "ab", "-", "a", "b")', two, 0)).toEqual({ '{"a":"x","b":"y","__name__":"w","ab":"x-y"}': 2.5, '{"a":"z","__name__":"w","ab":"z-"}': -7.25 })
    expect(instant('abs(w)', two, 0)).toEqual({ '{"a":"x","b":"y"}': 2.5, '{"a":"z"}': 7.25 })
    expect(instant('clamp(w, -1, 1)', two, 0)).toEqual({ '{"a":"x","b":"y"}': 1, '{"a":"z"}': -1 })
    expect(instant('clamp(w, 1, -1)', two, 0)).toEqual({})
    expect(instant('clamp_min(w, 0)', two, 0)).toEqual({ '{"a":"x","b":"y"}': 2.5, '{"a":"z"}': 0 })
    expect(instant('round(w)', two, 0)).toEqual({ '{"a":"x","b":"y"}': 3, '{"a":"z"}': -7 })
    expect(instant('round(w, 0.5)', two, 0)).toEqual({ '{"a":"x","b":"y"}': 2.5, '{"a":"z"}': -7 })
    expect(instant('sgn(w)', two, 0)).toEqual({ '{"a":"x","b":"y"}': 1, '{"a":"z"}': -1 })
    const sorted = evaluateInstant('sort_desc(w)', two, at(0))
    expect(sorted.resultType === 'vector' && sorted.samples.map((x) => x.value)).toEqual([2.5, -7.25])
  })

  it('absent() takes its labels from the equality matchers', () => {
    expect(instant('absent(nope{job="a", env=~"p.*", zone="z"})', s, 0)).toEqual({ '{"job":"a","zone":"z"}': 1 })
    expect(instant('absent(v)', s, 0)).toEqual({})
    expect(instant('absent_over_time(nope{job="a"}[5m])', s, 0)).toEqual({ '{"job":"a"}': 1 })
  })

  it('scalar(), vector() and time()', () => {
    expect(single('scalar(v)', s, 0)).toBe(-2.26)
    expect(Number.isNaN(single('scalar(nope)', s, 0))).toBe(true)
    expect(instant('vector(3)', s, 0)).toEqual({ '{}': 3 })
    expect(single('time()', s, 30)).toBe(T0 + 30)
  })
})

describe('range queries', () => {
  const s = store(series('g', { a: '1' }, [1, 2, 3, 4, 5, 6]), series('g', { a: '2' }, [undefined, undefined, undefined, 9]))

  it('evaluate at each step from start to end, one series per label set, sorted by labels', () => {
    const result = evaluateRange('g', s, { start: at(0), end: at(300), stepSeconds: 120 })
    expect(result).toEqual([
      { labels: { __name__: 'g', a: '1' }, points: [[T0, 1], [T0 + 120, 3], [T0 + 240, 5]] },
      { labels: { __name__: 'g', a: '2' }, points: [[T0 + 240, 9]] },
    ])
  })

  it('returns a scalar as one series without labels', () => {
    expect(evaluateRange('time()', s, { start: at(0), end: at(60), stepSeconds: 30 })).toEqual([{ labels: {}, points: [[T0, T0], [T0 + 30, T0 + 30], [T0 + 60, T0 + 60]] }])
  })

  it('refuses what Prometheus refuses', () => {
    expect(error(() => evaluateRange('g', s, { start: at(0), end: at(86_400 * 10), stepSeconds: 60 })).message).toMatch(/11,000 points/)
    expect(error(() => evaluateRange('g[5m]', s, { start: at(0), end: at(60), stepSeconds: 60 })).message).toMatch(/range vector/)
    expect(error(() => evaluateRange('g', s, { start: at(60), end: at(0), stepSeconds: 60 })).message).toMatch(/before start/)
  })
})

describe('errors', () => {
  it('reports a syntax error as the query’s fault, with its position', () => {
    const e = error(() => instant('sum(rate(x[5m])', empty, 0))
    expect(e.kind).toBe('query')
    expect(e.message).toMatch(/^PromQL syntax error at line 1, column \d+/)
    expect(error(() => instant('sum(x)\n  by (', empty, 0)).message).toMatch(/line 2/)
    expect(error(() => instant('  ', empty, 0)).message).toBe('the query is empty')
  })

  it('checks types and modifiers as Prometheus’ parser does', () => {
    expect(error(() => instant('rate(x)', empty, 0)).message).toBe('expected type range vector in call to function "rate", got instant vector')
    expect(error(() => instant('rate(x[5m], 1)', empty, 0)).message).toBe('expected 1 argument(s) in call to "rate", got 2')
    expect(error(() => instant('1 > 2', empty, 0)).message).toBe('comparisons between scalars must use BOOL modifier')
    expect(error(() => instant('x and 1', empty, 0)).message).toBe('set operator "and" not allowed in binary scalar expression')
    expect(error(() => instant('x + bool y', empty, 0)).message).toBe('bool modifier can only be used on comparison operators')
    expect(error(() => instant('sum(x)[5m]', empty, 0)).message).toMatch(/^ranges only allowed for vector selectors/)
    expect(error(() => instant('sum(x) offset 5m', empty, 0)).message).toMatch(/^offset modifier must be preceded by/)
    expect(error(() => instant('{job=""}', empty, 0)).message).toMatch(/at least one non-empty matcher/)
    expect(error(() => instant('x[5m]', empty, 0)).message).toMatch(/range vector/)
    expect(error(() => instant('x{a=~"("}', empty, 0)).message).toMatch(/invalid regular expression/)
  })

  it('says clearly what the demo cannot evaluate, and that a Prometheus can', () => {
    for (const [query, what] of [
      ['x @ 1700000000', 'the @ modifier'],
      ['histogram_count(rate(x[5m]))', 'the function histogram_count()'],
      ['count_values("v", x)', 'the aggregation count_values()'],
      ['hour()', 'the function hour()'],
      ['rate(x[5m + 1m])', 'the duration expression “5m + 1m”'],
    ]) {
      const e = error(() => instant(query, empty, 0))
      expect(e.kind).toBe('query')
      expect(e.message).toBe(`The demo data cannot evaluate ${what}; connect a Prometheus (PROMETHEUS_URL) for this query`)
    }
  })
})
